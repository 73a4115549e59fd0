"""`python -m spinecare.console`: serve the consultants' console (SPINECARE_CONSOLE_PORT).

Why it migrates at start: like the action server, the console may be the first
process to meet a new release's database, and it needs its own tables (0003).
Why a missing secret is allowed: a developer can start the console without
configuring anything; the warning says that sign-ins end on every restart, and
a secret that is set but short is refused outright.
"""

from __future__ import annotations

import logging
import secrets
import sys

from sqlalchemy.exc import SQLAlchemyError

from spinecare import bootstrap, logsafety, settings
from spinecare.console import accounts
from spinecare.console.app import create_app

MIN_SECRET_CHARS = 32
logger = logging.getLogger("spinecare.console")


def main() -> int:
    logsafety.install()
    conf = settings.load()
    logging.basicConfig(
        level=conf.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    secret = conf.console_secret
    if not secret:
        secret = secrets.token_urlsafe(48)
        logger.warning(
            "SPINECARE_CONSOLE_SECRET is not set: using a random one, so every session "
            "ends when the console restarts. Set it (at least %d characters) to keep "
            "consultants signed in across restarts.",
            MIN_SECRET_CHARS,
        )
    elif len(secret) < MIN_SECRET_CHARS:
        print(
            f"spinecare.console: SPINECARE_CONSOLE_SECRET must be at least {MIN_SECRET_CHARS} "
            "characters; generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'",
            file=sys.stderr,
        )
        return 1
    try:
        sessions = bootstrap.sessions(conf.database_url, conf=conf)
        with sessions() as session:
            users = accounts.list_users(session)
    except SQLAlchemyError as exc:
        print(
            f"spinecare.console: database error ({type(exc).__name__}); "
            "check SPINECARE_DATABASE_URL.",
            file=sys.stderr,
        )
        return 1
    if not any(not user.disabled for user in users):
        logger.warning("No consultant can sign in yet: add one with `spinecare users add NAME`.")
    loopback = conf.host in ("127.0.0.1", "localhost", "::1")
    if not loopback and not conf.console_origin.startswith("https://"):
        logger.warning(
            "The console listens on %s without https: put a TLS proxy in front and set "
            "SPINECARE_CONSOLE_URL=https://..., or session cookies travel in clear text.",
            conf.host,
        )
    app = create_app(conf, secret, sessions)
    print(
        f"Consultants' console on http://{conf.host}:{conf.console_port}, "
        f"open {conf.console_origin} (Ctrl-C stops it)",
        flush=True,
    )
    app.run(
        host=conf.host,
        port=conf.console_port,
        access_log=False,
        motd=False,
        debug=False,
        workers=1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
