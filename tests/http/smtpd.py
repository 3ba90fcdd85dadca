#!/usr/bin/python3
"""A real SMTP server on loopback for the HTTP tests (Debian's python3-aiosmtpd).

    smtpd.py --dir DIR --cert CERT --key KEY [--user U --password P]
             [--reject ADDR]... [--tempfail ADDR[=N]]... [--implicit-tls]

It listens on 127.0.0.1 on a free port and prints one line of JSON,
{"port": N}, when it is ready. Clients must use STARTTLS (or, with
--implicit-tls, speak TLS from the start) and, when --user is given, log in
as that user with that password: any other login is refused with 535.

Each accepted message is saved in DIR as N.eml (the bytes received, after
dot-unstuffing) beside N.json (the envelope: mail_from, rcpt_tos, the login
and whether TLS was on). The .eml appears last, by rename, so a reader that
sees it finds both whole.

--reject ADDR answers RCPT TO:<ADDR> with 550 (a lasting failure);
--tempfail ADDR=N answers it with 451 the first N times (default 1), then
takes it (a passing failure). Both may be given several times.
"""
import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--dir', required=True)
    p.add_argument('--cert', required=True)
    p.add_argument('--key', required=True)
    p.add_argument('--user')
    p.add_argument('--password')
    p.add_argument('--reject', action='append', default=[])
    p.add_argument('--tempfail', action='append', default=[])
    p.add_argument('--implicit-tls', action='store_true')
    return p.parse_args()


class Handler:
    def __init__(self, folder, reject, tempfail, implicit_tls):
        self.folder = folder
        self.implicit_tls = implicit_tls
        self.reject = {a.lower() for a in reject}
        self.tempfail = {}
        for spec in tempfail:
            addr, _, times = spec.partition('=')
            self.tempfail[addr.lower()] = int(times or 1)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        if key in self.reject:
            return '550 5.1.1 <%s>: no such mailbox here' % address
        if self.tempfail.get(key, 0) > 0:
            self.tempfail[key] -= 1
            return '451 4.3.2 <%s>: try again later' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, '%d' % self.count)
        meta = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'login': session.login_data.decode() if session.login_data else None,
            'tls': self.implicit_tls or session.ssl is not None,
        }
        with open(base + '.json', 'w') as f:
            json.dump(meta, f)
        with open(base + '.eml.tmp', 'wb') as f:
            f.write(envelope.original_content)
        os.rename(base + '.eml.tmp', base + '.eml')
        return '250 2.0.0 Message accepted for delivery'


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and user is not None
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


def main():
    args = parse_args()
    os.makedirs(args.dir, exist_ok=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    handler = Handler(args.dir, args.reject, args.tempfail, args.implicit_tls)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname='localhost', loop=loop,
                    tls_context=None if args.implicit_tls else ctx,
                    require_starttls=not args.implicit_tls,
                    authenticator=authenticator(args.user, args.password) if args.user else None,
                    auth_required=bool(args.user),
                    # Under implicit TLS the whole session is encrypted, but
                    # aiosmtpd counts only STARTTLS as TLS for AUTH.
                    auth_require_tls=not args.implicit_tls)

    server = loop.run_until_complete(loop.create_server(
        factory, '127.0.0.1', 0, ssl=ctx if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({'port': port}), flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        sys.stdout.flush()


if __name__ == '__main__':
    main()
