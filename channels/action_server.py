"""The action server's gate: a rasa-sdk plugin that makes it private and crash-safe.

rasa-sdk 3.6.2 has no authentication and no plugin entry points; its one hook is
`attach_sanic_app_extensions(app)`, called by `rasa run actions` for every plugin
that the top-level package `rasa_sdk_plugins` registers in `init_hooks` (that
package, in this repository, registers this module). Through it:

- every request but `GET /health` must carry `X-SpineCare-Action-Secret` with the
  shared secret (constant-time compare), else 401 and nothing runs; Rasa sends it
  from endpoints.yml (`headers:`), reading SPINECARE_ACTION_SERVER_SECRET;
- `POST /webhook` must be `application/json` (415 otherwise);
- any exception in any action becomes a normal answer: the patient reads that
  something went wrong on our side; a form validation action also unsets the slot
  it was validating and asks for it again, so no earlier
  answer is lost. Only the error type, the action name and the conversation id are
  logged. rasa-sdk's own handler (replaced here) answered 500 with the whole
  tracker in the body, and Rasa logged that body.
"""

from __future__ import annotations

import hmac
import json
import os
from typing import Any

import pluggy
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from spinecare import keys, logsafety, settings
from spinecare.events import log_event

hookimpl = pluggy.HookimplMarker("rasa_sdk")

SECRET_HEADER = keys.ACTION_SECRET_HEADER
OPEN_PATHS = frozenset({"/health"})
SORRY = "Sorry, something went wrong on our side."
SORRY_IN_FORM = SORRY + " Let's try that once more."
SORRY_ELSEWHERE = SORRY + " Please try again, or call us at {phone}."


def failure_response(action_call: dict[str, Any]) -> dict[str, Any]:
    """The action server's answer when the action `action_call` names has crashed."""
    action = str(action_call.get("next_action") or "")
    tracker = action_call.get("tracker") if isinstance(action_call.get("tracker"), dict) else {}
    dispatcher = CollectingDispatcher()
    events: list[dict[str, Any]] = []
    requested = (tracker.get("slots") or {}).get("requested_slot")
    if action.startswith("validate_") and isinstance(requested, str) and requested:
        # The same question again: left to itself, Rasa would ask the domain's first
        # empty slot, which for these forms is the (normally skipped) safety screen.
        events += [SlotSet(requested, None), SlotSet("requested_slot", requested)]
        dispatcher.utter_message(text=SORRY_IN_FORM)
    else:
        try:
            phone = settings.load().practice_phone
        except Exception:  # the settings themselves may be what is broken
            phone = None
        dispatcher.utter_message(text=SORRY_ELSEWHERE.format(phone=phone) if phone else SORRY)
    return {"events": events, "responses": dispatcher.messages}


def _action_call(request: Request) -> dict[str, Any]:
    try:
        parsed = json.loads(request.body or b"")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def attach(app: Sanic, secret: str) -> None:
    """Install the gate and the crash handler on a rasa-sdk Sanic app."""
    expected = secret.encode()

    @app.on_request
    async def require_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        offered = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(offered, expected):
            log_event("action_call_refused", outcome="unauthorised")
            return response.json({"error": "unauthorised"}, status=401)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and content_type != "application/json":
            log_event("action_call_refused", outcome="not_json")
            return response.json({"error": "application/json required"}, status=415)
        return None

    async def on_exception(request: Request, exception: Exception) -> HTTPResponse:
        call = _action_call(request)
        if isinstance(exception, SanicException) and getattr(exception, "status_code", 500) < 500:
            body = {"error": "bad request", "action_name": call.get("next_action")}
            return response.json(body, status=exception.status_code)
        tracker = call.get("tracker") if isinstance(call.get("tracker"), dict) else {}
        sender = tracker.get("sender_id")
        conversation = sender if isinstance(sender, str) else None
        log_event(
            "action_failed",
            conversation,
            action=str(call.get("next_action") or "")[:100],
            error_type=type(exception).__name__,
        )
        return response.json(failure_response(call), status=200)

    # Replaces rasa-sdk's handler for Exception (the last one added wins).
    app.error_handler.add(Exception, on_exception)


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """rasa-sdk's hook: called once by `rasa run actions` before the server starts."""
    logsafety.install()
    conf = settings.load()
    bind = os.environ.get("SANIC_HOST", "0.0.0.0")  # noqa: S104 (rasa-sdk's default)
    try:
        if not settings.is_loopback(bind) and not conf.action_server_secret:
            raise keys.SecretError(
                f"SPINECARE_ACTION_SERVER_SECRET must be set when the action server listens "
                f"on {bind}, because anyone who reaches it could run actions."
            )
        secret = keys.action_server_secret(conf)
    except keys.SecretError as error:  # our own sentence: print it (tracebacks hide messages)
        raise SystemExit(f"spinecare: not starting the action server: {error}") from None
    attach(app, secret)
