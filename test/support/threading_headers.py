"""What CPython's `email` package (policy.default) reads from one message, for the after-send
interop test: subject, Message-ID, the threading headers (RFC 5322 3.6.4), whether a Bcc header
is present, every attached message/rfc822 part (its transfer encoding and the attached message's
Message-ID), and every defect the parser found. Prints JSON.
"""
import email
import email.policy
import json
import sys


def main():
    message = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
    result = {
        "subject": str(message["Subject"]),
        "messageId": str(message["Message-ID"]),
        "inReplyTo": str(message["In-Reply-To"]) if message["In-Reply-To"] is not None else None,
        "references": str(message["References"]).split() if message["References"] is not None else [],
        "to": [a.addr_spec for a in message["To"].addresses] if message["To"] is not None else [],
        "cc": [a.addr_spec for a in message["Cc"].addresses] if message["Cc"] is not None else [],
        "hasBcc": message["Bcc"] is not None,
        "forwarded": [],
        "defects": [],
    }
    for part in message.walk():
        result["defects"].extend(type(d).__name__ for d in part.defects)
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()[0]
            result["forwarded"].append({
                "transferEncoding": part.get("Content-Transfer-Encoding"),
                "messageId": str(inner["Message-ID"]),
                "subject": str(inner["Subject"]),
            })
    json.dump(result, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
