"""aiosmtpd sink for the interop tests (run with /usr/bin/python3, Debian's python3-aiosmtpd).

Reads one JSON line of configuration on stdin, then listens on 127.0.0.1 port 0 (the kernel
picks a free port, so there is no race) with:
  - a plain listener that offers STARTTLS when a certificate is given, AUTH only after TLS;
  - an implicit-TLS listener when a certificate is given (auth_require_tls=False there:
    aiosmtpd only counts STARTTLS as TLS and would otherwise answer AUTH with 538).
Prints one JSON line {"ready": true, "port": N, "tlsPort": M|null} once both are bound.

Each message is written, before the 250 reply to the final dot, as <outDir>/NNNNNN.json with
envelope.original_content (the exact DATA bytes after dot-unstuffing, CRLF kept) in base64;
the write is a rename, so a reader never sees half a file. The password is never written.

Exits when stdin closes (the parent died or called stop()) or on SIGTERM.
"""
import asyncio
import base64
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main() -> None:
    config = json.loads(sys.stdin.readline())
    asyncio.run(serve(config))


def make_handler(out_dir):
    counter = [0]

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            counter[0] += 1
            seq = counter[0]
            transport = server.transport
            ssl_object = transport.get_extra_info('ssl_object') if transport is not None else None
            auth = session.auth_data if session.authenticated else None
            record = {
                'seq': seq,
                'mailFrom': envelope.mail_from,
                'rcptTos': list(envelope.rcpt_tos),
                'mailOptions': list(envelope.mail_options),
                'rcptOptions': list(envelope.rcpt_options),
                'smtpUtf8': bool(envelope.smtp_utf8),
                'heloName': session.host_name,
                'tlsVersion': ssl_object.version() if ssl_object is not None else None,
                'authenticatedAs': auth['login'] if isinstance(auth, dict) else None,
                'authMechanism': auth['mechanism'] if isinstance(auth, dict) else None,
                'content': base64.b64encode(envelope.original_content).decode('ascii'),
            }
            temporary = os.path.join(out_dir, f'.{seq:06d}.tmp')
            with open(temporary, 'w', encoding='utf-8') as f:
                json.dump(record, f)
            os.rename(temporary, os.path.join(out_dir, f'{seq:06d}.json'))
            return f'250 2.0.0 OK stored as message {seq}'

    return Handler()


def make_authenticator(username, password):
    expected_login = username.encode('utf-8')
    expected_password = password.encode('utf-8')

    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == expected_login and auth_data.password == expected_password
        if not ok:
            return AuthResult(success=False, handled=False)
        return AuthResult(
            success=True,
            handled=False,
            auth_data={'login': auth_data.login.decode('utf-8', 'replace'), 'mechanism': mechanism},
        )

    return authenticator


async def serve(config) -> None:
    loop = asyncio.get_running_loop()
    host = config.get('host', '127.0.0.1')
    tls_context = None
    if config.get('certPath'):
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(config['certPath'], config['keyPath'])
    auth = config.get('auth')
    authenticator = make_authenticator(auth['username'], auth['password']) if auth else None
    handler = make_handler(config['outDir'])

    def factory(implicit_tls):
        def make():
            return SMTP(
                handler,
                hostname=config.get('hostname', 'aiosmtpd.test'),
                enable_SMTPUTF8=bool(config.get('smtputf8', True)),
                data_size_limit=int(config.get('dataSizeLimit', 33554432)),
                tls_context=None if implicit_tls else tls_context,
                require_starttls=bool(config.get('requireStartTls', False)) and not implicit_tls,
                authenticator=authenticator,
                auth_required=bool(config.get('authRequired', False)),
                auth_require_tls=False if implicit_tls else bool(config.get('authRequireTls', True)),
                loop=loop,
            )
        return make

    servers = [await loop.create_server(factory(False), host, 0)]
    if tls_context is not None:
        servers.append(await loop.create_server(factory(True), host, 0, ssl=tls_context))
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    print(json.dumps({'ready': True, 'port': ports[0], 'tlsPort': ports[1] if len(ports) > 1 else None}), flush=True)

    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    def watch_stdin():
        # EOF on stdin means the parent is gone or called stop(): do not outlive it.
        sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    await stop.wait()
    for s in servers:
        s.close()


if __name__ == '__main__':
    main()
