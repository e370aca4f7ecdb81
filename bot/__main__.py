"""`python -m bot …`: catalogue, routing, web, retention and report commands. Each command is a thin wrapper.

Exit codes: 0 done, 1 the command failed, 2 a usage or settings error (the message says which
setting, what it is and what is expected; no traceback).
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    from bot import report, retention
    from bot.catalog import cli as catalog_cli
    from bot.routing import cli as route_cli
    from bot.settings import SettingsError
    from bot.web import cli as web_cli

    parser = argparse.ArgumentParser(prog="python -m bot", description="Indgang: the one entrance for businesses.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    catalog_cli.add_parser(sub)
    route_cli.add_parser(sub)
    web_cli.add_parser(sub)
    retention.add_parser(sub)
    report.add_parser(sub)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        print(f"python -m bot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
