"""Independent MIME parser for tests: CPython's `email` package (policy.default).

Reads one message (a file path argument, or stdin) and prints JSON with what a reader would
see: decoded headers, recipients, subject, the text and HTML bodies, and every attachment's
file name and SHA-256. Used by test/unit/mime/*.test.ts to check that the composer's output
decodes back to exactly the input in an implementation that shares no code with ours.
"""
import email
import email.policy
import hashlib
import json
import sys


def addresses(message, name):
    header = message[name]
    if header is None:
        return None
    return [
        {"name": a.display_name, "address": a.addr_spec}
        for a in header.addresses
    ]


def main():
    data = open(sys.argv[1], "rb").read() if len(sys.argv) > 1 else sys.stdin.buffer.read()
    message = email.message_from_bytes(data, policy=email.policy.default)
    result = {
        "headers": [[name, str(value)] for name, value in message.items()],
        "from": addresses(message, "From"),
        "to": addresses(message, "To"),
        "cc": addresses(message, "Cc"),
        "bcc": addresses(message, "Bcc"),
        "replyTo": addresses(message, "Reply-To"),
        "subject": str(message["Subject"]) if message["Subject"] is not None else None,
        "contentType": message.get_content_type(),
        "text": None,
        "html": None,
        "attachments": [],
        "defects": [],
    }
    for part in message.walk():
        result["defects"].extend(type(d).__name__ for d in part.defects)
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition == "attachment" or filename is not None:
            payload = part.get_payload(decode=True) or b""
            result["attachments"].append({
                "filename": filename,
                "contentType": part.get_content_type(),
                "disposition": disposition,
                "contentId": part["Content-ID"] and str(part["Content-ID"]),
                "size": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
            })
        elif part.get_content_type() == "text/plain" and result["text"] is None:
            result["text"] = part.get_content()
        elif part.get_content_type() == "text/html" and result["html"] is None:
            result["html"] = part.get_content()
    json.dump(result, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
