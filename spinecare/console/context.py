"""What every console view runs inside: a worker thread, a database session, a signed-in user.

Why one module: the guarantees each page relies on (a live sign-in before any
patient data is read, the sign-in's CSRF token on every POST, the consultant's
username as the audit actor) are kept in one place, `Views.register` and `_run`,
so a view module only declares its pages and cannot forget one of them.

Sanic's event loop must not wait on the database or on argon2, so each view runs,
with its own database session, in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect
from sqlalchemy.orm import Session, sessionmaker

from spinecare import settings
from spinecare.console import accounts
from spinecare.console.security import Signer, same_token
from spinecare.events import log_event
from spinecare.storage import repository
from spinecare.storage.models import ConsultantUser, PatientRequest


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
    sign_in_cookie: str
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


View = Callable[..., HTTPResponse]


class Views:
    """The pages of one area of the console, declared with `view` and added by `register`."""

    def __init__(self) -> None:
        self._routes: list[tuple[View, str, tuple[str, ...], bool]] = []

    def view(self, uri: str, methods: tuple[str, ...] = ("GET",), *, signed_in: bool = True):
        """Declare a synchronous view, run in a thread with a database session.

        With `signed_in`, the view only runs for a live sign-in, and a POST only with
        the sign-in's CSRF token.
        """

        def decorator(view: View) -> View:
            self._routes.append((view, uri, methods, signed_in))
            return view

        return decorator

    def register(self, app: Sanic) -> None:
        for view, uri, methods, signed_in in self._routes:
            _add_view(app, view, uri, methods, signed_in)


def _add_view(app: Sanic, view: View, uri: str, methods: tuple[str, ...], signed_in: bool) -> None:
    async def handler(request: Request, **kwargs: Any) -> HTTPResponse:
        return await asyncio.to_thread(_run, request, view, signed_in, kwargs)

    handler.__name__ = view.__name__
    app.add_route(handler, uri, methods=set(methods), name=view.__name__)


def _run(request: Request, view: View, signed_in: bool, kwargs: dict) -> HTTPResponse:
    console: Console = request.app.ctx.console
    with console.sessions() as db:
        ctx = Ctx(console, request, db)
        if signed_in:
            refused = _authenticate(ctx)
            if refused is not None:
                return refused
        return view(ctx, **kwargs)


def _authenticate(ctx: Ctx) -> HTTPResponse | None:
    """Load the sign-in into `ctx`, or the response that refuses the request."""
    console = ctx.console
    token = console.signer.unsign("session", ctx.request.cookies.get(console.sign_in_cookie))
    state = (
        accounts.resume_sign_in(ctx.db, token, console.idle) if token else accounts.SignInState()
    )
    if state.record is None:
        if token:
            ctx.set_cookie(console.sign_in_cookie, None)
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


# --- small helpers the views share ---


def reference_or_404(ctx: Ctx, reference: str) -> str | HTTPResponse:
    """The reference in a URL, normalised, or the not-found page."""
    normalised = repository.normalise_reference(reference)
    if not repository.REFERENCE_PATTERN.fullmatch(normalised):
        return not_found(ctx)
    return normalised


def request_or_404(
    ctx: Ctx, reference: str, *, actor: str | None = None
) -> PatientRequest | HTTPResponse:
    """The stored request a URL names, or the not-found page (a view for `actor` is audited)."""
    normalised = reference_or_404(ctx, reference)
    if isinstance(normalised, HTTPResponse):
        return normalised
    try:
        return repository.get_request(ctx.db, normalised, actor=actor)
    except repository.UnknownReference:
        return not_found(ctx)


def not_found(ctx: Ctx) -> HTTPResponse:
    return ctx.render(
        "error.html",
        code=404,
        title="Not found",
        message="There is no request with this reference. It may have been deleted.",
    )


def page_number(request: Request) -> int:
    raw_page = request.args.get("page", "1")
    return int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 100_000 else 1


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))
