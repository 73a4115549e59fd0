"""The consultants' web console: the Sanic application and what every page shares.

Why this module: it wires the console together (configuration, the Host and Origin
checks, security headers, error pages, the template environment) and registers the
pages, which live by area in `spinecare.console.views`; what every page runs inside
(a sign-in, CSRF, a database session in a worker thread) is
`spinecare.console.context`. The pages cover requests, their delivery status,
exports, deletions, audit, and a privacy page to export or forget one person
(docs/privacy.md).

Why it looks the way it does:

- Every page holds patient data, so every page needs a signed-in consultant, and
  every access to a request goes through `spinecare.storage.repository` with the
  consultant's username as the actor, the same audited doors the CLI uses.
- Sanic's event loop must not wait on the database or on argon2, so each view
  runs, with its own database session, in a worker thread (`context.Views`).
- Stored text came from the public: Jinja2 autoescapes everything, no template
  marks data safe, and the pages carry no script, so the Content-Security-Policy
  can forbid all script.
- State-changing requests are POSTs carrying the sign-in's CSRF token, and the
  sign-in cookie is SameSite=Strict on top. Sign-in has its own token in a signed
  cookie, so a foreign site cannot sign a browser in to an account of its choice.
- Search terms (names, phone numbers) travel in the POST body, never in the URL,
  so they stay out of proxy logs, browser history and Referer headers; Sanic's
  access log is off for the same reason. Logs go through `log_event`.
- A Host check stops DNS-rebinding pages from reaching a console bound to loopback.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, html, raw, text
from sqlalchemy.orm import sessionmaker

from spinecare import settings
from spinecare.console import accounts
from spinecare.console.context import Console
from spinecare.console.security import Signer, security_headers
from spinecare.console.views import audit, auth, privacy, requests
from spinecare.events import log_event
from spinecare.presentation import type_label, when
from spinecare.requests import STATUSES

logger = logging.getLogger("spinecare.console")

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STYLESHEET = PACKAGE_DIR / "static" / "console.css"

_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

# Registered in this order; each area declares its pages on a `context.Views`.
AREAS = (requests, auth, audit, privacy)


def _host_names(conf: settings.Settings) -> tuple[frozenset[str], frozenset[str]]:
    """Host headers and Origin values the console answers to."""
    public = urlsplit(conf.console_origin)
    hosts = {public.netloc.lower()}
    origins = {f"{public.scheme}://{public.netloc}".lower()}
    for name in (*_LOOPBACK, conf.host):
        netloc = f"{name}:{conf.console_port}".lower()
        hosts.add(netloc)
        origins.add(f"http://{netloc}")
    return frozenset(hosts), frozenset(origins)


def create_app(conf: settings.Settings, secret: str, sessions: sessionmaker) -> Sanic:
    """The Sanic application; `secret` signs cookies, `sessions` reach the request store."""
    https = conf.console_origin.lower().startswith("https://")
    hosts, origins = _host_names(conf)
    console = Console(
        conf=conf,
        signer=Signer(secret),
        sessions=sessions,
        templates=_templates(),
        https=https,
        idle=timedelta(minutes=conf.console_idle_minutes),
        limits=accounts.Limits(
            max_failures=conf.console_login_max_failures,
            ip_max_failures=conf.console_login_ip_max_failures,
            window=timedelta(minutes=conf.console_login_window_minutes),
        ),
        allowed_hosts=hosts,
        allowed_origins=origins,
        # The __Host- prefix makes browsers refuse the cookie unless Secure, path /, no domain.
        sign_in_cookie="__Host-spinecare_console" if https else "spinecare_console",
        login_cookie="__Host-spinecare_login" if https else "spinecare_login",
    )
    app = Sanic("spinecare_console")
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.KEEP_ALIVE_TIMEOUT = 15
    if conf.console_proxies_count > 0:
        app.config.PROXIES_COUNT = conf.console_proxies_count
    app.ctx.console = console
    _register(app)
    return app


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.globals["statuses"] = STATUSES
    env.globals["type_label"] = type_label
    return env


def _register(app: Sanic) -> None:
    @app.middleware("request")
    async def check_host(request: Request):
        console: Console = request.app.ctx.console
        if request.host.lower() not in console.allowed_hosts:
            log_event("console.rejected", outcome="unknown_host")
            return text("Unknown host.\n", status=400)
        origin = request.headers.get("origin")
        if request.method == "POST" and origin and origin.lower() not in console.allowed_origins:
            log_event("console.rejected", outcome="foreign_origin")
            return text("Cross-site form submissions are refused.\n", status=403)
        return None

    @app.middleware("response")
    async def add_headers(request: Request, response: HTTPResponse):
        console: Console = request.app.ctx.console
        cacheable = request.path == "/static/console.css" and response.status == 200
        for name, value in security_headers(https=console.https, cacheable=cacheable).items():
            response.headers[name] = value

    @app.exception(Exception)
    async def on_error(request: Request, exception: Exception):
        console: Console = request.app.ctx.console
        status = (
            getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
        )
        if status >= 500:
            log_event("console.error", error_type=type(exception).__name__)
            # The stack only: an exception's message may quote a stored value.
            logger.error(
                "console error %s\n%s",
                type(exception).__name__,
                "".join(traceback.format_tb(exception.__traceback__)),
            )
        titles = {404: "Not found", 405: "Not allowed", 413: "Too large"}
        body = console.templates.get_template("error.html").render(
            user=None,
            csrf_token="",
            notice="",
            title=titles.get(status, "Something went wrong" if status >= 500 else "Bad request"),
            message="The page does not exist."
            if status == 404
            else "The console could not answer this request.",
        )
        response = html(body, status=status)
        for name, value in security_headers(https=console.https).items():
            response.headers[name] = value
        return response

    @app.get("/static/console.css", name="stylesheet")
    async def stylesheet(request: Request) -> HTTPResponse:
        return raw(STYLESHEET.read_bytes(), content_type="text/css; charset=utf-8")

    @app.get("/favicon.ico", name="favicon")
    async def favicon(request: Request) -> HTTPResponse:
        return HTTPResponse(status=204)

    @app.get("/healthz", name="healthz")
    async def healthz(request: Request) -> HTTPResponse:
        return text("ok\n")

    for area in AREAS:
        area.views.register(app)
