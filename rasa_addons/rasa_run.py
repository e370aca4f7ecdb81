"""`python -m rasa_addons.rasa_run run …`: Rasa's own command line, with the HTTP API token taken
from the environment (``RASA_TOKEN``) instead of the command line, where every local user could
read it in the process list. The environment of a process is readable by its owner only.

Everything else is `rasa` unchanged: the arguments are passed through, and `--auth-token` is added
for `run` when a token is set.
"""
from __future__ import annotations

import os
import sys


def main() -> None:
    args = sys.argv[1:]
    token = os.environ.get("RASA_TOKEN", "")
    if args[:1] == ["run"] and token and "--auth-token" not in args:
        args = args + ["--auth-token", token]  # in this process's argv only: /proc/<pid>/cmdline keeps the original
    sys.argv = ["rasa"] + args
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
