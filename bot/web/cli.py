"""`python -m bot web` (serve) and `python -m bot web adduser NAME` (staff account)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from bot.settings import Settings


def add_parser(sub) -> None:
    p = sub.add_parser("web", help="serve the widget demo page and the staff lookup; manage staff accounts")
    p.add_argument("action", nargs="?", default="serve", choices=["serve", "adduser"])
    p.add_argument("username", nargs="?")
    p.add_argument("--host", help="interface to listen on (default: WEB_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: WEB_PORT, 8000)")
    p.set_defaults(func=web_cli)


def web_cli(args: argparse.Namespace) -> int:
    """A bad setting raises SettingsError, which `python -m bot` reports (exit 2)."""
    from bot.web.app import create_app

    settings = Settings.from_env()
    if args.action == "adduser":
        from bot.web.auth import add_user

        if not args.username:
            print("Usage: python -m bot web adduser NAME", file=sys.stderr)
            return 2
        # an input, not a setting: a script can give the password without a prompt
        password = os.environ.get("STAFF_PASSWORD") or getpass.getpass(f"Password for {args.username}: ")
        if len(password) < 8:
            print("Choose a password of at least 8 characters.", file=sys.stderr)
            return 1
        users_file = settings.staff.users_file
        add_user(users_file, args.username, password)
        print(f"Staff account {args.username!r} saved in {users_file}")
        return 0
    import logging

    # the audit trail of staff logins goes to the log (stderr): one line each, no passwords
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    logging.getLogger("indgang.audit").setLevel(logging.INFO)
    app = create_app(settings)
    port = args.port or settings.web_port
    print(f"Indgang web: http://localhost:{port}/  staff: http://localhost:{port}/staff", flush=True)
    app.run(host=args.host or settings.web.host, port=port, access_log=False, workers=1)
    return 0
