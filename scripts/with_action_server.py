"""Run a command with the action server up on a free port, then stop the server.

Used by `make test-stories` so conversation tests exercise the real actions. The process
helpers are the tests' own (tests/servers.py), so there is one way to start a server.
"""
from __future__ import annotations

from datetime import datetime, timezone
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import ROOT, actions_cmd, base_env, free_port, running  # noqa: E402


def main() -> int:
    from bot.catalog.importer import import_catalog

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="indgang-actions-"))
    # a catalogue database of its own: the praise and call-back requests these conversations
    # leave must not land in the one `make run` uses
    database = f"sqlite:///{work / 'catalog.db'}"
    import_catalog(database, ROOT / "catalog_data", datetime.now(timezone.utc))
    env = base_env(ACTIONS_PORT=str(port), DATABASE_URL=database)
    log = work / "actions.log"
    try:
        with running(actions_cmd(port), env, f"http://127.0.0.1:{port}/health", log, timeout=60):
            return subprocess.call(sys.argv[1:], cwd=ROOT, env=env)
    except RuntimeError as err:
        print(f"The action server did not start: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
