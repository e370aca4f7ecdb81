"""The action server, closed by default: rasa_sdk's app, bound to 127.0.0.1, answering only calls
that carry the shared secret (``ACTION_SECRET``, sent by Rasa as a header: endpoints.yml).

    python -m actions.server --port 5055 [--host 127.0.0.1] [--actions actions] [--debug]

``rasa run actions`` listens on every interface and runs any conversation a caller posts, so a
forged request could make our actions run on made-up data and skip the proxy's limits. Here
only /health answers without the secret. Exit code 2 with a clear message when the secret is
missing or any setting is bad (bot/settings.py).
"""
from __future__ import annotations

import argparse
import logging
import sys
from hmac import compare_digest
from typing import Optional

from bot.settings import MIN_SECRET_CHARS, Settings, SettingsError

HEADER = "X-Indgang-Action-Secret"


def create(package: str, secret: str):
    from rasa_sdk.endpoint import create_app
    from sanic import response

    from rasa_addons import log_privacy

    log_privacy.apply()  # no conversation content in this server's logs (rasa_addons/log_privacy.py)
    app = create_app(package, cors_origins=None)
    # a call carries one session's tracker (the chat channel starts a new session every 30 messages)
    app.config.REQUEST_MAX_SIZE = 2 * 1024 * 1024

    @app.on_request
    async def require_secret(request):  # noqa: ANN001 - Sanic's request
        if request.path.rstrip("/") == "/health":
            return None
        if not compare_digest(request.headers.get(HEADER, "").encode(), secret.encode()):
            return response.json({"error": "This action server answers only the assistant's own Rasa server."},
                                 status=401)
        return None

    return app


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="port (default: ACTIONS_PORT, 5055)")
    parser.add_argument("--host", help="interface to listen on (default: ACTIONS_HOST, 127.0.0.1: closed to other "
                                       "machines)")
    parser.add_argument("--actions", default="actions", help="the package with the actions")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()  # checked at start, so the actions' own reads cannot fail later
    except SettingsError as exc:
        print(f"actions.server: {exc}", file=sys.stderr)
        return 2
    secret = settings.actions.secret
    if secret is None:
        print(f"ACTION_SECRET must be set to a random value of at least {MIN_SECRET_CHARS} characters, the same "
              "for the Rasa server (endpoints.yml sends it). `make run` creates one in var/action-secret.",
              file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO,
                        format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    app = create(args.actions, secret)
    host, port = args.host or settings.actions.host, args.port or settings.actions_port
    logging.getLogger(__name__).info("Action server on http://%s:%s (shared secret required)", host, port)
    app.run(host=host, port=port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
