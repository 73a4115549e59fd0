"""The consultants' web console: requests, their delivery status, exports, deletions, audit.

Why it looks the way it does:

- Every page holds patient data, so every page needs a signed-in consultant, and
  every access to a request goes through `spinecare.storage.repository` with the
  consultant's username as the actor, the same audited doors the CLI uses.
- Sanic's event loop must not wait on the database or on argon2, so each view
  runs, with its own database session, in a worker thread (`_view`).
- Stored text came from the public: Jinja2 autoescapes everything, no template
  marks data safe, and the pages carry no script, so the Content-Security-Policy
  can forbid all script.
- State-changing requests are POSTs carrying the session's CSRF token, and the
  session cookie is SameSite=Strict on top. Sign-in has its own token in a signed
  cookie, so a foreign site cannot sign a browser in to an account of its choice.
- Search terms (names, phone numbers) travel in the POST body, never in the URL,
  so they stay out of proxy logs, browser history and Referer headers; Sanic's
  access log is off for the same reason. Logs go through `log_event`.
- A Host check stops DNS-rebinding pages from reaching a console bound to loopback.
"""

from __future__ import annotations

import asyncio
import csv
import importlib
import io
import logging
import re
import secrets
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, html, raw, redirect, text
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from spinecare import settings
from spinecare.cli import _csv_cell as csv_cell
from spinecare.console import accounts
from spinecare.console.security import Signer, same_token, security_headers
from spinecare.events import log_event
from spinecare.storage import repository
from spinecare.storage.models import (
    STATUSES,
    AuditEvent,
    ConsultantUser,
    MriReviewRequest,
    OutboxJob,
    utcnow,
)

logger = logging.getLogger("spinecare.console")

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STYLESHEET = PACKAGE_DIR / "static" / "console.css"

PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
SEARCH_MAX_CHARS = 100
DISPATCHER_MODULE = "spinecare.delivery.dispatcher"
_SAFE_NEXT = re.compile(r"/(?!/)[A-Za-z0-9/_\-]*")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

REQUEST_TYPE_LABELS = {"mri_review": "MRI review", "callback": "Callback"}

_HIDDEN_FIELDS = frozenset({"id"})

NOTICES = {
    "marked": "Status changed.",
    "deleted": "The request and its personal data were deleted.",
    "retried": "The notification was queued to be sent again.",
    "retry_unavailable": "Retrying is not available: the delivery dispatcher is not installed.",
    "retry_not_dead": "Only notifications that gave up (dead) can be retried.",
    "retry_failed": "The notification could not be queued again; see the server log.",
}


# --- formatting ---------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def describe(name: str, value: Any) -> str:
    """A stored value as text for a page; markup is left to autoescaping."""
    if value is None or value == [] or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _when(value)
    if isinstance(value, date):
        return value.strftime("%Y-%m") if name == "mri_taken" else value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {describe(key, item)}" for key, item in value.items())
    if name == "request_type":
        return REQUEST_TYPE_LABELS.get(value, str(value))
    return str(value)


def request_fields(request: MriReviewRequest) -> list[tuple[str, str, str]]:
    """(name, label, text) for every stored column of a request."""
    columns = [column.key for column in MriReviewRequest.__table__.columns]
    known = [name for name, _ in repository.FIELD_LABELS if name in columns]
    extra = [name for name in columns if name not in known and name not in _HIDDEN_FIELDS]
    labels = dict(repository.FIELD_LABELS)
    return [
        (
            name,
            labels.get(name, name.replace("_", " ").capitalize()),
            describe(name, getattr(request, name)),
        )
        for name in known + extra
    ]


def csv_text(rows: list[dict[str, Any]]) -> str:
    """CSV of export rows, cells neutralised like the CLI's export.

    Starts with a byte order mark so spreadsheet programs read accented names right.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(repository.EXPORT_FIELDS)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in repository.EXPORT_FIELDS])
    return "\ufeff" + buffer.getvalue()


# --- the application ----------------------------------------------------------------


@dataclass
class Console:
    """Everything the views share; stored on `app.ctx.console`."""

    conf: settings.Settings
    signer: Signer
    sessions: sessionmaker
    templates: Environment
    https: bool
    idle: timedelta
    limits: accounts.Limits
    allowed_hosts: frozenset[str]
    allowed_origins: frozenset[str]
    session_cookie: str
    login_cookie: str


@dataclass
class Ctx:
    """One request being answered: its database session and signed-in user."""

    console: Console
    request: Request
    db: Session
    user: ConsultantUser | None = None
    csrf_token: str = ""
    cookies: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def actor(self) -> str:
        assert self.user is not None
        return self.user.username

    def render(self, template: str, code: int = 200, **values: Any) -> HTTPResponse:
        values.setdefault("notice", "")
        body = self.console.templates.get_template(template).render(
            user=self.user, csrf_token=self.csrf_token, **values
        )
        return self.finish(html(body, status=code))

    def redirect(self, location: str) -> HTTPResponse:
        return self.finish(redirect(location, status=303))

    def finish(self, response: HTTPResponse) -> HTTPResponse:
        """Apply cookie changes the view asked for (value None deletes the cookie)."""
        for name, value in self.cookies:
            response.cookies[name] = value or ""
            cookie = response.cookies[name]
            cookie["path"] = "/"
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["secure"] = self.console.https
            if value is None:
                cookie["max-age"] = 0
        return response

    def set_cookie(self, name: str, value: str | None) -> None:
        self.cookies.append((name, value))


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
        session_cookie="__Host-spinecare_console" if https else "spinecare_console",
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
    env.filters["when"] = _when
    env.globals["statuses"] = STATUSES
    env.globals["type_label"] = lambda value: REQUEST_TYPE_LABELS.get(value or "", value or "-")
    return env


def _client_ip(request: Request) -> str:
    if request.app.ctx.console.conf.console_proxies_count > 0 and request.remote_addr:
        return request.remote_addr
    return request.ip or "unknown"


def _view(app: Sanic, uri: str, methods: tuple[str, ...] = ("GET",), *, signed_in: bool = True):
    """Register a synchronous view, run in a thread with a database session.

    With `signed_in`, the view only runs for a live session, and a POST only with
    the session's CSRF token.
    """

    def decorator(view: Callable[..., HTTPResponse]) -> Callable[..., HTTPResponse]:
        async def handler(request: Request, **kwargs: Any) -> HTTPResponse:
            return await asyncio.to_thread(_run, request, view, signed_in, kwargs)

        handler.__name__ = view.__name__
        app.add_route(handler, uri, methods=set(methods), name=view.__name__)
        return view

    return decorator


def _run(
    request: Request, view: Callable[..., HTTPResponse], signed_in: bool, kwargs: dict
) -> HTTPResponse:
    console: Console = request.app.ctx.console
    with console.sessions() as db:
        ctx = Ctx(console, request, db)
        if signed_in:
            refused = _authenticate(ctx)
            if refused is not None:
                return refused
        return view(ctx, **kwargs)


def _authenticate(ctx: Ctx) -> HTTPResponse | None:
    """Load the session into `ctx`, or the response that refuses the request."""
    console = ctx.console
    token = console.signer.unsign("session", ctx.request.cookies.get(console.session_cookie))
    state = (
        accounts.resume_session(ctx.db, token, console.idle) if token else accounts.SessionState()
    )
    if state.record is None:
        if token:
            ctx.set_cookie(console.session_cookie, None)
        query = {"next": ctx.request.path} if ctx.request.method == "GET" else {}
        if state.expired:
            query["expired"] = "1"
        return ctx.redirect("/login" + (f"?{urlencode(query)}" if query else ""))
    ctx.user = state.record.user
    ctx.csrf_token = state.record.csrf_token
    if ctx.request.method == "POST" and not same_token(
        ctx.request.form.get("csrf_token"), ctx.csrf_token
    ):
        log_event("console.csrf_rejected", action=ctx.request.path.split("/")[1] or "root")
        return ctx.render(
            "error.html",
            code=403,
            title="Form expired",
            message="This form was not sent from this console, or it expired. "
            "Go back, reload the page and try again.",
        )
    return None


def _reference_or_404(ctx: Ctx, reference: str) -> str | HTTPResponse:
    normalised = repository.normalise_reference(reference)
    if not repository.REFERENCE_PATTERN.fullmatch(normalised):
        return _not_found(ctx)
    return normalised


def _not_found(ctx: Ctx) -> HTTPResponse:
    return ctx.render(
        "error.html",
        code=404,
        title="Not found",
        message="There is no request with this reference. It may have been deleted.",
    )


def _page_number(request: Request) -> int:
    raw_page = request.args.get("page", "1")
    return int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 100_000 else 1


# --- queries ------------------------------------------------------------------------


def find_requests(
    db: Session, *, status: str | None, search: str, page: int, page_size: int = PAGE_SIZE
) -> tuple[list[MriReviewRequest], int]:
    """New requests first, then newest first; `search` matches reference, name, phone, email."""
    conditions = []
    if status:
        conditions.append(MriReviewRequest.status == status)
    term = search.strip()
    if term:
        lowered = term.lower()
        matches = [
            MriReviewRequest.reference == repository.normalise_reference(term),
            MriReviewRequest.reference.contains(term.upper(), autoescape=True),
            func.lower(MriReviewRequest.first_name).contains(lowered, autoescape=True),
            func.lower(MriReviewRequest.last_name).contains(lowered, autoescape=True),
            func.lower(MriReviewRequest.first_name + " " + MriReviewRequest.last_name).contains(
                lowered, autoescape=True
            ),
            func.lower(MriReviewRequest.email).contains(lowered, autoescape=True),
        ]
        digits = re.sub(r"\D", "", term)
        if len(digits) >= 3:
            matches.append(MriReviewRequest.phone.contains(digits, autoescape=True))
        conditions.append(or_(*matches))
    total = db.execute(
        select(func.count()).select_from(MriReviewRequest).where(*conditions)
    ).scalar_one()
    rows = db.execute(
        select(MriReviewRequest)
        .where(*conditions)
        .order_by(
            case((MriReviewRequest.status == "new", 0), else_=1),
            MriReviewRequest.created_at.desc(),
            MriReviewRequest.id.desc(),
        )
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).scalars()
    return list(rows), total


def find_audit_events(
    db: Session, *, actor: str, action: str, reference: str, page: int
) -> tuple[list[AuditEvent], int]:
    conditions = []
    if actor:
        conditions.append(AuditEvent.actor == actor)
    if action:
        conditions.append(AuditEvent.action == action)
    if reference:
        conditions.append(AuditEvent.reference == repository.normalise_reference(reference))
    total = db.execute(select(func.count()).select_from(AuditEvent).where(*conditions)).scalar_one()
    rows = db.execute(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE)
    ).scalars()
    return list(rows), total


def _audit_actions(db: Session) -> list[str]:
    return list(
        db.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars()
    )


# --- views --------------------------------------------------------------------------


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

    @_view(app, "/")
    def home(ctx: Ctx) -> HTTPResponse:
        return ctx.redirect("/requests")

    # --- signing in and out ---

    def login_form(ctx: Ctx, code: int = 200, error: str = "", notice: str = "") -> HTTPResponse:
        nonce = secrets.token_urlsafe(24)
        ctx.set_cookie(ctx.console.login_cookie, ctx.console.signer.sign("login", nonce))
        next_path = ctx.request.args.get("next") or ctx.request.form.get("next") or ""
        return ctx.render(
            "login.html",
            code=code,
            login_token=nonce,
            next_path=next_path if _SAFE_NEXT.fullmatch(next_path) else "",
            error=error,
            notice=notice,
            username=(ctx.request.form.get("username") or "")[:64],
        )

    @_view(app, "/login", signed_in=False)
    def login_page(ctx: Ctx) -> HTTPResponse:
        console = ctx.console
        token = console.signer.unsign("session", ctx.request.cookies.get(console.session_cookie))
        if token and accounts.resume_session(ctx.db, token, console.idle).record is not None:
            return ctx.redirect("/requests")
        notice = ""
        if ctx.request.args.get("expired"):
            notice = (
                f"Your session ended after {console.conf.console_idle_minutes} minutes "
                "without activity. Please sign in again."
            )
        elif ctx.request.args.get("signed_out"):
            notice = "You are signed out."
        return login_form(ctx, notice=notice)

    @_view(app, "/login", ("POST",), signed_in=False)
    def login(ctx: Ctx) -> HTTPResponse:
        console = ctx.console
        form = ctx.request.form
        expected = console.signer.unsign("login", ctx.request.cookies.get(console.login_cookie))
        if not same_token(form.get("csrf_token"), expected):
            log_event("console.sign_in", outcome="csrf_rejected")
            return login_form(
                ctx, 403, error="The sign-in form expired. Please enter your details again."
            )
        result = accounts.sign_in(
            ctx.db,
            form.get("username") or "",
            form.get("password") or "",
            _client_ip(ctx.request),
            console.limits,
        )
        if result.locked:
            log_event("console.sign_in", outcome="locked")
            minutes = result.locked_minutes
            return login_form(
                ctx,
                429,
                error="Too many sign-in attempts. Try again in "
                f"{minutes} minute{'s' if minutes != 1 else ''}.",
            )
        if result.user is None:
            log_event("console.sign_in", outcome="failed")
            return login_form(ctx, 401, error="The username or password is not correct.")
        previous = console.signer.unsign("session", ctx.request.cookies.get(console.session_cookie))
        if previous:
            accounts.end_session(ctx.db, previous)
        session_token = accounts.start_session(ctx.db, result.user, console.idle)
        repository.record_audit(ctx.db, result.user.username, "sign_in")
        ctx.db.commit()
        log_event("console.sign_in", outcome="ok")
        ctx.set_cookie(console.login_cookie, None)
        ctx.set_cookie(console.session_cookie, console.signer.sign("session", session_token))
        next_path = form.get("next") or ""
        return ctx.redirect(next_path if _SAFE_NEXT.fullmatch(next_path) else "/requests")

    @_view(app, "/logout", ("POST",))
    def logout(ctx: Ctx) -> HTTPResponse:
        console = ctx.console
        token = console.signer.unsign("session", ctx.request.cookies.get(console.session_cookie))
        if token:
            accounts.end_session(ctx.db, token)
        repository.record_audit(ctx.db, ctx.actor, "sign_out")
        ctx.db.commit()
        ctx.set_cookie(console.session_cookie, None)
        return ctx.redirect("/login?signed_out=1")

    # --- requests ---

    @_view(app, "/requests", ("GET", "POST"))
    def request_list(ctx: Ctx) -> HTTPResponse:
        source = ctx.request.form if ctx.request.method == "POST" else ctx.request.args
        status = source.get("status") or ""
        if status not in STATUSES:
            status = ""
        search = (
            (ctx.request.form.get("q") or "")[:SEARCH_MAX_CHARS]
            if ctx.request.method == "POST"
            else ""
        )
        page = _page_number(ctx.request) if not search else 1
        rows, total = find_requests(ctx.db, status=status or None, search=search, page=page)
        repository.record_audit(
            ctx.db,
            ctx.actor,
            "list",
            None,
            {"count": len(rows), "status": status or None, "search": bool(search), "page": page},
        )
        ctx.db.commit()
        notice = NOTICES.get(ctx.request.args.get("notice", ""), "")
        deleted = repository.normalise_reference(ctx.request.args.get("reference", ""))
        return ctx.render(
            "requests.html",
            requests=rows,
            total=total,
            status=status,
            search=search,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            notice=notice,
            deleted_reference=deleted if repository.REFERENCE_PATTERN.fullmatch(deleted) else "",
        )

    @_view(app, "/requests/<reference:str>")
    def request_detail(ctx: Ctx, reference: str) -> HTTPResponse:
        reference = _reference_or_404(ctx, reference)
        if isinstance(reference, HTTPResponse):
            return reference
        try:
            request = repository.get_request(ctx.db, reference, actor=ctx.actor)
        except repository.UnknownReference:
            return _not_found(ctx)
        return ctx.render(
            "request.html",
            request=request,
            fields=request_fields(request),
            jobs=repository.outbox_jobs(ctx.db, reference),
            notice=NOTICES.get(ctx.request.args.get("notice", ""), ""),
        )

    @_view(app, "/requests/<reference:str>/status", ("POST",))
    def request_mark(ctx: Ctx, reference: str) -> HTTPResponse:
        reference = _reference_or_404(ctx, reference)
        if isinstance(reference, HTTPResponse):
            return reference
        status = ctx.request.form.get("status") or ""
        if status not in STATUSES:
            return ctx.render(
                "error.html", code=400, title="Bad request", message="Unknown status."
            )
        try:
            repository.mark(ctx.db, reference, status, ctx.actor)
        except repository.UnknownReference:
            return _not_found(ctx)
        log_event("console.mark", reference=reference, status=status)
        return ctx.redirect(f"/requests/{reference}?notice=marked")

    @_view(app, "/requests/<reference:str>/jobs/<job_id:int>/retry", ("POST",))
    def job_retry(ctx: Ctx, reference: str, job_id: int) -> HTTPResponse:
        reference = _reference_or_404(ctx, reference)
        if isinstance(reference, HTTPResponse):
            return reference
        job = ctx.db.get(OutboxJob, job_id)
        if job is None or job.request_reference != reference:
            return _not_found(ctx)
        if job.status != "dead":
            return ctx.redirect(f"/requests/{reference}?notice=retry_not_dead")
        ctx.db.rollback()
        notice = _retry(ctx.db, job_id, ctx.actor)
        log_event("console.retry", reference=reference, job_id=job_id, outcome=notice)
        return ctx.redirect(f"/requests/{reference}?notice={notice}")

    @_view(app, "/requests/<reference:str>/export", ("POST",))
    def request_export(ctx: Ctx, reference: str) -> HTTPResponse:
        reference = _reference_or_404(ctx, reference)
        if isinstance(reference, HTTPResponse):
            return reference
        try:
            request = repository.get_request(ctx.db, reference)
        except repository.UnknownReference:
            return _not_found(ctx)
        rows = [repository.as_dict(request)]
        repository.record_audit(
            ctx.db,
            ctx.actor,
            "export",
            reference,
            {"count": 1, "format": "csv", "destination": "console"},
        )
        ctx.db.commit()
        log_event("console.export", reference=reference, count=1)
        return _csv_download(ctx, rows, f"spinecare-{reference}.csv")

    @_view(app, "/requests/<reference:str>/delete")
    def request_delete_confirm(ctx: Ctx, reference: str) -> HTTPResponse:
        reference = _reference_or_404(ctx, reference)
        if isinstance(reference, HTTPResponse):
            return reference
        try:
            request = repository.get_request(ctx.db, reference)
        except repository.UnknownReference:
            return _not_found(ctx)
        return ctx.render("delete.html", request=request, error="")

    @_view(app, "/requests/<reference:str>/delete", ("POST",))
    def request_delete(ctx: Ctx, reference: str) -> HTTPResponse:
        reference = _reference_or_404(ctx, reference)
        if isinstance(reference, HTTPResponse):
            return reference
        try:
            request = repository.get_request(ctx.db, reference)
        except repository.UnknownReference:
            return _not_found(ctx)
        typed = repository.normalise_reference(ctx.request.form.get("confirm") or "")
        if typed != reference:
            return ctx.render(
                "delete.html",
                code=400,
                request=request,
                error="Type the reference exactly as shown to confirm the deletion.",
            )
        ctx.db.rollback()
        repository.delete(ctx.db, reference, ctx.actor)
        log_event("console.delete", reference=reference)
        return ctx.redirect(f"/requests?{urlencode({'notice': 'deleted', 'reference': reference})}")

    @_view(app, "/export", ("POST",))
    def export_all(ctx: Ctx) -> HTTPResponse:
        rows = repository.export_rows(
            ctx.db, actor=ctx.actor, detail={"format": "csv", "destination": "console"}
        )
        log_event("console.export", count=len(rows))
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        return _csv_download(ctx, rows, f"spinecare-requests-{stamp}.csv")

    @_view(app, "/audit")
    def audit_log(ctx: Ctx) -> HTTPResponse:
        args = ctx.request.args
        actor = (args.get("actor") or "").strip()[:128]
        action = (args.get("action") or "").strip()[:32]
        reference = (args.get("reference") or "").strip()[:32]
        page = _page_number(ctx.request)
        events, total = find_audit_events(
            ctx.db, actor=actor, action=action, reference=reference, page=page
        )
        query = {
            key: value
            for key, value in (("actor", actor), ("action", action), ("reference", reference))
            if value
        }
        return ctx.render(
            "audit.html",
            events=events,
            total=total,
            page=page,
            pages=max(1, -(-total // AUDIT_PAGE_SIZE)),
            actor=actor,
            action=action,
            reference=reference,
            actions=_audit_actions(ctx.db),
            query=urlencode(query),
            describe=describe,
        )


def _csv_download(ctx: Ctx, rows: list[dict[str, Any]], filename: str) -> HTTPResponse:
    response = raw(
        csv_text(rows).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    return ctx.finish(response)


def _retry(db: Session, job_id: int, actor: str) -> str:
    """Hand a dead job back to the delivery dispatcher (which audits it); a NOTICES key.

    Imported at the moment of use, so the console runs on releases without the
    dispatcher. `retry(job_id, actor)` is its entry point for operators; its
    session-level `retry_job` serves when only that one is there.
    """
    try:
        dispatcher = importlib.import_module(DISPATCHER_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and DISPATCHER_MODULE.startswith(exc.name):
            return "retry_unavailable"
        raise
    retry = getattr(dispatcher, "retry", None)
    retry_job = getattr(dispatcher, "retry_job", None)
    not_retryable = getattr(dispatcher, "NotRetryable", ())
    try:
        if callable(retry):
            retry(job_id, actor)
        elif callable(retry_job):
            retry_job(db, job_id, actor)
        else:
            return "retry_unavailable"
    except not_retryable:
        return "retry_not_dead"
    except Exception as exc:
        log_event("console.retry_failed", job_id=job_id, error_type=type(exc).__name__)
        return "retry_failed"
    return "retried"
