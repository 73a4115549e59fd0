"""The privacy page: export everything held about one person, or forget them (issue 12).

Why its own module: it works on a person, not on one request, through
`spinecare.privacy` (docs/privacy.md). The identifiers travel in POST bodies only
(never a URL), and the audit trail gets the kind of identifier and counts, never
the value. Forgetting takes two steps: a counts-only preview, then typing FORGET.
"""

from __future__ import annotations

import json

from sanic.response import HTTPResponse, raw

from spinecare import privacy
from spinecare.console.context import Ctx, Views
from spinecare.events import log_event
from spinecare.presentation import plain
from spinecare.storage import repository
from spinecare.storage.models import utcnow

views = Views()

# What a consultant may type to name a person on the privacy page.
PERSON_FIELDS = (("email", 254), ("phone", 32), ("reference", 32))
FORGET_WORD = "FORGET"


@views.view("/privacy")
def privacy_page(ctx: Ctx) -> HTTPResponse:
    return _privacy_page(ctx)


@views.view("/privacy/export", ("POST",))
def privacy_export(ctx: Ctx) -> HTTPResponse:
    person = _person_from_form(ctx)
    if isinstance(person, HTTPResponse):
        return person
    exported = privacy.export_person(
        ctx.db, person, ctx.actor, conf=ctx.console.conf, via="console"
    )
    counts = exported.counts()
    log_event("console.privacy_export", count=counts["requests"])
    if not any(counts.values()):
        return _privacy_page(ctx, nothing_held=True)
    content = json.dumps(exported.as_dict(), indent=2, ensure_ascii=False, default=str)
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    response = raw(
        (plain(content, keep_newlines=True) + "\n").encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="spinecare-person-{stamp}.json"'},
    )
    return ctx.finish(response)


@views.view("/privacy/forget", ("POST",))
def privacy_forget(ctx: Ctx) -> HTTPResponse:
    """First POST: what would be erased; second (step=confirm): erase, if confirmed."""
    person = _person_from_form(ctx)
    if isinstance(person, HTTPResponse):
        return person
    form = ctx.request.form
    try:
        found = privacy.forget_preview(ctx.db, person, conf=ctx.console.conf)
    except privacy.NoSuchPerson:
        return _privacy_page(ctx, nothing_held=True)
    if form.get("step") != "confirm":
        repository.record_audit(
            ctx.db,
            ctx.actor,
            "privacy_lookup",
            None,
            {"by": person.named_by, "via": "console", **found.as_dict()},
        )
        ctx.db.commit()
        return ctx.render("privacy_forget.html", person=person, counts=found, error="")
    if not _forget_confirmed(form.get("confirm") or "", person):
        return ctx.render(
            "privacy_forget.html",
            code=400,
            person=person,
            counts=found,
            error=f"Nothing was erased. Type {FORGET_WORD} to confirm the erasure.",
        )
    try:
        erased = privacy.forget(ctx.db, person, ctx.actor, conf=ctx.console.conf, via="console")
    except privacy.NoSuchPerson:
        return _privacy_page(ctx, nothing_held=True)
    log_event("console.privacy_forget", count=erased.requests)
    return ctx.render("privacy_forgotten.html", counts=erased)


def _privacy_page(
    ctx: Ctx, *, code: int = 200, error: str = "", nothing_held: bool = False
) -> HTTPResponse:
    return ctx.render("privacy.html", code=code, error=error, nothing_held=nothing_held)


def _person_from_form(ctx: Ctx) -> privacy.Person | HTTPResponse:
    """The one identifier typed on the privacy page, or the page again with an error."""
    form = ctx.request.form
    given = {name: (form.get(name) or "").strip()[:limit] or None for name, limit in PERSON_FIELDS}
    if sum(value is not None for value in given.values()) != 1:
        return _privacy_page(
            ctx, code=400, error="Enter one of an email, a phone number or a reference."
        )
    return privacy.Person(**given)


def _forget_confirmed(typed: str, person: privacy.Person) -> bool:
    """FORGET (any case), or the reference when the person was named by one."""
    typed = typed.strip()
    if typed.upper() == FORGET_WORD:
        return True
    return person.reference is not None and repository.normalise_reference(
        typed
    ) == repository.normalise_reference(person.reference)
