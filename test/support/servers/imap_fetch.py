"""Fetch every message of one IMAP mailbox over loopback, for the Postfix + Dovecot harness.

Reads {"host","port","user","password","mailbox"} as JSON on stdin (never argv, so the password
is not visible in the process list), logs in with AUTHENTICATE PLAIN (UTF-8, RFC 4616), EXAMINEs
the mailbox and prints {"messages": [base64 of BODY.PEEK[] per message, in UID order]}.
On failure prints {"error": "..."} (the server's words, never the password) and exits 1.
"""
import base64
import imaplib
import json
import sys


def main() -> int:
    config = json.loads(sys.stdin.read())
    user = config['user'].encode('utf-8')
    password = config['password'].encode('utf-8')
    try:
        imap = imaplib.IMAP4(config['host'], int(config['port']), timeout=15)
    except OSError as error:
        print(json.dumps({'error': f'connect: {error}'}))
        return 1
    try:
        imap.authenticate('PLAIN', lambda _challenge: b'\0' + user + b'\0' + password)
        status, data = imap.select(config.get('mailbox', 'INBOX'), readonly=True)
        if status != 'OK':
            raise imaplib.IMAP4.error(f'EXAMINE failed: {data!r}')
        status, data = imap.uid('SEARCH', None, 'ALL')
        if status != 'OK':
            raise imaplib.IMAP4.error(f'SEARCH failed: {data!r}')
        messages = []
        for uid in data[0].split():
            status, response = imap.uid('FETCH', uid, '(BODY.PEEK[])')
            if status != 'OK':
                raise imaplib.IMAP4.error(f'FETCH {uid!r} failed: {response!r}')
            literals = [item[1] for item in response if isinstance(item, tuple)]
            if len(literals) != 1:
                raise imaplib.IMAP4.error(f'FETCH {uid!r}: expected one literal, got {len(literals)}')
            messages.append(base64.b64encode(literals[0]).decode('ascii'))
        print(json.dumps({'messages': messages}))
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
