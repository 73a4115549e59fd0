"""How many requests one network may store per hour (SPINECARE_RATE_IP_REQUESTS_PER_HOUR).

Why: every stored request emails and posts to the consultants, so a script that
completes the intake in a loop would flood them. The chat channel puts a keyed hash
of the client's address in the message metadata (`channels.common`, never the
address itself); the count lives in this action server process
(`spinecare.ratelimit`). Requests from REST back-ends carry no address and are not
counted here.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import config
from spinecare.events import log_event
from spinecare.ratelimit import CLIENT_METADATA_KEY, Limiter

REFUSED = (
    "We've already received several requests from your network in the last hour, so I "
    "can't send another one now. Please call us at {phone}, or try again later. If this "
    "is an emergency, call 911 or go to the nearest emergency room."
)

_limiter: Limiter | None = None


def _requests_limiter() -> Limiter:
    global _limiter
    if _limiter is None:
        _limiter = Limiter(config.current().rate_ip_requests_per_hour, 3600)
    return _limiter


def submission_refused(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """True (after telling the person) when this network has stored too many requests."""
    client = ((tracker.latest_message or {}).get("metadata") or {}).get(CLIENT_METADATA_KEY) or {}
    ip_hash = client.get("ip_hash") if isinstance(client, dict) else None
    if not isinstance(ip_hash, str) or _requests_limiter().hit(ip_hash):
        return False
    log_event("submission_refused", tracker.sender_id, outcome="rate_limited")
    dispatcher.utter_message(text=REFUSED.format(phone=config.current().practice_phone))
    return True
