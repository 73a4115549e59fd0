"""The audit log page: who did what to which request, filtered and paged.

Why its own module: it reads the audit trail, not requests, and shows no patient
data; its filters travel in the URL, which is safe because none is a personal value.
"""

from __future__ import annotations

from urllib.parse import urlencode

from sanic.response import HTTPResponse

from spinecare.console.context import Ctx, Views, page_count, page_number
from spinecare.presentation import describe
from spinecare.storage import queries

views = Views()

AUDIT_PAGE_SIZE = 100


@views.view("/audit")
def audit_log(ctx: Ctx) -> HTTPResponse:
    args = ctx.request.args
    actor = (args.get("actor") or "").strip()[:128]
    action = (args.get("action") or "").strip()[:32]
    reference = (args.get("reference") or "").strip()[:32]
    page = page_number(ctx.request)
    events, total = queries.find_audit_events(
        ctx.db,
        actor=actor,
        action=action,
        reference=reference,
        page=page,
        page_size=AUDIT_PAGE_SIZE,
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
        pages=page_count(total, AUDIT_PAGE_SIZE),
        actor=actor,
        action=action,
        reference=reference,
        actions=queries.audit_actions(ctx.db),
        query=urlencode(query),
        describe=describe,
    )
