"""Read one account of an IMAP test server (implicit TLS, or plaintext on loopback without "ca").

Reads {"host","port","ca","user","password","mailbox"} as JSON on stdin (never argv: the
password stays out of the process list), verifies the server against the CA file, logs in with
AUTHENTICATE PLAIN and prints
{"mailboxes": [{"name", "flags"}], "messages": [{"flags", "internaldate", "body"}]}
where `body` is the base64 of BODY.PEEK[] (the stored bytes, CRLF), for `mailbox` when given.
An independent client (Python's imaplib), so the code under test is not checked by itself.
On failure prints {"error": "..."} and exits 1.
"""
import base64
import imaplib
import json
import re
import ssl
import sys


def main() -> int:
    config = json.loads(sys.stdin.read())
    user = config['user'].encode('utf-8')
    password = config['password'].encode('utf-8')
    try:
        if config.get('ca'):
            context = ssl.create_default_context(cafile=config['ca'])
            imap = imaplib.IMAP4_SSL(config['host'], int(config['port']), ssl_context=context, timeout=15)
        else:
            # Plaintext, for the Postfix harness's Dovecot on loopback.
            imap = imaplib.IMAP4(config['host'], int(config['port']), timeout=15)
    except OSError as error:
        print(json.dumps({'error': f'connect: {error}'}))
        return 1
    try:
        imap.authenticate('PLAIN', lambda _challenge: b'\0' + user + b'\0' + password)
        status, data = imap.list()
        if status != 'OK':
            raise imaplib.IMAP4.error(f'LIST failed: {data!r}')
        mailboxes = []
        for line in data:
            match = re.match(rb'\((?P<flags>[^)]*)\) (?P<delim>"[^"]*"|NIL) (?P<name>.+)$', line)
            if match is None:
                continue
            name = match.group('name').decode('utf-8')
            if name.startswith('"') and name.endswith('"'):
                name = name[1:-1].replace('\\"', '"').replace('\\\\', '\\')
            mailboxes.append({'name': name, 'flags': match.group('flags').decode('ascii').split()})
        messages = []
        mailbox = config.get('mailbox')
        if mailbox:
            status, data = imap.select('"' + mailbox.replace('\\', '\\\\').replace('"', '\\"') + '"', readonly=True)
            if status != 'OK':
                raise imaplib.IMAP4.error(f'EXAMINE failed: {data!r}')
            status, data = imap.uid('SEARCH', None, 'ALL')
            for uid in data[0].split():
                # Attributes and body in two commands: where a server puts items after the
                # literal, imaplib splits them off.
                status, response = imap.uid('FETCH', uid, '(FLAGS INTERNALDATE)')
                if status != 'OK' or not response or not isinstance(response[0], bytes):
                    raise imaplib.IMAP4.error(f'FETCH {uid!r} failed: {response!r}')
                head = response[0]
                flags = imaplib.ParseFlags(head)
                date = re.search(rb'INTERNALDATE "([^"]+)"', head)
                status, response = imap.uid('FETCH', uid, '(BODY.PEEK[])')
                if status != 'OK':
                    raise imaplib.IMAP4.error(f'FETCH {uid!r} failed: {response!r}')
                parts = [item for item in response if isinstance(item, tuple)]
                if len(parts) != 1:
                    raise imaplib.IMAP4.error(f'FETCH {uid!r}: expected one literal, got {len(parts)}')
                messages.append({
                    'flags': [flag.decode('ascii') for flag in flags],
                    'internaldate': date.group(1).decode('ascii') if date else None,
                    'body': base64.b64encode(parts[0][1]).decode('ascii'),
                })
        print(json.dumps({'mailboxes': mailboxes, 'messages': messages}))
        return 0
    except imaplib.IMAP4.error as error:
        print(json.dumps({'error': str(error)}))
        return 1
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


if __name__ == '__main__':
    sys.exit(main())
