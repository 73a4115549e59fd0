"""Issue 8: patients answering the intake in their own words get through it.

Each case quoted in the issue is replayed over the real REST channel: an answer the
classifier mistakes for a question, a benign symptom that raises the safety screen, a
name the classifier reads as "cancel". Before the fix every one of them looped or
lost the request; now each must move on to the next question, keep every answer and
store what the patient meant.
"""

from __future__ import annotations

import pytest

from spinecare.scenarios import RestConversation
from tests.support.intake import HAPPY_ANSWERS, answer_all, rows_for

pytestmark = pytest.mark.integration

UNSURE = "another way"
DISCARDED = "nothing from it was saved"
SAFETY_SCREEN = "make sure you're safe"


@pytest.fixture
def chat(rasa_url, http):
    return RestConversation(rasa_url, http)


def up_to(chat: RestConversation, question: str) -> None:
    """Answer the happy path until the bot asks `question` (a phrase of HAPPY_ANSWERS)."""
    for text, expected in HAPPY_ANSWERS:
        reply = chat.say(text)
        assert expected.lower() in reply.text.lower(), (text, reply.text)
        if expected == question:
            return
    raise AssertionError(f"{question!r} is not a question of the happy path")


def answer_screen_if_asked(chat: RestConversation, reply, no: str = "no, none of those"):
    """A benign symptom may raise the safety screen; answering no must carry on."""
    if SAFETY_SCREEN in reply.text:
        return chat.say(no)
    return reply


def finish(chat: RestConversation, answers) -> str:
    """Answer the rest of the happy path from the given index, confirm, consent."""
    answer_all(chat, answers)
    assert "Do you agree" in chat.say("yes").text
    done = chat.say("yes").text
    assert "MRI-" in done, done
    return done


@pytest.mark.parametrize(
    "answer",
    [
        "sciatica",
        "pinched nerve in my lower back",
        "pain after surgery last year that never went away",
        "it hurts to walk, pain goes down my right leg",
        "my back hurts when I exercise",
        "herniated disc",
        "they said I have a bulging disc",
        "stenosis in my lower back",
    ],
)
def test_a_symptom_answer_in_own_words_is_taken(chat, answer):
    up_to(chat, "main symptoms")
    reply = chat.say(answer)
    assert "How long" in reply.text, reply.text
    assert UNSURE not in reply.text and "can't give personal medical advice" not in reply.text


@pytest.mark.parametrize(
    ("answer", "codes", "other"),
    [
        ("physical therapy", ["physical_therapy"], None),
        ("stretching", [], "stretching"),
        ("ibuprofen and stretching", ["medication"], "stretching"),
        ("I tried ibuprofen", ["medication"], None),
        ("heat and ice", [], "heat"),
        ("massage", [], "massage"),
        ("muscle relaxers", ["medication"], None),
        ("acupuncture", [], "acupuncture"),
        # Held-out set 14: a traditional healer had been stored as medication and "other: man".
        (
            "Physical therapy for 6 weeks, naproxen, and I also saw a medicine man",
            ["physical_therapy", "medication"],
            "medicine man",
        ),
    ],
)
def test_a_treatment_in_own_words_is_taken_and_stored(chat, database_url, answer, codes, other):
    up_to(chat, "treatments")
    reply = chat.say(answer)
    assert "phone number" in reply.text, reply.text
    assert UNSURE not in reply.text and "didn't recognise" not in reply.text
    finish(chat, HAPPY_ANSWERS[9:])
    (row,) = rows_for(database_url, chat)
    for code in codes:
        assert code in row["treatments_tried"]
    if other:
        assert any(other in t for t in row["treatments_tried"] if t.startswith("other:"))


@pytest.mark.parametrize(
    "symptoms",
    [
        "burning in my calf and my left leg feels weak sometimes",
        "numbness in my foot and pain when I sit",
        # Held-out set 14: "gets numb" had been read as numbness getting worse, and the
        # patient sent to the emergency room with the request thrown away.
        "Pain in my right leg when I am out with my sheep, my right foot gets numb and tingly. "
        "Back is sore in the morning",
        # Held-out set 17: read as being unable to stand, and sent to the emergency room.
        "dor na perna direita, right leg pain and tingling in my foot, i cannot stand all the "
        "shift in the kitchen",
    ],
)
def test_a_benign_symptom_never_discards_the_intake(chat, database_url, symptoms):
    up_to(chat, "main symptoms")
    reply = answer_screen_if_asked(chat, chat.say(symptoms))
    assert DISCARDED not in reply.text
    assert "How long" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[7:])
    (row,) = rows_for(database_url, chat)
    assert row["symptoms"] == symptoms
    assert (row["first_name"], row["last_name"]) == ("Jon", "Doe")


def test_the_mri_said_to_be_of_another_region_at_the_symptoms_question_corrects_it(
    chat, database_url
):
    """Held-out set 14: the correction had been stored as the symptoms."""
    up_to(chat, "main symptoms")
    reply = chat.say("Correction, the new MRI is of my neck. The low back one was from 2019.")
    assert "updated" in reply.text and "main symptoms" in reply.text, reply.text
    reply = chat.say("pain down my right arm into the fingers")
    assert "How long" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[7:])
    (row,) = rows_for(database_url, chat)
    assert (row["mri_region"], row["symptoms"]) == (
        "cervical",
        "pain down my right arm into the fingers",
    )


def test_a_season_in_the_duration_is_not_a_fall(chat, database_url):
    up_to(chat, "How long")
    reply = answer_screen_if_asked(chat, chat.say("since last fall"))
    assert DISCARDED not in reply.text
    assert "treatments" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[8:])
    (row,) = rows_for(database_url, chat)
    assert "fall" in row["symptom_duration"]


def test_the_safety_screen_answered_no_continues_where_it_was(chat, database_url):
    """Whatever raises the screen, "no" in plain words goes back to the same intake."""
    up_to(chat, "main symptoms")
    reply = chat.say("my legs feel kind of funny and heavy today")
    if SAFETY_SCREEN in reply.text:
        assert DISCARDED not in reply.text
        reply = chat.say("nope, nothing like that")
    assert "How long" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[7:])
    assert len(rows_for(database_url, chat)) == 1


@pytest.mark.parametrize("name", ["Quinn Hale", "Priya Patel", "Dana Stopp", "Linda Park"])
def test_a_name_is_a_name_whatever_the_classifier_thinks(chat, name):
    chat.say("I'd like the free MRI review")
    reply = chat.say(name)
    assert "18 or older" in reply.text, reply.text
    assert "stopped" not in reply.text


def test_an_explicit_cancel_still_cancels(chat, database_url):
    up_to(chat, "18 or older")
    reply = chat.say("cancel")
    assert "stopped the request" in reply.text
    assert rows_for(database_url, chat) == []


@pytest.mark.parametrize("not_a_name", ["yes, I agree", "no", "cancel please"])
def test_an_answer_that_is_not_a_name_is_asked_again(chat, database_url, not_a_name):
    chat.say("I'd like the free MRI review")
    reply = chat.say(not_a_name)
    if "stopped the request" in reply.text:  # "cancel please" is an explicit cancel
        assert not_a_name.startswith("cancel")
        return
    assert "name" in reply.text.lower() and "18 or older" not in reply.text, reply.text
    assert "18 or older" in chat.say("Jon Doe").text
    finish(chat, HAPPY_ANSWERS[2:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Jon", "Doe")


def test_a_question_in_the_middle_is_answered_then_the_question_comes_back(chat):
    up_to(chat, "treatments")
    reply = chat.say("is it ok to keep stretching if it hurts?")
    assert "stop" in reply.text.lower() and "doctor or therapist" in reply.text
    assert "Which treatments" in reply.text
    assert "phone number" in chat.say("PT and a couple of injections").text


def test_the_same_re_ask_never_comes_twice_in_a_row(chat):
    up_to(chat, "phone number")
    first = chat.say("call me maybe")
    second = chat.say("call me maybe")
    assert first.text != second.text
    assert "Talk to a person" in second.buttons
    assert "(212) 555-0182" in second.text  # an example of what to type


@pytest.mark.parametrize(
    "question",
    [
        "can I exercise with sciatica",
        "is yoga ok for sciatica",
        "is walking good for back pain",
        "what can I do at home for sciatica",
    ],
)
def test_first_questions_get_a_clinic_answer(rasa_url, http, question):
    reply = RestConversation(rasa_url, http).say(question)
    assert UNSURE not in reply.text and "not sure I understood" not in reply.text, reply.text
    assert "doctor" in reply.text


@pytest.mark.parametrize("activity", ["is yoga ok for sciatica", "is walking good for back pain"])
def test_a_specific_activity_gets_no_yes_or_no(rasa_url, http, activity):
    text = RestConversation(rasa_url, http).say(activity).text
    assert "doctor or physical therapist" in text
    assert not text.lower().startswith(("yes", "no"))


def test_a_family_name_written_first_is_fixed_at_the_summary(chat, database_url):
    """Round 9's note: "Kim Soo Jin" is split as first name "Kim Soo"; the patient fixes it."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("Kim Soo Jin").text
    answer_all(chat, HAPPY_ANSWERS[2:-1])
    summary = chat.say(HAPPY_ANSWERS[-1][0]).text
    assert "First name: Kim Soo" in summary and "Last name: Jin" in summary, summary
    reply = chat.say("no, Kim is my family name")
    assert "updated your last name" in reply.text, reply.text
    assert "First name: Soo Jin" in reply.text and "Last name: Kim" in reply.text, reply.text
    assert "Do you agree" in chat.say("yes").text
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Soo Jin", "Kim")


def test_a_name_respelled_at_the_age_question_is_not_a_no(chat, database_url):
    """Held-out set 16: "no dash" was read as "no" to "are you 18?" and the request dropped."""
    chat.say(HAPPY_ANSWERS[0][0])
    chat.say("Mei-Ling Chen")
    reply = chat.say("sorry, it's Meiling, one word, no dash")
    assert DISCARDED not in reply.text and "adults" not in reply.text, reply.text
    assert "18 or older" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[2:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Meiling", "Chen")


def test_a_treatment_remembered_at_the_phone_question_is_stored(chat, database_url):
    """Held-out set 16: "oh and I forgot, also chiropractor few times" was lost."""
    up_to(chat, "phone number")
    reply = chat.say("oh and I forgot, also chiropractor few times")
    assert "updated your treatments" in reply.text and "phone" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[9:])
    (row,) = rows_for(database_url, chat)
    assert "chiropractic" in row["treatments_tried"]
    assert "physical_therapy" in row["treatments_tried"]


def test_an_mri_date_nobody_can_read_is_left_for_the_consultant(chat, database_url):
    """Held-out set 18: "right after the county fair" was asked for four times and lost."""
    up_to(chat, "when was your MRI taken")
    for _ in range(2):
        assert "Which part of your spine" not in chat.say("right after the church picnic").text
    reply = chat.say("right after the church picnic")
    assert "leave the MRI date for a consultant" in reply.text, reply.text
    assert "Which part of your spine" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[5:-1])
    summary = chat.say(HAPPY_ANSWERS[-1][0]).text
    assert "MRI taken: not known" in summary, summary
    assert "Do you agree" in chat.say("yes").text
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert row["mri_taken"] in (None, "")
    assert row["has_mri"] is True


def test_an_mri_date_not_remembered_moves_on_at_once(chat, database_url):
    up_to(chat, "when was your MRI taken")
    reply = chat.say("honestly I can't remember, a while back")
    assert "leave the MRI date for a consultant" in reply.text, reply.text
    # The classifier may hear an alarm in "can't remember": the screen, then the next question.
    reply = answer_screen_if_asked(chat, reply)
    assert "Which part of your spine" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[5:])
    (row,) = rows_for(database_url, chat)
    assert row["mri_taken"] in (None, "")


def test_a_first_name_fixed_with_not_at_the_age_question(chat, database_url):
    """Held-out set 18: "It is Rine, not Rina" was read as "not 18" and the request dropped."""
    chat.say(HAPPY_ANSWERS[0][0])
    chat.say("Jon Doe")
    reply = chat.say("Sorry, typo in my name. It is Jan, not Jon. Jan Doe")
    assert DISCARDED not in reply.text and "adults" not in reply.text, reply.text
    assert "updated your first name" in reply.text and "18 or older" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[2:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Jan", "Doe")


def test_an_email_given_with_the_phone_number_is_kept(chat, database_url):
    """Held-out set 18: the email typed with the phone was dropped, then "same as above"
    at the email question was refused four times."""
    up_to(chat, "phone number")
    reply = chat.say("555 123 4567, email is jon.doe@example.org")
    assert "noted your email" in reply.text and "ZIP code" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[11:])
    (row,) = rows_for(database_url, chat)
    assert row["email"] == "jon.doe@example.org"


def test_treatments_typed_after_a_question_about_the_question(chat, database_url):
    """Held-out set 18: "do I have to answer this one? eh whatever, chiropractor and ..."
    got the medical-advice refusal four times."""
    up_to(chat, "treatments")
    reply = chat.say("do I really have to answer this? eh fine, chiropractor and muscle relaxers")
    assert "phone number" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[9:])
    (row,) = rows_for(database_url, chat)
    assert {"chiropractic", "medication"} <= set(row["treatments_tried"])


def test_a_last_name_respelled_after_an_aside_at_the_age_question(chat, database_url):
    """Held-out set 20: "Sorry, fat fingers. It's Pellegrino, two L's." was asked again as
    the age answer and the misspelt name stored."""
    chat.say(HAPPY_ANSWERS[0][0])
    chat.say("Jon Pelegrino")
    reply = chat.say("Sorry, typed too fast. It's Pellegrino, two Ls.")
    assert "updated your last name" in reply.text and "18 or older" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[2:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Jon", "Pellegrino")


def test_a_region_fixed_as_mine_is_at_the_symptoms_question(chat, database_url):
    """Held-out set 20: "Sorry, not the neck ... Mine is the lower back." was stored as the
    symptoms and the neck kept."""
    up_to(chat, "Which part of your spine")
    assert "main symptoms" in chat.say("neck").text
    reply = chat.say("oops not the neck, that was my husband's scan. Mine is the lower back.")
    assert "updated" in reply.text and "main symptoms" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[6:])
    (row,) = rows_for(database_url, chat)
    assert row["mri_region"] == "lumbar"
    assert row["symptoms"] == HAPPY_ANSWERS[6][0]


def test_late_fixes_and_consent_in_other_words(chat, database_url):
    """Held-out set 21: a ZIP fixed after "forgive me" and "just call me" at later questions
    were read as their answers, and "You have my permission to contact me" was asked four
    times."""
    up_to(chat, "How would you like")
    reply = chat.say("forgive me, my zip code is 10002, I gave you my work one")
    assert "updated" in reply.text and "How would you like" in reply.text, reply.text
    assert "best time" in chat.say("text").text
    reply = chat.say("actually just call me, much easier")
    assert "updated" in reply.text and "best time" in reply.text, reply.text
    assert "Is everything correct?" in chat.say("morning").text
    assert "Do you agree" in chat.say("yes").text
    assert "MRI-" in chat.say("You have my permission to reach out.").text
    (row,) = rows_for(database_url, chat)
    assert (row["zip_code"], row["contact_method"]) == ("10002", "call")


def test_a_question_after_a_lead_in_is_answered_not_stored(chat, database_url):
    """Round 12's browser check: "wait, will my boss see any of this?" at the symptoms
    question was stored as the symptoms."""
    up_to(chat, "main symptoms")
    reply = chat.say("wait, will my boss see any of this?")
    assert "main symptoms" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[6:])
    (row,) = rows_for(database_url, chat)
    assert row["symptoms"] == HAPPY_ANSWERS[6][0]


def test_a_nickname_then_the_real_name_at_the_age_question(chat, database_url):
    """Held-out set 22: "my real name Alcide Joseph Guidry if yall need it for the
    paperwork, T-Boy just what they call me" left the nickname stored."""
    chat.say(HAPPY_ANSWERS[0][0])
    chat.say("T-Bone Arceneaux")
    reply = chat.say(
        "my real name Lucien Paul Arceneaux if you need it for the forms, T-Bone is just "
        "what folks call me"
    )
    assert "updated" in reply.text and "18 or older" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[2:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Lucien Paul", "Arceneaux")


def test_two_given_names_and_two_surnames_keep_both_surnames(chat, database_url):
    """Held-out set 22: "Wilmer Antonio Zelaya Paz" was stored with the last name "Paz"."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("Wilmer Antonio Zelaya Paz").text
    finish(chat, HAPPY_ANSWERS[2:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Wilmer Antonio", "Zelaya Paz")


def test_standing_a_whole_shift_is_sciatica_not_an_emergency(chat, database_url):
    """Held-out set 22: "cant stand at the drive thru window a whole shift" was read as
    being unable to stand, and the patient sent to the emergency room."""
    up_to(chat, "main symptoms")
    symptoms = "burning down my left leg, cant stand at the register a whole shift"
    reply = answer_screen_if_asked(chat, chat.say(symptoms))
    assert "911" not in reply.text and DISCARDED not in reply.text, reply.text
    assert "How long" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[7:])
    (row,) = rows_for(database_url, chat)
    assert row["symptoms"] == symptoms


def test_levels_corrected_within_the_same_region_are_not_the_symptoms(chat, database_url):
    """Held-out set 23: "I should correct myself: the report refers to L4 through S1, not
    L3." at the symptoms question was stored as the symptoms."""
    up_to(chat, "Which part of your spine")
    assert "main symptoms" in chat.say("lower back, L3 to L5").text
    reply = chat.say("sorry, I need to correct that: the report says L4 to S1, not L3")
    assert "noted" in reply.text and "main symptoms" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[6:])
    (row,) = rows_for(database_url, chat)
    assert (row["mri_region"], row["symptoms"]) == ("lumbar", HAPPY_ANSWERS[6][0])


def test_a_question_before_the_symptoms_is_answered_then_the_symptoms_kept(chat, database_url):
    """Held-out set 24: "Before I describe everything - does any of this get shared with my
    employer or my insurance company?" was stored as the symptoms."""
    up_to(chat, "main symptoms")
    reply = chat.say("Before I describe everything - does any of this get shared with my employer?")
    assert "main symptoms" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[6:])
    (row,) = rows_for(database_url, chat)
    assert row["symptoms"] == HAPPY_ANSWERS[6][0]


def test_an_office_dragging_its_feet_is_no_foot_drop(chat, database_url):
    """Held-out set 24: "insurance dragged their feet forever so I finally got it done in
    July" at the MRI date was read as foot drop and the request thrown away."""
    up_to(chat, "when was your MRI taken")
    reply = chat.say(
        "my doctor ordered it in the spring but the insurance dragged their feet forever, "
        "so I finally got it done in July"
    )
    assert "911" not in reply.text and DISCARDED not in reply.text, reply.text
    assert "Which part of your spine" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[5:])
    (row,) = rows_for(database_url, chat)
    assert row["mri_taken"].endswith("-07-01"), row["mri_taken"]


def test_a_zip_code_fixed_in_spanish_at_the_contact_question(chat, database_url):
    """Held-out set 24: "perdón el zip es 33010 no 33012, me mudé" was refused as a
    contact method and 33012 kept."""
    up_to(chat, "ZIP code")
    assert "How would you like" in chat.say("33012").text
    reply = chat.say("perdón el zip es 33010 no 33012, me mudé")
    assert "updated" in reply.text and "How would you like" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[12:])
    (row,) = rows_for(database_url, chat)
    assert row["zip_code"] == "33010"


def test_initials_signed_after_answers_and_a_french_yes(chat, database_url):
    """Held-out set 25: "Erik Lindqvist -EL" kept "-EL" in the last name, "oui" and
    "Confirmed. -EL" were each asked for four times."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("Erik Lindqvist -EL").text
    assert "Have you had an MRI" in chat.say("Yes, 44. -EL").text
    assert "when was your MRI taken" in chat.say("oui").text
    answer_all(chat, HAPPY_ANSWERS[4:])
    assert "Do you agree" in chat.say("Confirmed. -EL").text
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Erik", "Lindqvist")


def test_set_27_a_full_name_after_a_short_one_and_questions_at_contact_fields(chat, database_url):
    """Held-out set 27: "Wes Edmo. Wesley." kept "Wes"; "the phone number should end in
    0138, not 0183." at the email question was refused; a marketing question there got no
    privacy answer; "will you leave a message if I dont pick up?" was stored as text."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("Wes Edmo. Wesley.").text
    answer_all(chat, HAPPY_ANSWERS[2:9])
    assert "email" in chat.say("509-555-0183").text
    reply = chat.say("I beg your pardon, the phone number should end in 0138, not 0183.")
    assert "updated" in reply.text and "email" in reply.text, reply.text
    reply = chat.say("will my email be used for marketing or passed to third parties?")
    assert "privacy" in reply.text.lower() and "email" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[10:11])
    reply = chat.say("10001")
    assert "How would you like" in reply.text, reply.text
    reply = chat.say("cell service is spotty out here, will you leave a message if I dont pick up?")
    assert "How would you like" in reply.text or "call, text or email" in reply.text, reply.text
    assert "best time" in chat.say("call me").text
    assert "Is everything correct?" in chat.say("evenings").text
    finish(chat, [])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["phone"], row["contact_method"]) == (
        "Wesley",
        "+15095550138",
        "call",
    )


def test_set_28_t3s_and_a_call_instead_of_email(chat, database_url):
    """Held-out set 28: "T3s from the doctor" was kept as "other: t3s", and "please
    telephone me instead of emailing" at the best-time question kept email."""
    up_to(chat, "treatments")
    assert "phone number" in chat.say("chiropractor, and T3s from the doctor").text
    answer_all(chat, HAPPY_ANSWERS[9:12])
    assert "best time" in chat.say("Email, please.").text
    reply = chat.say(
        "On second thought, please telephone me instead of emailing. My grandson only checks "
        "my email on Sundays."
    )
    assert "updated" in reply.text and "best time" in reply.text, reply.text
    assert "Is everything correct?" in chat.say("Mornings.").text
    finish(chat, [])
    (row,) = rows_for(database_url, chat)
    assert (sorted(row["treatments_tried"]), row["contact_method"]) == (
        ["chiropractic", "medication"],
        "call",
    )


def test_set_29_a_rank_a_region_taken_back_a_spanish_change_and_a_hawaiian_yes(chat, database_url):
    """Held-out set 29: "SFC Sione Fifita" stored the first name "SFC Sione"; "The MRI was
    only the lower back, the mid back was an x-ray." at the symptoms question was stored as
    the symptoms; "texto... no, mejor llámame" was stored as text; the Hawaiian yes to the
    consent question was asked for four times."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("SFC Sione Fifita").text
    answer_all(chat, HAPPY_ANSWERS[2:5])
    assert "main symptoms" in chat.say("mid back and lower back").text
    reply = chat.say("Sorry, I checked the report. The MRI was only the lower back.")
    assert "updated" in reply.text and "main symptoms" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[6:12])
    assert "best time" in chat.say("texto... no, mejor llámame").text
    assert "Is everything correct?" in chat.say("morning").text
    assert "Do you agree" in chat.say("\u02bbAe, correct").text
    assert "MRI-" in chat.say("\u02bbAe, mahalo").text
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["mri_region"], row["symptoms"], row["contact_method"]) == (
        "Sione",
        "lumbar",
        HAPPY_ANSWERS[6][0],
        "call",
    )


def test_set_30_got_it_and_working_through_it(chat, database_url):
    """Held-out set 30: "Got it." to the MRI question was asked for four times, and "None.
    Just work through it." was stored as the treatment "other: through"."""
    answer_all(chat, HAPPY_ANSWERS[:2])
    assert "Have you had an MRI" in chat.say("yes").text
    assert "when was your MRI taken" in chat.say("Got it.").text
    answer_all(chat, HAPPY_ANSWERS[4:8])
    assert "phone number" in chat.say("None. Just work through it.").text
    finish(chat, HAPPY_ANSWERS[9:])
    (row,) = rows_for(database_url, chat)
    assert (row["has_mri"], row["treatments_tried"]) == (True, ["none"])


def test_set_31_a_short_name_a_spanish_region_the_report_and_the_va(chat, database_url):
    """Held-out set 31: "GEORGIOS PAPADOPOULOS. GEORGE IS FINE" and "espalda de abajo" were
    each asked for four times; "it says thoracic spine, so mid back not lower" at the
    symptoms question was stored as the symptoms; "PT through the VA" stored "through"."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("GEORGIOS PAPADOPOULOS. GEORGE IS FINE").text
    answer_all(chat, HAPPY_ANSWERS[2:5])
    assert "main symptoms" in chat.say("espalda de abajo").text
    reply = chat.say("hold on I looked at the paper, it says thoracic spine, so mid back not lower")
    assert "updated" in reply.text and "main symptoms" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[6:8])
    reply = chat.say("PT through the VA, meloxicam, a TENS unit, and I swim laps")
    assert "phone number" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[9:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"], row["mri_region"]) == (
        "Georgios",
        "Papadopoulos",
        "thoracic",
    )
    assert row["treatments_tried"] == [
        "physical_therapy",
        "medication",
        "other: tens unit",
        "other: swim laps",
    ]


def test_set_32_the_official_given_name_and_only_back(chat, database_url):
    """Held-out set 32: "Pastor Tom Engebretson. Thomas, officially." stored the last name
    "Thomas", and "back" to the region question was asked for four times."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("Pastor Tom Engebretson. Thomas, officially.").text
    answer_all(chat, HAPPY_ANSWERS[2:5])
    assert "main symptoms" in chat.say("back").text
    answer_all(chat, HAPPY_ANSWERS[6:13])
    summary = chat.say(HAPPY_ANSWERS[13][0]).text
    assert "MRI region: not sure" in summary, summary
    finish(chat, [])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"], row["mri_region"]) == (
        "Thomas",
        "Engebretson",
        "unsure",
    )


def test_set_35_down_back_resting_and_the_choices_settled_on(chat, database_url):
    """Held-out set 35: "down back" was asked for four times; "none, just resting on days
    off" stored "other: off"; "email - nvm, call me" stored email; "en la mañana, trabajo
    de 2 a 10 de la noche" stored evening."""
    answer_all(chat, HAPPY_ANSWERS[:5])
    assert "main symptoms" in chat.say("down back").text
    answer_all(chat, HAPPY_ANSWERS[6:8])
    assert "phone number" in chat.say("none, just resting on days off").text
    answer_all(chat, HAPPY_ANSWERS[9:11])
    assert "How would you like" in chat.say(HAPPY_ANSWERS[11][0]).text
    reply = chat.say("email - nvm, call me, I never check that email")
    assert "best time" in reply.text, reply.text
    summary = chat.say("en la mañana, trabajo de 2 a 10 de la noche").text
    assert "Is everything correct?" in summary, summary
    finish(chat, [])
    (row,) = rows_for(database_url, chat)
    assert (row["mri_region"], row["treatments_tried"]) == ("lumbar", ["none"])
    assert (row["contact_method"], row["best_time"]) == ("call", "morning")


def test_set_35_a_region_taken_back_at_the_symptoms_question(chat, database_url):
    """Held-out set 35: "wait sorry not neck, lower back. the neck one was my wife's lol"
    at the symptoms question was stored as the symptoms, and the neck kept."""
    answer_all(chat, HAPPY_ANSWERS[:5])
    assert "main symptoms" in chat.say("neck").text
    reply = chat.say("wait sorry not neck, lower back. the neck one was my wife's lol")
    assert "updated" in reply.text and "main symptoms" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[6:])
    (row,) = rows_for(database_url, chat)
    assert row["mri_region"] == "lumbar"
    assert row["symptoms"] == HAPPY_ANSWERS[6][0]


def test_set_36_a_name_in_two_orders_a_gap_in_the_zip_and_last_digits_r(chat, database_url):
    """Held-out set 36: "Minh Tran. in vietnamese order Tran Van Minh, people at work call
    me Tony" stored the first name "Tran"; "29 920" was asked for four times; "wait last
    digits r 0197 not 0179" at the next question kept the old number."""
    chat.say(HAPPY_ANSWERS[0][0])
    reply = chat.say("Minh Tran. in vietnamese order Tran Van Minh, people at work call me Tony")
    assert "18 or older" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[2:9])
    assert "email" in chat.say("843 555 0179").text
    reply = chat.say("wait last digits r 0197 not 0179")
    assert "updated" in reply.text and "email" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[10:11])
    assert "How would you like" in chat.say("29 920").text
    finish(chat, HAPPY_ANSWERS[12:])
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Minh", "Tran")
    assert (row["phone"], row["zip_code"]) == ("+18435550197", "29920")


def test_set_37_lowa_back_de_noite_and_a_starred_zip(chat, database_url):
    """Held-out set 37: "lowa back lol" and "de noite" were each asked for four times;
    "sorry, *02914, I always mix it up" after the ZIP code question kept the old one."""
    answer_all(chat, HAPPY_ANSWERS[:5])
    assert "main symptoms" in chat.say("lowa back lol").text
    answer_all(chat, HAPPY_ANSWERS[6:11])
    assert "How would you like" in chat.say("02915").text
    reply = chat.say("sorry, *02914, I always mix it up")
    assert "updated" in reply.text and "How would you like" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[12:13])
    assert "Is everything correct?" in chat.say("de noite").text
    finish(chat, [])
    (row,) = rows_for(database_url, chat)
    assert (row["mri_region"], row["zip_code"], row["best_time"]) == ("lumbar", "02914", "evening")


def test_set_37_they_did_the_neck(chat, database_url):
    """Held-out set 37: "sorry, they did the neck, not the upper back" at the symptoms
    question was stored as the symptoms, and the upper back kept."""
    answer_all(chat, HAPPY_ANSWERS[:5])
    assert "main symptoms" in chat.say("upper back").text
    reply = chat.say("sorry, they did the neck, not the upper back")
    assert "updated" in reply.text and "main symptoms" in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[6:])
    (row,) = rows_for(database_url, chat)
    assert (row["mri_region"], row["symptoms"]) == ("cervical", HAPPY_ANSWERS[6][0])


def test_round_18_a_question_before_a_yes_or_no_is_answered_not_read_as_a_no(chat, database_url):
    """Round 18's development intakes: "Before I answer, is there an upper age limit for
    this service? I am not a young man." ended the request as under 18, and "before I say
    yes, is this gonna cost me anything? I'm on Medicare and I don't need no surprise bill"
    at the consent question threw it away: the words after the question were read as a no.
    "yh", "le matin avant 10h" and "lgtm" were each asked for four times."""
    chat.say(HAPPY_ANSWERS[0][0])
    assert "18 or older" in chat.say("Jon Doe").text
    reply = chat.say(
        "Before I answer, is there an upper age limit for this service? I am not a young man."
    )
    assert "18 or older" in reply.text and DISCARDED not in reply.text, reply.text
    assert "Have you had an MRI" in chat.say("yes, 67").text
    assert "when was your MRI taken" in chat.say("yh").text
    answer_all(chat, HAPPY_ANSWERS[4:13])
    assert "Is everything correct?" in chat.say("le matin avant 10h").text
    assert "Do you agree" in chat.say("lgtm").text
    reply = chat.say(
        "before I say yes, is this gonna cost me anything? I'm on Medicare and I don't need "
        "no surprise bill"
    )
    assert "Do you agree" in reply.text and "haven't saved" not in reply.text, reply.text
    # Round 19: an answer inside the intake offered to start the request being made.
    assert "no cost" in reply.text and "I can start" not in reply.text, reply.text
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert (row["adult"], row["best_time"], row["email"]) == (True, "morning", "jon.doe@mail.com")


def test_round_19_a_patient_without_an_email_gets_through_and_is_called(chat, database_url):
    """Round 19's development intakes: "NONE I DONT DO EMAIL" and "none" were asked for four
    times and the request was never made; email by email with no address is refused."""
    up_to(chat, "email")
    reply = chat.say("NONE I DONT DO EMAIL")
    assert "reach you by phone" in reply.text and "ZIP code" in reply.text, reply.text
    assert "How would you like" in chat.say("10001").text
    reply = chat.say("email")
    assert "didn't give an email address" in reply.text, reply.text
    assert "best time" in chat.say("call").text
    summary = chat.say("morning").text
    assert "Email: none given" in summary, summary
    consent = chat.say("yes").text
    assert "Do you agree" in consent and "email" not in consent.lower(), consent
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert (row["email"], row["contact_method"], row["phone"]) == (None, "call", "+15551234567")
    # What was agreed to is what was shown: calls and texts, no emails.
    assert "email" not in row["consent_text"].lower() and "no-email" in row["consent_version"]


def test_round_19_ordinary_sciatica_and_region_words_keep_the_intake(chat, database_url):
    """Round 19's development intakes: "foot feels weak pushing the clutch" and legs "weak
    and heavy" walking in from the parking lot were sent to the emergency room; "l five s
    one" and "back down side, waist" were asked for four times."""
    answer_all(chat, HAPPY_ANSWERS[:5])
    assert "main symptoms" in chat.say("l five s one").text
    reply = chat.say(
        "right leg pain down the side, foot feels weak pushing the clutch, sitting is the worst"
    )
    reply = answer_screen_if_asked(chat, reply)
    assert "How long" in reply.text and DISCARDED not in reply.text, reply.text
    finish(chat, HAPPY_ANSWERS[7:])
    (row,) = rows_for(database_url, chat)
    assert row["mri_region"] == "lumbar" and "clutch" in row["symptoms"]


def test_set_41_minnesota_nice_answers_get_through(chat, database_url):
    """Held-out set 41: "Oh, I'd say so. 61." and "after dark, I'm out in the shop days" were
    asked for four times; "Ope, how much detail do you need?" was stored as the symptoms;
    "actually email is probably better" one question later kept the text."""
    chat.say(HAPPY_ANSWERS[0][0])
    chat.say("Jon Doe")
    assert "Have you had an MRI" in chat.say("Oh, I'd say so. 61.").text
    answer_all(chat, HAPPY_ANSWERS[3:5])
    assert "main symptoms" in chat.say("lower back").text
    reply = chat.say("Ope, how much detail do you need? I don't want to ramble")
    assert "main symptoms" in reply.text and "How long" not in reply.text, reply.text
    assert "How long" in chat.say(HAPPY_ANSWERS[6][0]).text
    answer_all(chat, HAPPY_ANSWERS[7:12])
    assert "best time" in chat.say("text me").text
    reply = chat.say("actually email is probably better, I never see texts during practice")
    assert "updated your contact method" in reply.text and "best time" in reply.text, reply.text
    assert "Is everything correct?" in chat.say("after dark, I'm out in the shop days").text
    finish(chat, [])
    (row,) = rows_for(database_url, chat)
    assert (row["symptoms"], row["contact_method"], row["best_time"]) == (
        HAPPY_ANSWERS[6][0], "email", "evening",
    )  # fmt: skip


def test_set_42_a_phone_number_sent_in_two_parts(chat, database_url):
    """Held-out set 42: "my number is 909", then "555 0143 sorry it sent before i finished"
    was asked for four times and the request never made."""
    up_to(chat, "phone number")
    assert "email" not in chat.say("my number is 909").text.lower()
    reply = chat.say("555 0143 sorry it sent before i finished")
    assert "email" in reply.text.lower(), reply.text
    finish(chat, HAPPY_ANSWERS[10:])
    (row,) = rows_for(database_url, chat)
    assert row["phone"] == "+19095550143"


def test_round_20_a_question_at_the_consent_is_answered_and_stores_nothing(chat, database_url):
    """Round 20's development intakes: "if I agree will you sell my number to lawyers or
    advertisement?" was stored as consent; "tyler bergstrom. why do you need that" was asked
    for four times."""
    chat.say(HAPPY_ANSWERS[0][0])
    reply = chat.say("tyler bergstrom. why do you need that")
    assert "privacy" in reply.text.lower() and "18 or older" in reply.text, reply.text
    answer_all(chat, HAPPY_ANSWERS[2:])
    assert "Do you agree" in chat.say("yes").text
    reply = chat.say("if I agree will you sell my number to lawyers or advertisement?")
    assert "Do you agree" in reply.text and "MRI-" not in reply.text, reply.text
    assert rows_for(database_url, chat) == []
    assert "MRI-" in chat.say("yes").text
    (row,) = rows_for(database_url, chat)
    assert (row["first_name"], row["last_name"]) == ("Tyler", "Bergstrom")
