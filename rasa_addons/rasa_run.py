"""`python -m rasa_addons.rasa_run run …`: Rasa's own command line, with the HTTP API token taken
from the environment (``RASA_TOKEN``) instead of the command line, where every local user could
read it in the process list. The environment of a process is readable by its owner only.

Everything else is `rasa` unchanged: the arguments are passed through, and `--auth-token` is added
for `run` when a token is set. A bad setting (bot/settings.py) stops it with exit code 2 and a
message naming it, before Rasa loads anything.
"""
from __future__ import annotations

import sys


def main() -> None:
    from bot.settings import Settings, SettingsError

    try:
        token = Settings.from_env().rasa.token
    except SettingsError as exc:
        print(f"rasa_run: {exc}", file=sys.stderr)
        sys.exit(2)
    args = sys.argv[1:]
    if args[:1] == ["run"] and token and "--auth-token" not in args:
        args = args + ["--auth-token", token]  # in this process's argv only: /proc/<pid>/cmdline keeps the original
    sys.argv = ["rasa"] + args
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
