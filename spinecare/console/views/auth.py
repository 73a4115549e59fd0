"""Signing in and out of the console.

Why its own module: these are the only pages open without a sign-in. Sign-in has
its own token in a signed cookie, so a foreign site cannot sign a browser in to an
account of its choice, and failed attempts are limited per account and per address
(`spinecare.console.accounts`).
"""

from __future__ import annotations

import re
import secrets

from sanic.request import Request
from sanic.response import HTTPResponse

from spinecare.console import accounts
from spinecare.console.context import Ctx, Views
from spinecare.console.security import same_token
from spinecare.events import log_event
from spinecare.storage import repository

views = Views()

_SAFE_NEXT = re.compile(r"/(?!/)[A-Za-z0-9/_\-]*")


def _client_ip(request: Request) -> str:
    if request.app.ctx.console.conf.console_proxies_count > 0 and request.remote_addr:
        return request.remote_addr
    return request.ip or "unknown"


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


@views.view("/login", signed_in=False)
def login_page(ctx: Ctx) -> HTTPResponse:
    console = ctx.console
    token = console.signer.unsign("session", ctx.request.cookies.get(console.sign_in_cookie))
    if token and accounts.resume_sign_in(ctx.db, token, console.idle).record is not None:
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


@views.view("/login", ("POST",), signed_in=False)
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
    previous = console.signer.unsign("session", ctx.request.cookies.get(console.sign_in_cookie))
    if previous:
        accounts.end_sign_in(ctx.db, previous)
    sign_in_token = accounts.start_sign_in(ctx.db, result.user, console.idle)
    repository.record_audit(ctx.db, result.user.username, "sign_in")
    ctx.db.commit()
    log_event("console.sign_in", outcome="ok")
    ctx.set_cookie(console.login_cookie, None)
    ctx.set_cookie(console.sign_in_cookie, console.signer.sign("session", sign_in_token))
    next_path = form.get("next") or ""
    return ctx.redirect(next_path if _SAFE_NEXT.fullmatch(next_path) else "/requests")


@views.view("/logout", ("POST",))
def logout(ctx: Ctx) -> HTTPResponse:
    console = ctx.console
    token = console.signer.unsign("session", ctx.request.cookies.get(console.sign_in_cookie))
    if token:
        accounts.end_sign_in(ctx.db, token)
    repository.record_audit(ctx.db, ctx.actor, "sign_out")
    ctx.db.commit()
    ctx.set_cookie(console.sign_in_cookie, None)
    return ctx.redirect("/login?signed_out=1")
