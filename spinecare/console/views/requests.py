"""The request pages: the list and its search, one request, and what a consultant does to it.

Why these belong together: they all show or change stored requests through the
same audited doors the CLI uses (`spinecare.services`, `spinecare.storage.repository`),
with the consultant's username as the actor. Search terms (names, phone numbers)
travel in the POST body, never in the URL, so they stay out of proxy logs, browser
history and Referer headers.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlencode

from sanic.response import HTTPResponse, raw
from sqlalchemy.orm import Session

from spinecare import privacy, services
from spinecare.console.context import (
    Ctx,
    Views,
    not_found,
    page_count,
    page_number,
    reference_or_404,
    request_or_404,
)
from spinecare.delivery import outbox
from spinecare.events import log_event
from spinecare.presentation import csv_cell, describe
from spinecare.requests import STATUSES
from spinecare.storage import queries, repository
from spinecare.storage.models import PatientRequest, utcnow

views = Views()

PAGE_SIZE = 50
SEARCH_MAX_CHARS = 100

_HIDDEN_FIELDS = frozenset({"id"})

NOTICES = {
    "marked": "Status changed.",
    "deleted": "The request and its personal data were deleted.",
    "retried": "The notification was queued to be sent again.",
    "retry_not_dead": "Only notifications that gave up (dead) can be retried.",
    "retry_failed": "The notification could not be queued again; see the server log.",
}


# --- what the pages show ---


def request_fields(request: PatientRequest) -> list[tuple[str, str, str]]:
    """(name, label, text) for every stored column of a request."""
    columns = [column.key for column in PatientRequest.__table__.columns]
    known = [name for name, _ in repository.FIELD_LABELS if name in columns]
    # Keyed lookup hashes (issue 12) mean nothing to a person.
    extra = [
        name
        for name in columns
        if name not in known and name not in _HIDDEN_FIELDS and not name.endswith("_hash")
    ]
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


def find_requests(
    db: Session, *, status: str | None, search: str, page: int
) -> tuple[list[PatientRequest], int]:
    """A page of the list; `search` is a reference (or part of one), or exactly a phone
    number (any usual spelling) or an email (any case)."""
    term = search.strip()
    email = phone = None
    if "@" in term:
        email = privacy.normalise_email(term)
    elif len(re.sub(r"\D", "", term)) >= 10:
        phone = privacy.normalise_phone(term)
    return queries.find_requests(
        db,
        status=status,
        search=search,
        page=page,
        page_size=PAGE_SIZE,
        email=email,
        phone=phone,
    )


# --- the pages ---


@views.view("/")
def home(ctx: Ctx) -> HTTPResponse:
    return ctx.redirect("/requests")


@views.view("/requests", ("GET", "POST"))
def request_list(ctx: Ctx) -> HTTPResponse:
    source = ctx.request.form if ctx.request.method == "POST" else ctx.request.args
    status = source.get("status") or ""
    if status not in STATUSES:
        status = ""
    search = (
        (ctx.request.form.get("q") or "")[:SEARCH_MAX_CHARS] if ctx.request.method == "POST" else ""
    )
    page = page_number(ctx.request) if not search else 1
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
        pages=page_count(total, PAGE_SIZE),
        notice=notice,
        deleted_reference=deleted if repository.REFERENCE_PATTERN.fullmatch(deleted) else "",
    )


@views.view("/requests/<reference:str>")
def request_detail(ctx: Ctx, reference: str) -> HTTPResponse:
    request = request_or_404(ctx, reference, actor=ctx.actor)
    if isinstance(request, HTTPResponse):
        return request
    return ctx.render(
        "request.html",
        request=request,
        fields=request_fields(request),
        jobs=repository.outbox_jobs(ctx.db, request.reference),
        notice=NOTICES.get(ctx.request.args.get("notice", ""), ""),
    )


@views.view("/requests/<reference:str>/status", ("POST",))
def request_mark(ctx: Ctx, reference: str) -> HTTPResponse:
    reference = reference_or_404(ctx, reference)
    if isinstance(reference, HTTPResponse):
        return reference
    status = ctx.request.form.get("status") or ""
    if status not in STATUSES:
        return ctx.render("error.html", code=400, title="Bad request", message="Unknown status.")
    try:
        services.mark(ctx.db, reference, status, ctx.actor, via="console")
    except repository.UnknownReference:
        return not_found(ctx)
    return ctx.redirect(f"/requests/{reference}?notice=marked")


@views.view("/requests/<reference:str>/jobs/<job_id:int>/retry", ("POST",))
def job_retry(ctx: Ctx, reference: str, job_id: int) -> HTTPResponse:
    reference = reference_or_404(ctx, reference)
    if isinstance(reference, HTTPResponse):
        return reference
    job = queries.outbox_job(ctx.db, job_id)
    if job is None or job.request_reference != reference:
        return not_found(ctx)
    if job.status != "dead":
        return ctx.redirect(f"/requests/{reference}?notice=retry_not_dead")
    ctx.db.rollback()
    notice = _retry(ctx.db, job_id, ctx.actor)
    log_event("console.retry", reference=reference, job_id=job_id, outcome=notice)
    return ctx.redirect(f"/requests/{reference}?notice={notice}")


@views.view("/requests/<reference:str>/export", ("POST",))
def request_export(ctx: Ctx, reference: str) -> HTTPResponse:
    request = request_or_404(ctx, reference)
    if isinstance(request, HTTPResponse):
        return request
    reference = request.reference
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


@views.view("/requests/<reference:str>/delete")
def request_delete_confirm(ctx: Ctx, reference: str) -> HTTPResponse:
    request = request_or_404(ctx, reference)
    if isinstance(request, HTTPResponse):
        return request
    reference = request.reference
    return ctx.render("delete.html", request=request, error="")


@views.view("/requests/<reference:str>/delete", ("POST",))
def request_delete(ctx: Ctx, reference: str) -> HTTPResponse:
    request = request_or_404(ctx, reference)
    if isinstance(request, HTTPResponse):
        return request
    reference = request.reference
    typed = repository.normalise_reference(ctx.request.form.get("confirm") or "")
    if typed != reference:
        return ctx.render(
            "delete.html",
            code=400,
            request=request,
            error="Type the reference exactly as shown to confirm the deletion.",
        )
    ctx.db.rollback()
    services.delete(ctx.db, reference, ctx.actor, via="console")
    return ctx.redirect(f"/requests?{urlencode({'notice': 'deleted', 'reference': reference})}")


@views.view("/export", ("POST",))
def export_all(ctx: Ctx) -> HTTPResponse:
    rows = services.export(ctx.db, ctx.actor, file_format="csv", destination="console")
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return _csv_download(ctx, rows, f"spinecare-requests-{stamp}.csv")


def _csv_download(ctx: Ctx, rows: list[dict[str, Any]], filename: str) -> HTTPResponse:
    response = raw(
        csv_text(rows).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    return ctx.finish(response)


def _retry(db: Session, job_id: int, actor: str) -> str:
    """Put a dead job back in the outbox (audited as `outbox_retry`); a NOTICES key."""
    try:
        services.retry_notification(db, job_id, actor, via="console")
    except (outbox.NotRetryable, outbox.UnknownJob):
        return "retry_not_dead"
    except Exception as exc:
        db.rollback()
        log_event("console.retry_failed", job_id=job_id, error_type=type(exc).__name__)
        return "retry_failed"
    return "retried"
