"""Examples of what patients type, and what each intake validator makes of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from spinecare.intake import consent
from spinecare.intake.checks import check_answer
from spinecare.intake.validators import (
    Invalid,
    PersonName,
    Valid,
    ZipLocation,
    chooses_contact_method,
    parse_yes_no,
    phone_in_two_parts,
    validate_adult,
    validate_best_time,
    validate_consent,
    validate_contact_method,
    validate_email,
    validate_has_mri,
    validate_mri_date,
    validate_mri_region,
    validate_name,
    validate_phone,
    validate_symptom_duration,
    validate_symptoms,
    validate_treatments,
    validate_zip,
    zip_missing_its_zero,
)

TODAY = date(2026, 11, 25)


def value_of(result):
    assert isinstance(result, Valid), result
    return result.value


def reason_of(result) -> str:
    assert isinstance(result, Invalid), result
    assert result.reason.endswith((".", "?"))
    return result.reason


# --- shared yes/no ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes!", "yeah", "yep I am", "sure", "of course", "I do", "I think so", "Y", "ok"],
)
def test_yes_answers(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    "text",
    ["no", "No.", "nope", "nah", "not yet", "I'm not", "I don't think so", "definitely not", "n"],
)
def test_no_answers(text):
    assert parse_yes_no(text) is False


@pytest.mark.parametrize(
    ("text", "answer"),
    [("\u2705", True), ("\u2714\ufe0f yes", True), ("\U0001f44c", True), ("ofc", True),
     ("\u274c", False), ("\U0001f44e", False), ("\u2705\u274c", None)],
)  # fmt: skip
def test_a_phone_keyboards_ticks_and_crosses_say_yes_and_no(text, answer):
    assert parse_yes_no(text, statement_is_yes=False) is answer


@pytest.mark.parametrize("text", ["", "maybe", "not sure", "I don't know", "yeah no", "banana"])
def test_unclear_answers(text):
    assert parse_yes_no(text) is None


# --- name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("my name is Jon Doe", "Jon", "Doe"),
        ("jon doe", "Jon", "Doe"),
        ("   Jon    Doe  ", "Jon", "Doe"),
        ("Hi, I'm Mary-Jane O'Neil", "Mary-Jane", "O'Neil"),
        ("Doe, Jon", "Jon", "Doe"),
        ("Dr. Sarah Connor", "Sarah", "Connor"),
        ("ludwig van beethoven", "Ludwig", "van Beethoven"),
        ("Mary Ann Smith", "Mary Ann", "Smith"),
        ("JOHN SMITH JR", "John", "Smith Jr"),
        ("José Álvarez", "José", "Álvarez"),
        ("McDonald Ronald", "McDonald", "Ronald"),
        ("Ima Hogg", "Ima", "Hogg"),
        ("Jon Petty", "Jon", "Petty"),
        # Texting: "pls" and ", ty" are not a surname; "Ty" after no comma is one.
        ("its maria lopez pls", "Maria", "Lopez"),
        ("Maria Lopez, ty", "Maria", "Lopez"),
        ("John Ty", "John", "Ty"),
        ("ur talking to maria lopez", "Maria", "Lopez"),
        # Held-out set 15: two surnames no list holds, after given names the dictionary of
        # given names knows; an Italian "Lo"; a nickname after a full stop or a dash.
        ("Ana Lucía Xicará Batz", "Ana Lucía", "Xicará Batz"),
        ("Luis Fernando Ajú Tzoc", "Luis Fernando", "Ajú Tzoc"),
        ("Gabriela Sical Coc", "Gabriela", "Sical Coc"),
        ("Francesco Lo Bianco", "Francesco", "Lo Bianco"),
        ("Michael O'Brien. Mickey.", "Michael", "O'Brien"),
        ("Michael O'Brien - Mickey", "Michael", "O'Brien"),
        # A middle name the dictionary knows, an initial, a surname-like middle name
        # before a known one, initials before a stop: the middle stays with the first.
        ("Muhammad Bilal Qureshi", "Muhammad Bilal", "Qureshi"),
        ("John Q Public", "John Q", "Public"),
        ("John Fitzgerald Kennedy", "John Fitzgerald", "Kennedy"),
        ("J. R. Smith", "J. R.", "Smith"),
        # A Hmong given name of two words before the clan name (held-out set 14).
        ("Mai Yer Lor", "Mai Yer", "Lor"),
        # Native American surnames of two words (held-out set 17).
        ("Tashina Running Crane", "Tashina", "Running Crane"),
        ("Rosalie Two Bulls", "Rosalie", "Two Bulls"),
        ("Marcus Old Coyote", "Marcus", "Old Coyote"),
    ],
)
def test_names(text, first, last):
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    "text",
    [
        "<b>Jon</b> Doe",
        "<img src=x onerror=alert(1)> Doe",
        "[Jane](javascript:alert(1)) Smith",
        "[Jane](javascript:alert) Smith",
        "Jane *Smith*",
        "Jane_Smith Doe",
        "Doe, Jon, Smith",
    ],
)
def test_name_with_markup_or_link_syntax_is_refused(text):
    # Issue 9: a name is echoed in markdown and stored; only name characters are accepted.
    assert not validate_name(text).ok


def test_refused_name_says_which_characters_a_name_may_have():
    assert "only have letters" in reason_of(validate_name("<b>Jon</b> Doe"))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Zoë D\u2019Arcy", "Zoë", "D\u2019Arcy"),  # a typographic apostrophe
        ("प्रिया शर्मा", "प्रिया", "शर्मा"),  # Devanagari: letters and combining marks
        ("Jon St. John", "Jon", "St. John"),
    ],
)
def test_names_in_any_script_with_name_punctuation(text, first, last):
    assert value_of(validate_name(text)) == PersonName(first, last)


def test_name_drops_invisible_control_characters():
    assert value_of(validate_name("Jon\u202e Doe\x1b")) == PersonName("Jon", "Doe")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "first and last name"),
        ("Jon", "both"),
        ("R2D2 Smith", "numbers"),
        ("jon@doe.com", "email"),
        ("x" * 101, "longer"),
        ("!!! ??? ###", "doesn't look like a name"),
        ("yes, I agree", "doesn't look like a name"),
        ("no", "doesn't look like a name"),
        ("cancel please", "doesn't look like a name"),
        ("talk to someone", "doesn't look like a name"),
        ("one two three four five six seven", "more than a name"),
    ],
)
def test_invalid_names(text, says):
    assert says in reason_of(validate_name(text))


# --- phone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("(212) 555-0182", "+12125550182"),
        ("555 123 4567", "+15551234567"),
        ("+1 415 555 2671", "+14155552671"),
        ("1-212-555-0182", "+12125550182"),
        ("212.555.0182", "+12125550182"),
        ("my number is 2125550182, thanks", "+12125550182"),
        ("\uff12\uff11\uff12\uff15\uff15\uff15\uff10\uff11\uff18\uff12", "+12125550182"),
    ],
)
def test_phones(text, e164):
    assert value_of(validate_phone(text)) == e164


def test_phone_extension_and_display_form():
    result = validate_phone("212-555-0182 ext 12")
    assert value_of(result) == "+12125550182"
    assert result.extra == {"national": "(212) 555-0182", "extension": "12"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("555 0182", "area code"),
        ("212 555 018", "number of digits"),
        ("123 456 7890", "doesn't look like a US phone number"),
        ("911 555 0182", "doesn't look like a US phone number"),
        ("+44 20 7946 0958", "US phone numbers"),
        ("212 555 0182 or 415 555 2671", "just one"),
        ("call me maybe", "10-digit"),
        ("", "10-digit"),
    ],
)
def test_invalid_phones(text, says):
    assert says in reason_of(validate_phone(text))


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("cell 512-555-0101 is best, work 512-555-0199", "+15125550101"),
        ("home (512) 555-0101 but my cell 512-555-0199 is better", "+15125550199"),
        ("512-555-0101 (cell, preferred) or 512-555-0199 (work)", "+15125550101"),
        ("best to reach me on 512-555-0101, landline is 512-555-0199", "+15125550101"),
    ],
)
def test_of_two_phones_the_one_marked_best_is_kept(text, e164):
    assert value_of(validate_phone(text)) == e164


# --- email --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("my email is Jon.Doe@Mail.com", "jon.doe@mail.com"),
        ("jon@mail.com.", "jon@mail.com"),
        ("<JON@MAIL.COM>", "jon@mail.com"),
        ("mailto:jane@example.org", "jane@example.org"),
        # Said aloud, as on a phone or by voice typing.
        ("jon at mail dot com", "jon@mail.com"),
        ("it's rob underscore alvarez at icloud dot com", "rob_alvarez@icloud.com"),
        ("kmcallister (at) icloud (dot) com", "kmcallister@icloud.com"),
        ("jc.garcia.marquez @ gmail.com", "jc.garcia.marquez@gmail.com"),
        # ... unless the person says how the words join.
        ("gary peterson at gmail dot com, all one word", "garypeterson@gmail.com"),
        ("its mike underscore d 1985 at example.net, no spaces", "mike_d1985@example.net"),
        (
            "mi correo es lupita punto martinez arroba example punto com",
            "lupita.martinez@example.com",
        ),
    ],
)
def test_emails(text, address):
    assert value_of(validate_email(text)) == address


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("jon at mail", "doesn't look like an email"),
        # A spoken address with more words before it might be cut short: asked again.
        ("gary peterson at gmail dot com", "doesn't look like an email"),
        ("jon@mail", "doesn't look right"),
        ("a@mail.com or b@mail.com", "just one"),
        ("", "email address"),
    ],
)
def test_invalid_emails(text, says):
    assert says in reason_of(validate_email(text))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # Held-out set 19 had these asked again; round 20's development intakes ("d carter 88
        # @ example . net", asked until the email was left out) showed the initial and the
        # digits said apart are the address's, as a receptionist would write them. The
        # summary shows the address for the patient to check.
        ("j smith @ example.com", "jsmith@example.com"),
        ("its k nguyen@example.org", "knguyen@example.org"),
        ("d carter 88 @ example . net", "dcarter88@example.net"),
    ],
)
def test_an_initial_and_digits_said_apart_belong_to_the_address(text, address):
    assert value_of(validate_email(text)) == address


# --- ZIP ----------------------------------------------------------------------------


def test_zip_gives_state():
    assert value_of(validate_zip("my zip is 10001")) == ZipLocation("10001", "NY", "New York")
    assert value_of(validate_zip("90210-1234")).state == "CA"


@pytest.mark.parametrize(
    ("text", "says"),
    [("99999", "couldn't find"), ("1234", "5 digits"), ("10001 94103", "just one"), ("", "ZIP")],
)
def test_invalid_zips(text, says):
    assert says in reason_of(validate_zip(text))


@pytest.mark.parametrize(
    ("text", "suggested"),
    [("2740", "02740"), ("zip is 4240", "04240"), ("9021", None), ("1234", None),
     ("2740 or 2745", None)],
)  # fmt: skip
def test_four_digits_suggest_the_zip_code_with_its_leading_zero(text, suggested):
    """Held-out set 49; military mail codes (09xxx) and unknown ones are never suggested."""
    found = zip_missing_its_zero(text)
    assert (found.zip_code if found else None) == suggested
    assert reason_of(validate_zip(text))
    if suggested:
        assert f"Did you mean {suggested}" in reason_of(validate_zip(text))


@pytest.mark.parametrize(
    "text", ["I live in 60614 but work in 60601", "work zip 60601, home 60614"]
)
def test_of_two_zips_the_home_one_is_kept(text):
    assert value_of(validate_zip(text)).zip_code == "60614"


# --- eligibility --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "adult"),
    [
        ("yes", True),
        ("I'm 45", True),
        ("45", True),
        ("over 18", True),
        ("18+", True),
        ("I am an adult", True),
        ("no", False),
        ("16", False),
        ("no, I'm 16", False),
        ("not over 18", False),
        ("I'm a minor", False),
    ],
)
def test_adult(text, adult):
    assert value_of(validate_adult(text)) is adult


@pytest.mark.parametrize("text", ["not sure", "200", "purple"])
def test_adult_unclear(text):
    assert reason_of(validate_adult(text))


@pytest.mark.parametrize(
    ("text", "has_mri"),
    [("yes", True), ("I had one last year", True), ("MRI", True), ("nope", False)],
)
def test_has_mri(text, has_mri):
    assert value_of(validate_has_mri(text)) is has_mri


def test_other_imaging_is_not_an_mri():
    result = validate_has_mri("only an x-ray")
    assert value_of(result) is False
    assert result.extra == {"other_imaging": True}


def test_consent_answer():
    assert value_of(validate_consent("yes, I agree")) is True
    assert value_of(validate_consent("no")) is False
    assert "yes" in reason_of(validate_consent("what does that mean"))


@pytest.mark.parametrize(
    ("text", "agreed"),
    [("You have my permission to reach out.", True), ("sure, you may call me", True),
     ("I give you my consent", True), ("you may not contact me", False)],
)  # fmt: skip
def test_consent_in_other_words(text, agreed):
    """Held-out set 21: "You have my permission to contact me" was asked four times."""
    assert value_of(validate_consent(text)) is agreed


def test_consent_text_says_what_is_agreed():
    text = consent.CONSENT_TEXT
    for words in ("call", "text", "email", "not a condition of any purchase", "Reply STOP"):
        assert words in text
    assert "Spine Care Consultants" in text
    record = consent.consent_record("socketio")
    assert record["consent"] is True
    assert record["consent_version"] == consent.CONSENT_VERSION
    assert record["consent_text"] == text
    assert record["consented_at"].tzinfo is not None
    assert record["channel"] == "socketio"
    assert "\n" not in consent.PRIVACY_NOTICE


def test_without_an_email_the_consent_names_no_email():
    """Round 19: a patient who gave no email was asked to agree to emails."""
    record = consent.consent_record("socketio", email_given=False)
    assert "email" not in record["consent_text"].lower()
    assert record["consent_version"] != consent.CONSENT_VERSION
    assert "call" in record["consent_text"] and "Reply STOP" in record["consent_text"]


# --- MRI date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month", "older"),
    [
        ("about three months ago", date(2026, 8, 1), False),
        ("last March", date(2026, 3, 1), False),
        ("03/2025", date(2025, 3, 1), False),
        ("2 years ago", date(2024, 11, 1), False),
        ("over two years ago", date(2024, 10, 1), True),
        ("in January", date(2026, 1, 1), False),
        ("a couple of months ago", date(2026, 9, 1), False),
        ("six weeks ago", date(2026, 10, 1), False),
        ("a year and a half ago", date(2025, 5, 1), False),
        ("March of last year", date(2025, 3, 1), False),
        ("last November", date(2025, 11, 1), False),
        ("in november", date(2026, 11, 1), False),
        ("summer 2024", date(2024, 7, 1), True),
        ("last summer", date(2026, 7, 1), False),
        ("early 2024", date(2024, 2, 1), True),
        ("dec '23", date(2023, 12, 1), True),
        ("2025-03-15", date(2025, 3, 1), False),
        ("15/03/2025", date(2025, 3, 1), False),
        ("I may have had it in march", date(2026, 3, 1), False),
        ("yesterday", date(2026, 11, 1), False),
        ("last month", date(2026, 10, 1), False),
    ],
)
def test_mri_dates(text, month, older):
    result = validate_mri_date(text, TODAY)
    assert value_of(result) == month
    assert result.extra == {"older_than_two_years": older}


def test_mri_date_at_the_start_of_a_month():
    result = validate_mri_date("about three months ago", date(2026, 1, 1))
    assert value_of(result) == date(2025, 10, 1)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("next month", "future"),
        ("tomorrow", "future"),
        ("2030", "future"),
        ("1975", "too far back"),
        ("5", "didn't catch"),
        ("hello", "didn't catch"),
        ("", "When was the MRI taken"),
    ],
)
def test_invalid_mri_dates(text, says):
    assert says in reason_of(validate_mri_date(text, TODAY))


# --- region, symptoms, duration, treatments -----------------------------------------


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("lower back", "lumbar"),
        ("L4-L5", "lumbar"),
        ("lower", "lumbar"),
        ("my neck", "cervical"),
        ("C5-C6", "cervical"),
        ("mid back", "thoracic"),
        ("between my shoulder blades", "thoracic"),
        ("hip", "other"),
        ("whole spine", "other"),
        ("something else", "other"),
        ("not my neck, my lower back", "lumbar"),
        ("neck and lower back", "cervical+lumbar"),
        ("Mid back and low back. I had both done.", "thoracic+lumbar"),
        ("C5-C6 and L4-L5, plus the middle of my back", "cervical+thoracic+lumbar"),
    ],
)
def test_mri_regions(text, region):
    assert value_of(validate_mri_region(text)) == region


@pytest.mark.parametrize("text", ["banana", ""])
def test_invalid_mri_regions(text):
    assert "lower back, mid back, neck" in reason_of(validate_mri_region(text))


def test_symptoms_are_free_text_with_limits():
    assert value_of(validate_symptoms("  sharp pain\r\ndown my left leg ")) == (
        "sharp pain\ndown my left leg"
    )
    assert value_of(validate_symptoms("<i>ouch</i>")) == "<i>ouch</i>"
    assert "few words" in reason_of(validate_symptoms("ok"))
    assert "few words" in reason_of(validate_symptoms("..."))
    assert value_of(validate_symptoms("x" * 1000))
    assert "1000" in reason_of(validate_symptoms("x" * 1001))


@pytest.mark.parametrize(
    ("text", "phrase", "weeks"),
    [
        ("about three months", "about three months", 13),
        ("since last summer", "since last summer", 21),
        ("2 weeks", "2 weeks", 2),
        ("years", "years", None),
        ("It's been going on for 6 months.", "6 months", 26),
        ("I've had it for a year and a half", "a year and a half", 78),
        ("since the accident", "since the accident", None),
        ("since Monday", "since monday", 0),
        ("since March", "since march", 38),
        ("half a year", "half a year", 26),
    ],
)
def test_symptom_durations(text, phrase, weeks):
    result = validate_symptom_duration(text, TODAY)
    assert value_of(result) == phrase
    assert result.extra == {"weeks": weeks}


def test_symptom_duration_needs_an_answer():
    assert "How long" in reason_of(validate_symptom_duration("  ?! ", TODAY))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("PT and a couple of injections", ["physical_therapy", "injections"]),
        ("just ibuprofen", ["medication"]),
        ("nothing yet", ["none"]),
        ("no", ["none"]),
        ("I haven't tried anything", ["none"]),
        ("nothing but ibuprofen", ["medication"]),
        ("no surgery, just PT", ["physical_therapy"]),
        ("steroid shots", ["injections"]),
        ("an epidural and gabapentin", ["medication", "injections"]),
        ("chiropractor, physio, meds", ["physical_therapy", "medication", "chiropractic"]),
        ("had a microdiscectomy in 2019", ["surgery"]),
        ("I tried ibuprofen", ["medication"]),
        ("muscle relaxers", ["medication"]),
        ("tried everything, pt, shots, pills", ["physical_therapy", "medication", "injections"]),
        ("over the counter stuff", ["medication"]),
        ("I haven't tried anything", ["none"]),
        # Anything else is kept in the person's words for the consultants to read.
        ("acupuncture", ["other: acupuncture"]),
        ("stretching", ["other: stretching"]),
        ("ibuprofen and stretching", ["medication", "other: stretching"]),
        ("heat and ice", ["other: heat", "other: ice"]),
        ("massage and some yoga", ["other: massage", "other: yoga"]),
        ("medrol dose pack and a tens unit", ["medication", "other: tens unit"]),
        ("i dont remember", ["other: not sure"]),
        # Spanish names of the listed treatments.
        ("la terapia fisica y pastillas", ["physical_therapy", "medication"]),
        ("fisioterapia", ["physical_therapy"]),
        # A treatment only planned has not been tried.
        ("nothing yet, my doc wants me to try pt first", ["none"]),
        ("not yet, I'm supposed to start physical therapy next week", ["none"]),
        ("ibuprofen, and my doctor wants me to try injections next", ["medication"]),
        ("I'm going to PT twice a week", ["physical_therapy"]),
        # Taken back, or tried for another part of the body, is not tried for the back;
        # a bare "wait" adds one.
        ("PT no wait i mean massage", ["other: massage"]),
        ("physical therapy was for my knee, for my back only advil", ["medication"]),
        ("ibuprofen, oh wait, and a chiropractor", ["medication", "chiropractic"]),
        ("pt n advil", ["physical_therapy", "medication"]),
        ("chiro 2x a wk", ["chiropractic"]),
        # Held-out set 15: moving about beside "nothing" is nothing tried.
        ("nothing really, just resting and walking", ["none"]),
        ("walking", ["other: walking"]),
        # Held-out set 19: home care named after "nothing" is what was tried.
        ("nothing really, some stretching", ["other: stretching"]),
        ("none really, a heating pad now and then", ["other: heating pad"]),
        # Held-out set 20: a brand of paracetamol, and words that close the list.
        ("panadol and some tiger balm, nothing else", ["medication", "other: tiger balm"]),
        ("chiro, then percocet after the chiro stopped helping", ["medication", "chiropractic"]),
        # Held-out set 21: who gave it and the insurance are not treatments.
        (
            "PT twice a week with Dr. Okafor, I'm on Aetna if you need that",
            ["physical_therapy"],
        ),
        # Round 12's REST check: the insurance clause had taken the medicine before it.
        (
            "PT with Dr. Okafor and some panadol, I'm on Aetna if that matters",
            ["physical_therapy", "medication"],
        ),
        ("the shots were for my shoulder, nothing for my back", ["none"]),
        # Held-out set 23: "Kaiser PT" lost the physical therapy to the insurance remark.
        ("Kaiser PT, Advil, acupuncture", ["physical_therapy", "medication", "other: acupuncture"]),
        ("I have Kaiser if that matters, did PT", ["physical_therapy"]),
        # Held-out set 14: a traditional healer, stored as medication and "other: man".
        (
            "Physical therapy for 6 weeks, naproxen, and I also saw a medicine man",
            ["physical_therapy", "medication", "other: medicine man"],
        ),
    ],
)
def test_treatments(text, codes):
    assert value_of(validate_treatments(text)) == codes


@pytest.mark.parametrize("text", ["no injections or surgery", "", " ?! "])
def test_treatments_unclear(text):
    assert "Which treatments" in reason_of(validate_treatments(text))


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("call me", "call"),
        ("phone", "call"),
        ("text please", "text"),
        ("text my cell", "text"),
        ("don't call, text me", "text"),
        ("E-mail", "email"),
    ],
)
def test_contact_methods(text, method):
    assert value_of(validate_contact_method(text)) == method


@pytest.mark.parametrize(
    ("text", "method"),
    [("call or text", "call"), ("text or call is fine, text first", "text"),
     ("email first please, or a call", "email")],
)  # fmt: skip
def test_two_contact_methods_take_the_preferred_or_the_first(text, method):
    assert value_of(validate_contact_method(text)) == method


@pytest.mark.parametrize("text", ["not sure yet", "hmm", ""])
def test_contact_method_unclear(text):
    assert "call, text or email" in reason_of(validate_contact_method(text))


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("ASAP", "asap"),
        ("whenever", "asap"),
        ("mornings", "morning"),
        ("9am", "morning"),
        ("before lunch", "morning"),
        ("anytime in the morning", "morning"),
        ("around lunch", "afternoon"),
        ("at 3", "afternoon"),
        ("after 5pm", "evening"),
        ("evenings after work", "evening"),
        ("I am free after 6", "evening"),
    ],
)
def test_best_times(text, time):
    assert value_of(validate_best_time(text)) == time


@pytest.mark.parametrize("text", ["morning or afternoon", "late", ""])
def test_best_time_unclear(text):
    assert "morning, afternoon or evening" in reason_of(validate_best_time(text))


@pytest.mark.parametrize("text", ["saturday", "Weekends", "sat or sun", "el sábado"])
def test_a_day_alone_is_asked_for_its_time_of_day(text):
    assert "what time of day is best" in reason_of(validate_best_time(text))


def test_reasons_never_repeat_what_was_typed():
    secret = "Zebediah Quux 212-555-0199 zq@mail.com"
    validators = [
        validate_adult,
        validate_best_time,
        validate_contact_method,
        validate_email,
        validate_has_mri,
        validate_mri_region,
        validate_phone,
        validate_treatments,
        validate_zip,
    ]
    for validator in validators:
        result = validator(secret)
        if isinstance(result, Invalid):
            assert "Zebediah" not in result.reason and "0199" not in result.reason


@pytest.mark.parametrize(
    ("text", "month"),
    [("around Thanksgiving", date(2026, 11, 1)), ("around halloween", date(2026, 10, 1)),
     ("6 monts ago", date(2026, 6, 1)), ("late september? maybe early october", date(2026, 9, 1)),
     ("just after christmas", date(2025, 12, 1))],
)  # fmt: skip
def test_mri_dates_people_give_by_holidays_typos_and_guesses(text, month):
    assert value_of(validate_mri_date(text, date(2026, 12, 1))) == month


@pytest.mark.parametrize(
    ("text", "time"),
    [("evening after 7", "evening"), ("between 1 and 4", "afternoon"), ("eve", "evening"),
     ("mornin", "morning"), ("any time before noon", "morning")],
)  # fmt: skip
def test_best_times_in_loose_words(text, time):
    assert value_of(validate_best_time(text)) == time


@pytest.mark.parametrize(
    "text",
    # Held-out set 23: "good now" at the summary after a fix was asked four times.
    ["si", "ye", "yes ma'am", "sure am", "yup", "good now", "good", "Good!", "all good to go"],
)
def test_more_ways_to_say_yes(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    ("text", "region"),
    [("middle of my back", "thoracic"), ("lower part of my back", "lumbar"),
     ("lowr back", "lumbar"), ("lumber", "lumbar")],
)  # fmt: skip
def test_regions_in_loose_words_and_typos(text, region):
    assert value_of(validate_mri_region(text)) == region


def test_two_times_of_day_take_the_one_marked_best():
    text = "Mornings are best, I have bridge club in the afternoons."
    assert value_of(validate_best_time(text)) == "morning"
    assert value_of(validate_best_time("during naptime so like 1-3")) == "afternoon"


@pytest.mark.parametrize("text", ["yes no problem", "sure, why not", "no worries, yes"])
def test_yes_idioms_with_a_no_in_them(text):
    assert parse_yes_no(text) is True


def test_a_bare_duration_answers_when_the_mri_was_taken():
    assert value_of(validate_mri_date("4 months", date(2026, 12, 1))) == date(2026, 8, 1)


def test_answers_seen_in_held_out_patients_read_as_meant():
    assert value_of(validate_name("Beverly Ostrander, but everyone calls me Bev")) == PersonName(
        "Beverly", "Ostrander"
    )
    assert value_of(validate_adult("you betcha, 69")) is True
    assert value_of(validate_mri_region("L spine")) == "lumbar"
    assert parse_yes_no("sí") is True and parse_yes_no("all good") is True
    assert parse_yes_no("Yes, that's fine with me.") is True
    assert value_of(validate_best_time("early afternoon")) == "afternoon"


def test_answers_of_held_out_set_4_patients_read_as_meant():
    """Held-out set 4 (tests/eval/fresh4/, now seen): each of these failed a whole intake."""
    today = date(2026, 12, 2)
    # Spanish dates: asked four times and given up on.
    assert value_of(validate_mri_date("en marzo", today)) == date(2026, 3, 1)
    assert value_of(validate_mri_date("en mayo de este año", today)) == date(2026, 5, 1)
    assert value_of(validate_mri_date("hace 2 semanas", today)) == date(2026, 11, 1)
    assert value_of(validate_mri_date("hace dos meses", today)) == date(2026, 10, 1)
    # A yes held down, and consent in its own word.
    assert parse_yes_no("yesss") is True and parse_yes_no("nooo") is False
    assert value_of(validate_consent("I consent.")) is True
    assert value_of(validate_consent("de acuerdo")) is True
    assert parse_yes_no("I do not consent") is not True
    # Two methods with the preferred one named; a range of hours read from its start.
    assert value_of(validate_contact_method("call or text, text better")) == "text"
    assert value_of(validate_best_time("Between ten and noon, please.")) == "morning"
    assert value_of(validate_best_time("after six")) == "evening"
    # An Irish surname particle stays with the surname.
    assert value_of(validate_name("Saoirse Ní Bhriain")) == PersonName("Saoirse", "Ní Bhriain")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Physical therapy on two occasions, and a cortisone injection last spring.",
         ["physical_therapy", "injections"]),
        ("chiropractor, and ibuprofen when its bad", ["medication", "chiropractic"]),
        ("I have had shots in my back and I take Tylenol.", ["medication", "injections"]),
        ("physio and a few sessions with a chiropractor", ["physical_therapy", "chiropractic"]),
        ("terapia física y pastillas para el dolor", ["physical_therapy", "medication"]),
        ("ninguno todavía", ["none"]),
        ("Physiotherapy and analgesics.", ["physical_therapy", "medication"]),
        ("meds and pt, and i stretch every day",
         ["physical_therapy", "medication", "other: stretching"]),
        ("massage 2x a week", ["other: massage"]),
    ],
)  # fmt: skip
def test_treatments_keep_no_counts_places_or_times_as_other_treatments(text, codes):
    assert value_of(validate_treatments(text)) == codes


@pytest.mark.parametrize(
    ("text", "method"),
    [("llamada", "call"), ("correo electrónico", "email"), ("por mensaje de texto", "text"),
     ("teléfono", "call"), ("whatsapp or text", "text")],
)  # fmt: skip
def test_contact_methods_in_spanish(text, method):
    """Held-out set 4: Spanish answers were asked four times and given up on."""
    assert value_of(validate_contact_method(text)) == method


@pytest.mark.parametrize(
    ("text", "time"),
    [("en la tarde", "afternoon"), ("en la mañana temprano", "morning"),
     ("por la noche", "evening"), ("lo antes posible", "asap"),
     ("temprano en la tarde", "afternoon")],
)  # fmt: skip
def test_best_times_in_spanish(text, time):
    assert value_of(validate_best_time(text)) == time


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Camila Reyes Ortega", "Camila", "Reyes Ortega"),
     ("Lucía Fernández Ruiz", "Lucía", "Fernández Ruiz"),
     ("José Luis Castañeda", "José Luis", "Castañeda"),
     ("Linda Mae Thompson", "Linda Mae", "Thompson"),
     # Held-out set 22: a Honduran name whose second surname is also a given name.
     ("Wilmer Antonio Zelaya Paz", "Wilmer Antonio", "Zelaya Paz"),
     ("Rosa Elena Maradiaga Cruz", "Rosa Elena", "Maradiaga Cruz"),
     ("Mary Ann Rose Smith", "Mary Ann Rose", "Smith")],
)  # fmt: skip
def test_two_spanish_surnames_make_the_last_name(text, first, last):
    """Held-out sets 4 and 5: four patients' last names were stored as the second surname."""
    assert value_of(validate_name(text)) == PersonName(first, last)


def test_answers_of_held_out_set_5_patients_read_as_meant():
    """Held-out set 5 (tests/eval/fresh5/), measured once, then these were fixed."""
    assert value_of(validate_treatments("quiropráctico y pastillas")) == [
        "medication", "chiropractic"]  # fmt: skip
    assert value_of(validate_treatments("terapia y inyecciones")) == [
        "physical_therapy", "injections"]  # fmt: skip
    assert value_of(validate_treatments("me operaron, cirugía en 2020")) == ["surgery"]
    assert parse_yes_no("mm hmm") is True and parse_yes_no("spot on") is True
    assert value_of(validate_treatments("none yet, just rest")) == ["none"]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Nguyen Thi Lan. Nguyen is family name", "Thi Lan", "Nguyen"),
     ("Deborah Schaefer (Debbie)", "Deborah", "Schaefer"),
     ("first name Pa Houa, last name Vang", "Pa Houa", "Vang"),
     ("last name: Vang, first name: Pa Houa", "Pa Houa", "Vang"),
     ("Loretta Mabry, Jean is my middle name", "Loretta", "Mabry"),
     ("Patricia Boudreaux, Patty for short", "Patricia", "Boudreaux"),
     ("Smith, John. John is my first name", "John", "Smith"),
     ("Jorge Luis Ramírez Gutiérrez", "Jorge Luis", "Ramírez Gutiérrez"),
     ("Tomás Echevarría Colón", "Tomás", "Echevarría Colón"),
     ("María José Pérez", "María José", "Pérez"),
     ("Marie Hélène Dubois", "Marie Hélène", "Dubois"),
     ("Cody Ray Stubblefield", "Cody Ray", "Stubblefield")],
)  # fmt: skip
def test_names_with_a_remark_a_label_or_two_surnames(text, first, last):
    """Held-out set 6: five patients were asked their name four times, three stored wrong."""
    assert value_of(validate_name(text)) == PersonName(first, last)


def test_answers_of_held_out_set_6_patients_read_as_meant():
    """Held-out set 6 (tests/eval/fresh6/), measured once, then these were fixed."""
    assert value_of(validate_treatments("quiropráctico y relajantes musculares")) == [
        "medication", "chiropractic"]  # fmt: skip
    assert value_of(validate_treatments(
        "pastillas para el dolor, naproxeno, y una inyección en la espalda en octubre"
    )) == ["medication", "injections"]  # fmt: skip
    assert value_of(validate_treatments("acupuncture last may")) == ["other: acupuncture"]


@pytest.mark.parametrize(
    ("text", "adult"),
    [("not yet, 18 next month", False), ("I'll be 18 in two weeks", False),
     ("I'm a senior in high school, 17", False), ("16 but my mom is here with me", False),
     ("born 2010", False), ("I was born 03/12/2001", True), ("I'll be 40 next month", True),
     ("no soy menor de edad", True), ("soy mayor de edad", True), ("yes, I have 2 kids", True)],
)  # fmt: skip
def test_ages_to_come_birth_years_and_school_are_read(text, adult):
    """A minor who said "I'll be 18 in two weeks" was read as an adult (the "18")."""
    assert value_of(validate_adult(text)) is adult


@pytest.mark.parametrize(
    ("text", "answer"),
    [("I do not agree", False), ("I don't agree", False), ("i disagree", False),
     ("no i dont consent", False), ("fine by me", True), ("no problem, I agree", True)],
)  # fmt: skip
def test_a_refusal_with_an_agreement_word_is_a_no(text, answer):
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [("best_time", "right away if possible", "asap"),
     ("best_time", "after school pickup, so around 3:30-4", "afternoon"),
     ("best_time", "first thing in the am", "morning"),
     ("best_time", "after the kids are in bed", "evening"),
     ("best_time", "I work nights so afternoons", "afternoon"),
     ("contact_method", "give me a buzz", "call"),
     ("contact_method", "the second one", "text"),
     ("contact_method", "the last time you called it was fine", "call"),
     ("mri_region", "the small of my back", "lumbar"),
     ("mri_region", "it was my sacroiliac joint", "other"),
     ("mri_region", "la parte media de la espalda", "thoracic"),
     ("treatments_tried", "haven't tried anything, that's why I'm here", ["none"]),
     ("treatments_tried", "no treatments so far", ["none"]),
     ("treatments_tried", "nothing but massage", ["other: massage"]),
     ("phone", "five one two, five five five, zero one two nine", "+15125550129"),
     ("phone", "call me at 720 555 oh one six one", "+17205550161"),
     ("zip_code", "oh two one three eight", "02138"),
     ("zip_code", "9 0 2 1 0", "90210")],
)  # fmt: skip
def test_hard_but_fair_answers_read_as_a_receptionist_would(field, text, value):
    """A batch of hard answers written for round 5 (development material): 60 of 420 failed."""
    checked = check_answer(field, text)
    assert isinstance(checked, dict), checked
    assert checked[field] == value


@pytest.mark.parametrize(
    ("text", "month"),
    [("end of last year", date(2025, 12, 1)),
     ("a couple of months ago, in September", date(2026, 9, 1)),
     ("it may have been 3 months ago", date(2026, 9, 1))],
)  # fmt: skip
def test_a_named_month_or_the_end_of_last_year_is_the_mri_month(text, month):
    assert value_of(validate_mri_date(text, date(2026, 12, 2))) == month


def test_answers_of_held_out_set_7_patients_read_as_meant():
    """Held-out set 7 (tests/eval/fresh7/), measured once, then these were fixed."""
    assert value_of(validate_name("Nguyen Thi Hoa. Hoa is first name")) == PersonName(
        "Hoa Thi", "Nguyen")  # fmt: skip
    assert value_of(validate_name("Camila Duarte Silva")) == PersonName("Camila", "Duarte Silva")
    assert value_of(validate_name('Margaret "Peggy" Ellsworth')) == PersonName(
        "Margaret", "Ellsworth")  # fmt: skip
    assert value_of(validate_name("Wei-Ling Chen, English name Wendy")) == PersonName(
        "Wei-Ling", "Chen")  # fmt: skip
    assert value_of(validate_treatments("just ice and rest")) == ["other: ice", "other: rest"]
    assert value_of(validate_treatments("none yet, just rest")) == ["none"]


# --- held-out set 8 (round 6): answers that were asked again or stored wrongly ----------


@pytest.mark.parametrize(
    ("validate", "text", "value"),
    [
        (validate_has_mri, "got it on a disc", True),
        (validate_has_mri, "it's on the patient portal", True),
        (validate_consent, "go for it", True),
        (validate_adult, "obviously", True),
        (validate_adult, "obviously not", False),
        (validate_best_time, "0800-1100", "morning"),
        (validate_best_time, "1400-1600", "afternoon"),
        (validate_best_time, "after 1800", "evening"),
        (validate_best_time, "1730 hrs", "evening"),
        (validate_treatments, "nothing, just walk it off", ["none"]),
        (validate_treatments, "been toughing it out", ["none"]),
        (validate_treatments, "PT, a steroid shot, celecoxib", ["physical_therapy", "medication",
                                                                 "injections"]),
        (validate_treatments, "the pills the doctor gave me, tramadol, the heating pad, and I "
                              "went to therapy for my back",
         ["physical_therapy", "medication", "other: heating pad"]),
        (validate_treatments, "massage therapy", ["other: massage therapy"]),
    ],
)  # fmt: skip
def test_set_8_answers(validate, text, value):
    assert value_of(validate(text)) == value


def test_a_name_said_again_in_the_order_the_person_goes_by():
    name = value_of(validate_name("Tran Van Hung, but everybody call me Hung Tran"))
    assert (name.first, name.last) == ("Hung", "Tran")
    # A nickname is not a reordering: the name given first is kept.
    name = value_of(validate_name("Robert Smith, everyone calls me Bobby Smith"))
    assert (name.first, name.last) == ("Robert", "Smith")


def _hard_answers(*rounds: int) -> list[tuple[int, str, str, object]]:
    folder = Path(__file__).resolve().parents[2] / "data" / "intake"
    answers = []
    for round_ in rounds:
        text = (folder / f"hard_answers_round{round_}.yml").read_text(encoding="utf-8")
        batch = yaml.safe_load(text)
        answers += [
            (round_, field, item["say"], item["want"])
            for field, items in batch.items()
            for item in items
        ]
    return answers


# The day each round's hard answers were written: "3 weeks ago" is dated from it.
_HARD_ANSWERS_WRITTEN = {6: date(2026, 12, 2), 7: date(2026, 12, 3), 8: date(2026, 12, 3)}


@pytest.mark.parametrize(("round_", "field", "text", "want"), _hard_answers(*_HARD_ANSWERS_WRITTEN))
def test_hard_answers_are_recorded_as_a_receptionist_would(round_, field, text, want):
    checked = check_answer(field, text, today=_HARD_ANSWERS_WRITTEN[round_])
    assert isinstance(checked, dict), checked
    got = {
        "full_name": lambda: {"first": checked["first_name"], "last": checked["last_name"]},
        "mri_taken": lambda: checked["mri_taken"][:7],
        "treatments_tried": lambda: sorted(
            code for code in checked[field] if not code.startswith("other: ")
        ),
    }.get(field, lambda: checked[field])()
    assert got == want


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("this is Lindas husband, Gary Peterson, Im the patient", "Gary", "Peterson"),
        ("John Smith from New York", "John", "Smith"),
        ("I live in New York, my name is John Smith", "John", "Smith"),
        ("hi its me again Maria Lopez", "Maria", "Lopez"),
        ("Tyler Brooks... no sorry autocorrect, Tyler Brookes with an e at the end", "Tyler",
         "Brookes"),
    ],
)  # fmt: skip
def test_a_name_inside_a_story_is_found_by_its_capitals(text, first, last):
    name = value_of(validate_name(text))
    assert (name.first, name.last) == (first, last)


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("best_time", "mornings, i work nights so before 10 is good", "morning"),
        ("best_time", "after 4 pm because i am working morning shift", "afternoon"),
        ("mri_region", "lowback", "lumbar"),
        ("treatments_tried", "massage, ketonal (ketoprofen) i brought from poland",
         ["medication", "other: massage", "other: brought from poland"]),
    ],
)  # fmt: skip
def test_set_9_answers(field, text, value):
    """Held-out set 9 (measured once at the end of round 6, then fixed: now seen)."""
    checked = check_answer(field, text)
    assert isinstance(checked, dict), checked
    assert checked[field] == value


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Sofía Castellanos Rivera", "Sofía", "Castellanos Rivera"),
     ("Maria Cristina dela Cruz", "Maria Cristina", "dela Cruz")],
)  # fmt: skip
def test_set_9_names(text, first, last):
    name = value_of(validate_name(text))
    assert (name.first, name.last) == (first, last)


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        # Round 6's hard answers still read wrong at its end.
        ("phone", "area code 206, then 555-0142", "+12065550142"),
        ("phone", "206 triple five 0142", "+12065550142"),
        ("phone", "two oh six triple five oh one four two", "+12065550142"),
        ("phone", "its 512-555-0188... no wait, 0189", "+15125550189"),
        ("zip_code", "ninety-eight one oh one", "98101"),
        ("mri_region", "lower back, no wait, neck", "cervical"),
        ("email", "JDOE@EXAMPLE.COM", "jdoe@example.com"),
        ("email", "jdoe@example.con", "jdoe@example.com"),
        ("email", "mary.jo@gmial.com", "mary.jo@gmail.com"),
        ("email", "jdoe@example.com oh wait its jdoe22@example.com", "jdoe22@example.com"),
        ("email", "work is a@example.com but b@example.org is better", "b@example.org"),
        ("contact_method", "text me, or email, whichever, prob email", "email"),
        ("contact_method", "email is fine but text is faster", "text"),
        # Voice typing and Vietnamese (held-out set 10, measured at the start of round 7).
        ("treatments_tried",
         "i did therapy for six weeks and they gave me meloxicam and a medrol dose pack",
         ["physical_therapy", "medication"]),
        ("mri_region", "the lower part and also my neck they did both", "cervical+lumbar"),
        ("mri_region", "the lower part of my neck", "cervical"),
        ("adult", "vâng", True),
        ("has_mri", "không", False),
        # Two regions sharing one noun.
        ("mri_region", "mid and lower back", "thoracic+lumbar"),
        ("mri_region", "C and L spine", "cervical+lumbar"),
        ("mri_region", "c and t spine", "cervical+thoracic"),
        ("mri_region", "upper & lower back", "thoracic+lumbar"),
        # Held-out set 11 (measured once at the end of round 7, then fixed: now seen).
        ("best_time", "mornings, I'm useless after lunch", "morning"),
        ("best_time", "morning after school drop-off", "morning"),
        ("best_time", "afternoons, i am at work in the mornings", "afternoon"),
        # Round 7's hard answers still misread at its end: the value whose label is chosen.
        ("zip_code", "home 60614, office 60601, please use home", "60614"),
        ("zip_code", "60614 home or 60601 work, use work", "60601"),
        ("phone", "cell 312 555 0199, home 312 555 0147, use the home one", "+13125550147"),
        # Held-out set 12 (measured once at the start of round 8, then fixed: now seen).
        ("treatments_tried", "nun", ["none"]),
        # Round 8's development intakes (tests/eval/dev8).
        ("best_time", "afternoons, mornings I watch my grandson", "afternoon"),
        ("best_time", "morning, I drive afternoon and night", "morning"),
        ("best_time", "early morning before chores or evening. evening's better", "evening"),
        ("best_time", "mornings i work so afternoons", "afternoon"),
        ("best_time", "i sleep late so afternoons", "afternoon"),
        ("mri_taken", "back around the first of the year", "2026-01-01"),
        ("mri_region", "I have two, one neck one low back, please look the low back", "lumbar"),
        ("mri_region", "neck and low back, please look at both", "cervical+lumbar"),
        ("phone", "978-555-0178 thats my cell, office is 978-555-0110 ext 4 but dont use that one",
         "+19785550178"),
        # Hedges, tried while waiting for set 13 (none of its texts).
        ("mri_taken", "two summers ago", "2025-07-01"),
        ("treatments_tried", "hmm let me think... PT and some advil?",
         ["physical_therapy", "medication"]),
    ],
)  # fmt: skip
def test_round_7_and_8_answers(field, text, value):
    checked = check_answer(field, text, today=date(2026, 12, 3))
    assert isinstance(checked, dict), checked
    assert checked[field] == value


@pytest.mark.parametrize(
    ("field", "text"),
    [("consent", "im worried about spam"), ("consent", "i have a question about texts"),
     ("summary_confirmed", "im out on jobs all morning"),
     ("summary_confirmed", "i have another mri too")],
)  # fmt: skip
def test_a_statement_starting_with_i_am_is_no_agreement(field, text):
    """Round 8: "I'm ..." answers "are you 18 or older?", but "im worried about spam" had
    been recorded as consent to be contacted."""
    assert isinstance(check_answer(field, text), str)


@pytest.mark.parametrize(
    ("field", "text"),
    [("consent", "I'm in"), ("consent", "i'm ok with that"), ("consent", "i do"),
     ("consent", "fine"), ("consent", "bet"), ("summary_confirmed", "thats right"),
     ("adult", "im 45"), ("has_mri", "i have one")],
)  # fmt: skip
def test_agreeing_in_few_words_is_still_a_yes(field, text):
    assert check_answer(field, text) == {field: True}


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("email", "a@example.com or b@example.com"),
        ("best_time", "morning or afternoon"),
        ("zip_code", "60614 home or 60601 work, use the one u like"),
    ],
)
def test_two_values_with_nothing_to_choose_between_them_are_asked_again(field, text):
    assert isinstance(check_answer(field, text), str)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Darnell 'Big D' Washington", "Darnell", "Washington"),
     ("Mary 'Kate' O'Neil", "Mary", "O'Neil"),
     ("Siobhan OConnor, sorry, O'Connor with the apostrophe", "Siobhan", "O'Connor"),
     ("Jose Garcia, sorry José with an accent", "José", "Garcia"),
     # Held-out set 10 (measured once at the start of round 7, then fixed: now seen).
     ("Rosa María Benavides Luján (Rosa María es mi nombre)", "Rosa María", "Benavides Luján"),
     ("Christopher Jablonski, CJ", "Christopher", "Jablonski"),
     ("Ignacio Peralta, Nacho", "Ignacio", "Peralta"),
     ("Garcia Lopez, Maria", "Maria", "Garcia Lopez"),
     ("Van Buren, Mary", "Mary", "Van Buren"),
     ("hello my name is marie-claude st fleur i am calling about my back", "Marie-Claude",
      "St Fleur"),
     # Held-out set 11 (measured once at the end of round 7, then fixed: now seen).
     ("Guadalupe Hernández de la Rosa, me dicen Lupita", "Guadalupe", "Hernández de la Rosa"),
     ("Venkatesh Subramanian - goes by Venkat", "Venkatesh", "Subramanian"),
     ("Juan Carlos de la Vega", "Juan Carlos", "de la Vega"),
     # Held-out set 12 (measured once at the start of round 8, then fixed: now seen).
     ("Park Ji-hoon. In American order it is Ji-hoon Park", "Ji-hoon", "Park"),
     ("Yoon Min-seo \u2014 Min-seo is my first name, Yoon is my last", "Min-seo", "Yoon"),
     ("Jesús Villarreal Cantú, me dicen Chuy", "Jesús", "Villarreal Cantú"),
     ("María de los Ángeles Treviño Garza", "María de los Ángeles", "Treviño Garza"),
     # A given name that carries "de" is not a surname starting with it.
     ("José de Jesús Ramírez", "José de Jesús", "Ramírez"),
     ("María del Carmen López", "María del Carmen", "López"),
     ("Juan de la Cruz", "Juan", "de la Cruz"),
     # Round 8's development intakes (tests/eval/dev8).
     ("Nguyen Thi Lan. In America I use Lan Nguyen", "Lan", "Nguyen"),
     ("Billy Ray Caudill. Most folks call me Bill", "Billy Ray", "Caudill"),
     ("um Li Wei? Wei is my given name", "Wei", "Li"),
     # Held-out set 13 (measured once at the end of round 8, then fixed: now seen).
     ("Nguyen Thanh Hai, first name Hai", "Hai Thanh", "Nguyen"),
     ("Wang Xiaoming, given name: Xiaoming", "Xiaoming", "Wang")],
)  # fmt: skip
def test_round_7_and_8_names(text, first, last):
    name = value_of(validate_name(text))
    assert (name.first, name.last) == (first, last)


@pytest.mark.parametrize(
    ("text", "chooses"),
    [("can you just text me?", True), ("could someone call me instead?", True),
     ("is email ok?", True), ("can I get a whatsapp?", True), ("¿me pueden llamar?", True),
     ("Is there a consultant who can speak Korean?", False),
     ("can I talk to a real person?", False), ("what happens next?", False)],
)  # fmt: skip
def test_a_question_chooses_a_contact_method_only_by_a_word_that_only_chooses(text, chooses):
    """'speak' and 'talk' ask for a person or a language as often as they choose a call."""
    assert chooses_contact_method(text) is chooses


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Park Ji-hoon (Park is the family name, on my school stuff it's Jihoon Park)", "Ji-hoon",
      "Park"),
     ("Georges Abi Nader. Georges with an s. Abi Nader is the last name, two words.", "Georges",
      "Abi Nader"),
     ("MBUYI KALALA Jean-Pierre. In Congo we write the surname first, so my first name is "
      "Jean-Pierre.", "Jean-Pierre", "Mbuyi Kalala"),
     ("Pham Thi Linh. Last name Pham, first name Linh", "Linh", "Pham"),
     ("Lee Hye-jin - Korean order, so Lee is my surname. Hye-jin Lee in English.", "Hye-jin",
      "Lee")],
)  # fmt: skip
def test_a_family_name_said_first_and_named_in_a_remark(text, first, last):
    """Held-out set 16 (round 10): the remark after the name says which part is the family."""
    checked = check_answer("full_name", text)
    assert (checked["first_name"], checked["last_name"]) == (first, last)


@pytest.mark.parametrize(
    "text", ["i dont remember", "not sure", "no idea", "honestly I can't remember, a while back",
             "no me acuerdo", "idk"],
)  # fmt: skip
def test_an_mri_date_not_known_is_a_valid_answer(text):
    """Round 11: "I don't remember" held the patient at the MRI date for ever."""
    assert check_answer("mri_taken", text, TODAY) == {
        "mri_taken": "not known", "mri_older_than_two_years": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "month"),
    [("right before mardi gras", "2026-02-01"), ("the week of the 4th", "2026-07-01"),
     ("not sure, maybe march", "2026-03-01"), ("después de navidad", "2025-12-01")],
)  # fmt: skip
def test_mri_dates_told_by_holidays(text, month):
    """Held-out set 18 dated scans by Mardi Gras and the Fourth of July."""
    assert check_answer("mri_taken", text, TODAY)["mri_taken"] == month


@pytest.mark.parametrize(
    ("text", "best_time"),
    [("después de las 3", "afternoon"), ("despues de las 6", "evening"),
     ("a las 10 de la mañana", "morning"), ("antes de las 11", "morning"),
     ("a las 7 de la noche", "evening"),
     ("no mejor en la noche, en la mañana estoy en el trabajo", "evening"),
     ("en la noche, en la mañana trabajo", "evening")],
)  # fmt: skip
def test_spanish_clock_times(text, best_time):
    """Held-out set 18: "después de las 3" was refused four times."""
    assert value_of(validate_best_time(text)) == best_time


@pytest.mark.parametrize(
    "text",
    ["Sorry, typo in my name. It is Rine, not Rina. Rine Jibas-Kabua",
     "I wrote it wrong, it is Ana not Anna"],
)  # fmt: skip
def test_a_not_about_something_else_is_no_answer_to_the_age_question(text):
    """A no to "are you 18?" throws the request away, so it must be said as one."""
    assert reason_of(validate_adult(text))


@pytest.mark.parametrize(
    "text", ["no", "nope not yet", "no I am not, sorry about that", "I am not", "not at all sadly",
             "I don't think so, my mom will write to you"],
)  # fmt: skip
def test_a_no_to_the_age_question_still_counts(text):
    assert value_of(validate_adult(text)) is False


@pytest.mark.parametrize(
    ("text", "zip_code"),
    [("typo, zip is 51106 not 51160", "51106"), ("wait zip is 56601 not 56610, fat fingers",
      "56601"), ("51106 instead of 51160", "51106")],
)  # fmt: skip
def test_a_zip_code_typed_with_the_one_it_replaces(text, zip_code):
    """Held-out sets 18 and 19: "zip is 56601 not 56610" was refused as two ZIP codes."""
    assert value_of(validate_zip(text)).zip_code == zip_code
    assert reason_of(validate_zip("10001 or 10024"))


# --- held-out set 24 (round 14) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Dimitrios Papadakis. Jim to my friends.", "Dimitrios", "Papadakis"),
     ("Tomasz Nowak, Tom to everyone", "Tomasz", "Nowak"),
     ("Georges Abi Nader. Georges with an S, and Abi Nader is two words.", "Georges", "Abi Nader"),
     ("Ahmad Abu Khalil", "Ahmad", "Abu Khalil"),
     ("Rania Abi Saab", "Rania", "Abi Saab"),
     ("Mary Ann Van Dyke. Van Dyke is two words", "Mary Ann", "Van Dyke"),
     ("valeria ochoa lol", "Valeria", "Ochoa"),
     ("Marisol Vega haha", "Marisol", "Vega")],
)  # fmt: skip
def test_a_name_with_a_remark_or_a_laugh_after_it(text, first, last):
    """Held-out set 24: "Dimitrios Papadakis. Jim to my friends." was stored with the last
    name "friends", "Abi Nader is two words" as the last name "Nader", "ochoa lol" as
    "Ochoa Lol"."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    ("text", "has_mri"),
    [("yes and no lol - urgent care sent me for one in the summer but i never got a copy. "
      "but yeah i had one", True),
     ("sí y no... I had it done but my doctor have the CD. sí, I have one", True),
     ("yes and no, they ordered one but I never went", False),
     ("kind of yes and no. I had one, I just don't have the disc", True)],
)  # fmt: skip
def test_a_yes_and_no_is_read_by_what_the_person_settles_on(text, has_mri):
    """Held-out set 24: "yes and no ... but yeah i had one" was asked for a yes or no four
    times."""
    assert value_of(validate_has_mri(text)) is has_mri


@pytest.mark.parametrize(
    ("text", "region"),
    [("Lumbar. There were some findings in the thoracic as well but the lumbar is the problem.",
      "lumbar"),
     ("lower back, they saw something in my neck too but the lower back is the main issue",
      "lumbar"),
     ("neck and upper back, mostly the neck", "cervical")],
)  # fmt: skip
def test_the_region_said_to_be_the_problem_among_two(text, region):
    """Held-out set 24: "... findings in the thoracic as well but the lumbar is the problem"
    was stored as thoracic and lumbar."""
    assert value_of(validate_mri_region(text)) == region


@pytest.mark.parametrize(
    ("text", "codes"),
    [("Physical therapy at the base clinic, meloxicam, and a nerve block last spring",
      ["physical_therapy", "medication", "injections"]),
     ("PT at the rec center downtown and some tylenol", ["physical_therapy", "medication"]),
     ("massage at the spa on main street", ["other: massage"])],
)  # fmt: skip
def test_where_a_treatment_was_given_is_no_treatment(text, codes):
    """Held-out set 24: "Physical therapy at the base clinic" kept "other: base"."""
    assert value_of(validate_treatments(text)) == codes


@pytest.mark.parametrize(
    ("text", "zip_code"),
    [("el zip es 33010 no 33012", "33010"), ("perdón el zip es 33010 no 33012, me mudé", "33010"),
     ("mi código postal es 78501, no 78502", "78501")],
)  # fmt: skip
def test_a_spanish_no_before_a_zip_code_rules_it_out(text, zip_code):
    """Held-out set 24: "el zip es 33010 no 33012" ("33010, not 33012") kept 33012."""
    assert value_of(validate_zip(text)).zip_code == zip_code


# --- held-out set 25 (round 14) -------------------------------------------------------


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [("full_name", "Erik Lindqvist -EL", {"first_name": "Erik", "last_name": "Lindqvist"}),
     ("summary_confirmed", "Confirmed. -EL", {"summary_confirmed": True}),
     ("phone", "906-555-0192 -EL", {"phone": "+19065550192"}),
     ("best_time", "Mornings. ~ JK", {"best_time": "morning"}),
     ("symptoms", "ache in the low back - EL", {"symptoms": "ache in the low back"})],
)  # fmt: skip
def test_initials_signed_after_an_answer_are_no_part_of_it(slot, text, expected):
    """Held-out set 25: "Erik Lindqvist -EL" kept "Lindqvist -EL" and "Confirmed. -EL" at
    the summary was asked four times."""
    checked = check_answer(slot, text)
    assert isinstance(checked, dict), checked
    assert {key: checked.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("kou. thao.", "Kou", "Thao"), ("Maria da Conceição Raposo", "Maria da Conceição", "Raposo"),
     ("Maria de Fátima Sousa", "Maria de Fátima", "Sousa"), ("J. R. Smith", "J. R.", "Smith")],
)  # fmt: skip
def test_names_with_a_stop_after_each_word_or_a_devotional_given_name(text, first, last):
    """Held-out set 25: "kou. thao." stored the first name "Kou.", and "Maria da Conceição
    Raposo" the last name "da Conceição Raposo"."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("oui", True), ("ouais", True), ("non", False), ("Confirmed.", True), ("confirmo", True)],
)
def test_french_yes_and_confirmed(text, answer):
    """Held-out set 25: "oui" to "have you had an MRI?" was asked for a yes or no four times."""
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "best_time"),
    [("morning, I work 2pm to 10pm", "morning"), ("evenings, i work 7am-3pm", "evening"),
     ("morning. I work nights 7pm-7am", "morning"),
     ("afternoons, im at work 6 to 11", "afternoon")],
)  # fmt: skip
def test_the_hours_at_work_are_not_the_time_to_call(text, best_time):
    """Held-out set 26: "morning, I work 2pm to 10pm" was stored as the afternoon."""
    assert value_of(validate_best_time(text)) == best_time


def test_the_given_name_in_full_after_the_short_one():
    """Held-out set 27: "Wes Edmo. Wesley." stored the first name "Wes"."""
    assert value_of(validate_name("Wes Edmo. Wesley.")) == PersonName("Wesley", "Edmo")
    assert value_of(validate_name("Michael O'Brien. Mickey.")) == PersonName("Michael", "O'Brien")


@pytest.mark.parametrize(
    "text", ["cell service is spotty out here, will you leave a message if I dont pick up?",
             "can you leave me a message if I miss it?"],
)  # fmt: skip
def test_a_question_about_voicemail_chooses_no_text(text):
    """Held-out set 27: "will you leave a message if I dont pick up?" was stored as text."""
    assert not chooses_contact_method(text)


@pytest.mark.parametrize(
    ("text", "method"),
    [("Email or call. Actually, call.", "call"), ("text. actually, email is easier", "email")],
)  # fmt: skip
def test_the_contact_method_settled_on_after_actually(text, method):
    """Held-out set 24 (its second measurement): "Email or call. Actually, call." was stored
    as email."""
    assert value_of(validate_contact_method(text)) == method


# --- held-out set 28 (round 15) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "codes"),
    [("chiropractor, and T3s from the doctor", ["medication", "chiropractic"]),
     ("tylenol #3 and PT", ["physical_therapy", "medication"]),
     ("tylenol 3s", ["medication"])],
)  # fmt: skip
def test_tylenol_with_codeine_by_its_nickname_is_medication(text, codes):
    """Held-out set 28: "chiropractor, and T3s from the doctor" stored "other: t3s"."""
    assert sorted(value_of(validate_treatments(text))) == sorted(codes)


# --- held-out set 29 (round 15) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("SFC Sione Fifita", "Sione", "Fifita"),
     ("SSgt Marisol Quintanilla-Reyes", "Marisol", "Quintanilla-Reyes"),
     ("Staff Sergeant Ana Ruiz", "Ana", "Ruiz"),
     ("Lt. Dan Taylor", "Dan", "Taylor"),
     # A rank that is also a name stays.
     ("Major Jones", "Major", "Jones")],
)  # fmt: skip
def test_a_military_rank_before_the_name_is_not_the_name(text, first, last):
    """Held-out set 29: "SFC Sione Fifita" stored the first name "SFC Sione"."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    ("text", "yes"),
    [("\u02bbAe, mahalo", True), ("\u02bbae", True), ("\u02bba\u02bbole", False), ("leai", False)],
)
def test_hawaiian_and_samoan_yes_and_no(text, yes):
    """Held-out set 29: the Hawaiian "yes, thanks" to the consent question was asked for
    four times."""
    assert value_of(validate_consent(text)) is yes


def test_a_choice_taken_back_in_spanish():
    """Held-out set 29: "texto... no, mejor llámame" was stored as text."""
    assert value_of(validate_contact_method("texto... no, mejor llámame")) == "call"


# --- held-out set 30 (round 15) -------------------------------------------------------
@pytest.mark.parametrize("text", ["Got it.", "got it", "I have one", "got one"])
def test_got_it_to_the_mri_question_is_a_yes(text):
    """Held-out set 30: "Got it." to "Have you had an MRI?" was asked for four times."""
    assert value_of(validate_has_mri(text)) is True


@pytest.mark.parametrize(
    ("text", "codes"),
    [("None. Just work through it.", ["none"]), ("nothing... just work through it", ["none"]),
     ("ibuprofen and work through it", ["medication"])],
)  # fmt: skip
def test_working_through_the_pain_is_no_treatment(text, codes):
    """Held-out set 30: "None. Just work through it." stored "other: through"."""
    assert value_of(validate_treatments(text)) == codes


# --- held-out set 31 (round 16) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("GEORGIOS PAPADOPOULOS. GEORGE IS FINE", "Georgios", "Papadopoulos"),
     ("Katerina Doukas, Kat is ok", "Katerina", "Doukas"),
     ("Doe, Jon. Jon is fine", "Jon", "Doe")],
)  # fmt: skip
def test_a_short_name_offered_after_the_full_one(text, first, last):
    """Held-out set 31: "GEORGIOS PAPADOPOULOS. GEORGE IS FINE" was asked for four times."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Pham Van Tuan. American name Tony Pham", "Van Tuan", "Pham"),
     ("Pham Van Tuan. My American name is Tony Pham", "Van Tuan", "Pham"),
     # An English name that shares no word with the first says nothing of the order.
     ("Tran Minh. English name is Mike", "Tran", "Minh")],
)  # fmt: skip
def test_the_family_name_read_from_the_american_name(text, first, last):
    """Held-out set 31: "Pham Van Tuan. American name Tony Pham" stored the last name
    "Van Tuan"."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    ("text", "region"),
    [("espalda de abajo", "lumbar"), ("la parte de abajo de la espalda", "lumbar"),
     ("espalda de arriba", "thoracic"),
     ("They imaged thoracic and lumbar both, main problem is the lumbar", "lumbar"),
     ("neck and low back, the real issue is the neck", "cervical")],
)  # fmt: skip
def test_spanish_regions_and_the_main_one_of_two(text, region):
    """Held-out set 31: "espalda de abajo" was asked for four times, and "main problem is
    the lumbar" after naming two regions stored both."""
    assert value_of(validate_mri_region(text)) == region


@pytest.mark.parametrize(
    ("text", "codes"),
    [("PT through the VA, meloxicam, a TENS unit, and I swim laps",
      ["physical_therapy", "medication", "other: tens unit", "other: swim laps"]),
     ("injections from pain management", ["injections"]),
     ("chiro thru work", ["chiropractic"])],
)  # fmt: skip
def test_who_arranged_a_treatment_is_not_one(text, codes):
    """Held-out set 31: "PT through the VA" stored the treatment "other: through"."""
    assert value_of(validate_treatments(text)) == codes


# --- held-out set 32 (round 16) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Patrick O'Rourke, Pat's fine", "Patrick", "O'Rourke"),
     ("Paw Say Wah. Karen people no family name, my paper say last name Wah", "Paw Say", "Wah"),
     ("Pastor Tom Engebretson. Thomas, officially.", "Thomas", "Engebretson"),
     ("Tom Engebretson. Officially Thomas.", "Thomas", "Engebretson"),
     ("Bill Smith, legally William", "William", "Smith")],
)  # fmt: skip
def test_the_name_as_the_person_says_it_is_official(text, first, last):
    """Held-out set 32: "Patrick O'Rourke, Pat's fine" stored the first name "Pat's fine",
    the Karen name with the last name from the papers kept two words as the last name, and
    "Pastor Tom Engebretson. Thomas, officially." stored the last name "Thomas"."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize("text", ["back", "Back.", "my back", "just the spine", "not sure",
                                  "I don't know", "no idea honestly"])  # fmt: skip
def test_a_region_the_patient_cannot_name_is_unsure(text):
    """Held-out set 32: "back" to the region question was asked for four times; a patient
    who cannot say which part now goes on, and the consultants read the report."""
    assert value_of(validate_mri_region(text)) == "unsure"


@pytest.mark.parametrize("text", ["the back of my head", "back and neck"])
def test_a_back_with_more_words_is_not_unsure(text):
    assert value_of(validate_mri_region(text)) != "unsure"


# --- held-out set 35 (round 17) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "method"),
    [("email - nvm, call me, I never check that email", "call"),
     ("text never mind, email", "email"),
     ("email or text... text is fine", "text"),
     ("call or text is fine", "call"),
     ("text or email, email works", "email")],
)  # fmt: skip
def test_the_way_to_be_reached_the_answer_settles_on(text, method):
    """Held-out set 35: "email - nvm, call me" and "email or text... text is fine" stored
    email."""
    assert value_of(validate_contact_method(text)) == method


@pytest.mark.parametrize(
    ("text", "time"),
    [("en la mañana, trabajo de 2 a 10 de la noche", "morning"),
     ("en la tarde, trabajo de 6 a 11 de la mañana", "afternoon")],
)  # fmt: skip
def test_spanish_working_hours_are_not_the_time_to_call(text, time):
    """Held-out set 35: "en la mañana, trabajo de 2 a 10 de la noche" stored evening."""
    assert value_of(validate_best_time(text)) == time


@pytest.mark.parametrize(
    ("text", "region"),
    [("down back", "lumbar"), ("down low in my back", "lumbar"), ("bottom back", "lumbar")],
)  # fmt: skip
def test_the_lower_back_in_plain_words(text, region):
    """Held-out set 35: "down back" was asked for four times."""
    assert value_of(validate_mri_region(text)) == region


@pytest.mark.parametrize(
    ("text", "codes"),
    [("none, just resting on days off", ["none"]),
     ("nothing, only stretching at night", ["other: stretching"])],
)  # fmt: skip
def test_when_a_treatment_is_done_is_not_one(text, codes):
    """Held-out set 35: "none, just resting on days off" stored the treatment "other: off"."""
    assert value_of(validate_treatments(text)) == codes


# --- held-out set 36 (round 17) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("Minh Tran. in vietnamese order Tran Van Minh, people at work call me Tony",
      "Minh", "Tran"),
     ("Konstantinos Anagnostou, everybody say Kostas", "Konstantinos", "Anagnostou"),
     ("Lee Min-ho, Korean order, so Lee is my surname", "Min-ho", "Lee"),
     ("Tran Van Minh in Vietnamese order", "Van Minh", "Tran"),
     ("Nagy Istvan in Hungarian order", "Istvan", "Nagy")],
)  # fmt: skip
def test_the_name_before_another_order_or_what_people_say(text, first, last):
    """Held-out set 36: "Minh Tran. in vietnamese order Tran Van Minh" stored the first name
    "Tran", and "Konstantinos Anagnostou, everybody say Kostas" the first name "everybody
    say Kostas"."""
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize("text", ["29 920", "299-20", "zip is 29 920"])
def test_a_zip_code_typed_with_a_gap(text):
    """Held-out set 36: "29 920" was asked for four times."""
    assert value_of(validate_zip(text)).zip_code == "29920"


# --- held-out set 37 (round 17) -------------------------------------------------------
def test_boston_lower_back_and_portuguese_times():
    """Held-out set 37: "lowa back lol" and "de noite" were each asked for four times, and
    "afternoon, i start at 5am" stored morning."""
    assert value_of(validate_mri_region("lowa back lol")) == "lumbar"
    assert value_of(validate_best_time("de noite")) == "evening"
    assert value_of(validate_best_time("de manhã")) == "morning"
    assert value_of(validate_best_time("afternoon, i start at 5am")) == "afternoon"
    assert value_of(validate_best_time("morning, I start work at 2pm")) == "morning"


def test_a_starred_email_and_a_remedy_from_abroad():
    """Held-out set 37: "ops *luana.dossantos@example.com sorry" stored the star, and
    "dipirona from Brazil" stored the treatment "other: dipirona from brazil"."""
    assert value_of(validate_email("ops *luana.dossantos@example.com sorry")) == (
        "luana.dossantos@example.com"
    )
    assert value_of(validate_treatments("massage and dipirona from Brazil, and a heating pad")) == [
        "medication",
        "other: massage",
        "other: heating pad",
    ]


# --- held-out set 38 (round 17) -------------------------------------------------------
def test_a_title_a_question_about_names_and_keeping_on_working():
    """Held-out set 38: "Engr. Adebayo Oluwafemi Olatunji" stored the first name "Engr
    Adebayo Oluwafemi"; the question "do you need my married name or my maiden name? they're
    different" stored the name "They'Re Different"; "none just keep working" stored the
    treatment "other: keep"."""
    assert value_of(validate_name("Engr. Adebayo Oluwafemi Olatunji")) == PersonName(
        "Adebayo Oluwafemi", "Olatunji"
    )
    assert isinstance(validate_name("they're different"), Invalid)
    assert value_of(validate_treatments("none just keep working")) == ["none"]


# --- round 18: misses left from sets 36 to 38 --------------------------------------------
def test_a_powder_a_town_and_portuguese_treatments():
    """Held-out sets 36 and 37: "goody powder, heat pad, went to the chiropractor in Beaufort
    some" stored "other: goody powder" and "other: beaufort"; "tomei relaxante muscular e
    fiz quiropraxia umas vezes" was kept whole as another treatment."""
    assert value_of(
        validate_treatments("goody powder, heat pad, went to the chiropractor in Beaufort some")
    ) == ["medication", "chiropractic", "other: heat pad"]
    assert value_of(
        validate_treatments("tomei relaxante muscular e fiz quiropraxia umas vezes")
    ) == ["medication", "chiropractic"]
    assert value_of(validate_treatments("chiro in Myrtle Beach, SC")) == ["chiropractic"]
    assert value_of(validate_treatments("I have been in Physical Therapy")) == ["physical_therapy"]


def test_a_time_after_the_working_day():
    """Round 17 newcomer check: "i start at 7 so after 4 pm" was refused as two times, and
    "i work 7 to 3 so after that" was stored as morning."""
    assert value_of(validate_best_time("i start at 7 so after 4 pm")) == "afternoon"
    assert value_of(validate_best_time("i work 7 to 3 so after that")) == "afternoon"
    assert value_of(validate_best_time("I work 9-5, anytime after that")) == "evening"
    assert value_of(validate_best_time("morning, I work 2pm to 10pm")) == "morning"


# --- round 18's development intakes (80 patients written to be hard, never measured) ----
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # Vietnamese order, then the order used in America, with accents dropped.
        ("Nguyễn Đăng Khoa. In America I write Khoa Nguyen, Nguyen is last name. At work "
         "they call me Kevin", "Khoa", "Nguyen"),
        # "Ma." is Filipino María, not the end of the name; the married name is the family.
        ("Ma. Cristina dela Cruz Santos - Tina is fine. dela Cruz is my middle name (maiden), "
         "Santos is my married last name", "Ma. Cristina dela Cruz", "Santos"),
        ("Venkata Raghavan Subramanian. Quick note - Subramanian is technically my father's "
         "given name (Tamil convention) but it's the surname on all my US documents, so please "
         "use it as last name. First name Venkata.", "Venkata", "Subramanian"),
        ("Thiago dos Santos Oliveira. Oliveira é o sobrenome que uso aqui (the last name I use "
         "here)", "Thiago dos Santos", "Oliveira"),
        ("Dale Vander Wiel. That's two words, capital V and capital W", "Dale", "Vander Wiel"),
        ("Dariush Farahani-Nejad. Americans say Darius, it's fine", "Dariush", "Farahani-Nejad"),
        ("Nombre María José, apellidos García López", "María José", "García López"),
        ("DIALLO Mamadou Lamine", "Mamadou Lamine", "Diallo"),
        ("Darnell Okafor dash James", "Darnell", "Okafor-James"),
        # Held-out set 38: "chuy villarreal. Jesus Villarreal" stored the first name "Chuy
        # Villarreal Jesus". The same surname twice is one person: the given name in full,
        # or the one written as on an ID, is kept.
        ("chuy villarreal. Jesus Villarreal", "Jesus", "Villarreal"),
        ("Bill Smith, William Smith", "William", "Smith"),
        ("Jose Perez. Pepe Perez", "Jose", "Perez"),
        ("Mary Ann Smith", "Mary Ann", "Smith"),
        # Held-out set 39: "darlene mullins goins" stored the last name "Mullins Goins". Two
        # surnames follow a given name used in Spain or Portugal; after "Darlene" the middle
        # word is a maiden or middle name. Two-word Lakota and Lebanese surnames stay whole.
        ("darlene mullins goins", "Darlene Mullins", "Goins"),
        ("Gabriela Sical Coc", "Gabriela", "Sical Coc"),
        ("Dale Looking Horse", "Dale", "Looking Horse"),
        ("Rania Abi Saab", "Rania", "Abi Saab"),
        # Held-out set 40: "Comfort Kollie. God bless" stored the last name "bless".
        ("Comfort Kollie. God bless", "Comfort", "Kollie"),
        # Round 19's development intakes: the person says which part is which, as their ID
        # or card writes it, or what an initial stands for; a suffix is not the last name.
        ("Hodan Abdi Warsame. Warsame is what is on my ID as last name", "Hodan", "Warsame"),
        ("Tesfaye Gebremedhin Haile. In Ethiopia no family name, Tesfaye is me, Gebremedhin "
         "is my father. On my green card last name is Gebremedhin.", "Tesfaye", "Gebremedhin"),
        ("Winston Alphanso Campbell Junior. Winston A. Campbell Jr on di papers", "Winston",
         "Campbell"),
        ("Mrs. Wong Mei Ling. Wong is the family name. On the Medicare card it is Mei Ling "
         "Wong.", "Mei Ling", "Wong"),
        ("Comfort Y. Kollie. Y for Yassah", "Comfort", "Kollie"),
        ("Nguyen Thi Lan. Lan is my name, Nguyen is family name", "Lan", "Nguyen"),
        # Near cases that keep their reading: no remark, or a remark naming only the family.
        ("Hodan Warsame", "Hodan", "Warsame"),
        ("Hodan Abdi Warsame", "Hodan Abdi", "Warsame"),
        ("Maria Junior Santos", "Maria Junior", "Santos"),
        ("Winston Campbell Junior", "Winston", "Campbell Junior"),
        ("Comfort Y. Kollie", "Comfort Y.", "Kollie"),
        ("Mei Ling Wong. Wong is the last name on my ID", "Mei Ling", "Wong"),
        ("Mary Ann Smith. Smith is the last name on my ID", "Mary Ann", "Smith"),
        ("John Paul Smith. Smith is the last name on my ID", "John Paul", "Smith"),
        # Held-out set 41: the surname spelled letter by letter after the name.
        ("Wade Schuh S C H U H", "Wade", "Schuh"),
        ("Wade Schuh, S-C-H-U-H", "Wade", "Schuh"),
        ("A J Smith", "A J", "Smith"),
        # Held-out sets 49 and 50 (round 21, left for round 22): the other order or
        # language of the name as an aside, a Vietnamese middle name in the English order,
        # a Mexican second given name.
        ("Min-ji Park (Park Min-ji in Korean order)", "Min-ji", "Park"),
        ("Lan Nguyen. In Vietnamese is Nguyễn Thị Lan", "Lan", "Nguyen"),
        ("Thanh Van Tran", "Thanh Van", "Tran"),
        ("Rosa Isela Peña", "Rosa Isela", "Peña"),
        ("Vincent Van Gogh", "Vincent", "Van Gogh"),
        ("Gabriela Sical Coc", "Gabriela", "Sical Coc"),
    ],
)  # fmt: skip
def test_names_explained_by_their_owners(text, first, last):
    assert value_of(validate_name(text)) == PersonName(first, last)


@pytest.mark.parametrize(
    ("text", "treatments"),
    [
        ("fiz quiropraxia 5 vezes and I take dorflex from the brazilian store",
         ["medication", "chiropractic"]),
        ("me pusieron una inyección de cortisona en agosto y tomo ciclobenzaprina pa dormir",
         ["medication", "injections"]),
        ("nothing yet honestly, ER just told me rest", ["none"]),
        ("nothing yet. i was scared to take pills because im breastfeeding", ["none"]),
        ("fizioterapija back home in Tuzla in summer, here massage, and Brufen",
         ["physical_therapy", "medication", "other: massage"]),
        # "I mean" restates the one item before it, not the whole list.
        ("Massage, a warm cherry-stone pillow, Voltaren gel, and my doctor sent me to "
         "Krankengymnastik, I mean physiotherapy, 12 sessions.",
         ["physical_therapy", "medication", "other: massage", "other: warm cherry stone pillow"]),
        ("goody powders, bengay, my chairopractor, and I sleep with a pillow between my knees",
         ["medication", "chiropractic", "other: bengay",
          "other: sleep with a pillow between my knees"]),
        ("PT, I mean chiro", ["chiropractic"]),
        # A spelling as it is said is read only with its ending: "Cherokee" is no chiropractor.
        ("Cherokee herbal tea", ["other: cherokee herbal tea"]),
        ("doliprane and kiné (physio) 4 times", ["physical_therapy", "medication"]),
        ("six weeks of PT, a steroid shot in my back in October and gabba penton",
         ["physical_therapy", "medication", "injections"]),
    ],
)  # fmt: skip
def test_treatments_from_abroad_and_restated(text, treatments):
    assert value_of(validate_treatments(text)) == treatments


def test_voice_typed_and_autocapitalised_emails_other_languages_and_texting():
    assert value_of(validate_email("darnell period okafor at example dot net")) == (
        "darnell.okafor@example.net"
    )
    assert value_of(validate_email("Cody dot hartsell at example dot org")) == (
        "cody.hartsell@example.org"
    )
    assert value_of(
        validate_email("granddaughter says put hers, it's Cami.Duchesne@example.com")
    ) == ("cami.duchesne@example.com")
    assert value_of(validate_best_time("le matin avant 10h")) == "morning"
    assert value_of(validate_best_time("le soir")) == "evening"
    assert value_of(validate_mri_region("the back, down part")) == "lumbar"
    assert value_of(validate_mri_region("lumbar mainly, but also the neck")) == "lumbar"
    assert value_of(validate_has_mri("yh")) is True
    assert value_of(validate_consent("Sí, cómo no")) is True
    assert check_answer("summary_confirmed", "lgtm")["summary_confirmed"] is True


# --- held-out set 40 (round 18) -------------------------------------------------------
def test_the_phone_whose_label_is_said_again_with_please():
    """Held-out set 40: "work 301-555-0112 x 305, cell 240-555-0196 - cell please" stored the
    work number."""
    text = "work 301-555-0112 x 305, cell 240-555-0196 - cell please"
    assert value_of(validate_phone(text)) == "+12405550196"


# --- round 19's development intakes ------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The clock range in brackets explains the word; a range reads as its start.
        ("Afternoons (1-5pm PT)", "afternoon"),
        ("mornings, 8-11", "morning"),
        ("7-9pm", "evening"),
        ("11-1pm", "morning"),
        # A 24-hour range: 0600 is six in the morning.
        ("0600-0800", "morning"),
        ("0800-1100", "morning"),
        ("1730 hrs", "evening"),
        # What the person does at an hour, besides a time of day named, is an aside.
        ("afternoon, i play til 2am lol", "afternoon"),
        ("evenings, we start 5am bc of the heat", "evening"),
        # Being home at an hour is when to call.
        ("afternoon is bad, i'm home by 6pm", "evening"),
        # The choice the answer settles on.
        ("Honestly whenever, but if I have to pick, mornings on my days off... ugh that's "
         "random. Let's say afternoon", "afternoon"),
        # "Doesn't matter" is "any time": the earliest is fine.
        ("dont matter", "asap"),
        ("it doesn't matter", "asap"),
        ("anytime", "asap"),
        ("doesn't matter, mornings", "morning"),
    ],
)  # fmt: skip
def test_best_times_said_with_ranges_asides_and_settling(text, expected):
    assert value_of(validate_best_time(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The way fine only if the first fails is the fallback.
        ("Call the house phone, but text is ok if nobody answers", "call"),
        ("text me, call only if urgent", "text"),
        ("call or text, text is fine", "text"),
        # The one said to be better wins over "whichever".
        ("call or text whichever, text probably better when I'm on the road", "text"),
        ("call or text is fine", "call"),
    ],
)  # fmt: skip
def test_contact_method_preferred_over_a_fallback(text, expected):
    assert value_of(validate_contact_method(text)) == expected


def test_spoken_emails_with_digits_and_a_join_remark():
    assert value_of(validate_email("tamika dot johnson 404 at example dot com")) == (
        "tamika.johnson404@example.com"
    )
    text = "siobhan fitzgerald at sign example dot org, no space between"
    assert value_of(validate_email(text)) == "siobhanfitzgerald@example.org"
    # Digits after "my email is" are the address's own, not joined to "is".
    assert value_of(validate_email("my email is 404 at example dot com")) == "404@example.com"
    # A name said in parts with no join remark is still asked again.
    assert not validate_email("gary peterson at example dot com").ok


def test_a_phone_number_said_with_dashes():
    text = "two one eight dash five five five dash zero one one zero"
    assert value_of(validate_phone(text)) == "+12185550110"
    assert value_of(validate_phone("218 dash 555 dash 0110")) == "+12185550110"


def test_a_phone_number_sent_in_two_parts_is_joined():
    """Held-out set 42: "my number is 909", then "555 0143 sorry it sent before i finished"
    was asked for four times."""
    assert phone_in_two_parts("my number is 909", "555 0143 sorry it sent before i finished") == (
        "+19095550143"
    )
    assert phone_in_two_parts("12", "555 0143") is None
    assert phone_in_two_parts("909", "555 0143 and 555 0199") is None


@pytest.mark.parametrize(
    ("text", "chooses"),
    [
        ("will a woman call me or a man? I prefer a woman if it is a phone call", False),
        ("does the consultant call or text?", False),
        ("call me if you can", True),
        ("will you call me?", True),
    ],
)
def test_who_calls_and_a_way_on_a_condition_choose_no_way(text, chooses):
    """Round 20's development intakes: a question who would call was stored as a call."""
    assert chooses_contact_method(text) is chooses


# Round 21's development intakes (tests/eval/dev21a, dev21b): answers read wrongly or
# asked for again, as each must now be stored.
@pytest.mark.parametrize(
    "field, text, expected",
    [
        (
            "full_name",
            "Chhim Sokha. Sokha first name",
            {"first_name": "Sokha", "last_name": "Chhim"},
        ),
        (
            "full_name",
            "Ma. Teresa dela Cruz. Maria Teresa is first name, last name is dela Cruz (two words)",
            {"first_name": "Maria Teresa", "last_name": "dela Cruz"},
        ),
        (
            "full_name",
            "tyler brandt 31 yes i have an mri",
            {"first_name": "Tyler", "last_name": "Brandt"},
        ),
        ("best_time", "im at the warehouse 6 to 2:30 so after that", {"best_time": "afternoon"}),
        ("best_time", "at the shop 9 to 5, call after that", {"best_time": "evening"}),
        ("mri_region", "en medio de la espalda y abajo", {"mri_region": "thoracic+lumbar"}),
        (
            "mri_region",
            "his neck and top of the back, the doctor wrote cervical",
            {"mri_region": "cervical"},
        ),
        (
            "has_mri",
            "Well, I had one done at Spectrum, but I don't have the pictures myself, only the "
            "report they mailed me. Does that count?",
            {"has_mri": True},
        ),
        (
            "has_mri",
            "I think so? I had the MRI at Presbyterian but I never got a copy",
            {"has_mri": True},
        ),
        ("has_mri", "I had one scheduled but never got the results", {"has_mri": False}),
        ("summary_confirmed", "That's it", {"summary_confirmed": True}),
        ("treatments_tried", "thoracic medial branch block", {"treatments_tried": ["injections"]}),
    ],
)
def test_round_21_development_answers(field, text, expected):
    checked = check_answer(field, text)
    assert isinstance(checked, dict), checked
    for key, value in expected.items():
        if key == "treatments_tried":
            assert set(value) <= set(checked[key]), checked
        else:
            assert checked[key] == value, checked


def test_arveles_and_muscoril_are_medication():
    """Round 21's development intakes: Turkish brands, stored as "other" only."""
    assert (
        "medication" in check_answer("treatments_tried", "arveles and muscoril")["treatments_tried"]
    )


# Held-out set 46's intake misses (measured once with model b06d5482e1f7), as each must now
# be stored.
@pytest.mark.parametrize(
    "field, text, expected",
    [
        (
            "full_name",
            "Kotha Srinivas Reddy. Srinivas is my first name and Kotha is the family name",
            {"first_name": "Srinivas", "last_name": "Kotha"},
        ),
        ("full_name", "José Mejía Portillo, uso Mejía", {"first_name": "José"}),
        ("adult", "simón", {"adult": True}),
        # Held-out set 49.
        ("adult", "ayuh", {"adult": True}),
        ("mri_region", "abajo en la espalda", {"mri_region": "lumbar"}),
    ],
)
def test_set_46_answers(field, text, expected):
    checked = check_answer(field, text)
    assert isinstance(checked, dict), checked
    assert {key: checked[key] for key in expected} == expected


# Round 22: round 21's misses left for it (held-out sets 48 to 50), the development intakes
# (tests/eval/dev22a/, dev22b/) and held-out sets 51 to 57's misses, as each must now be
# stored.
@pytest.mark.parametrize(
    "field, text, expected",
    [
        # Held-out sets 48 to 50.
        ("contact_method", "Whatever is easiest for y'all", {"contact_method": "call"}),
        ("contact_method", "either one is fine", {"contact_method": "call"}),
        ("contact_method", "whatever", {"contact_method": "call"}),
        ("contact_method", "text is easiest for me", {"contact_method": "text"}),
        ("best_time", "afternoons, I'm in the studio nights", {"best_time": "afternoon"}),
        ("treatments_tried", "ninguno, solo descanso", {"treatments_tried": ["none"]}),
        ("treatments_tried", "thoracic medial branch block", {"treatments_tried": ["injections"]}),
        ("mri_region", "my back, down low by my hip bone", {"mri_region": "lumbar"}),
        ("mri_region", "my hip", {"mri_region": "other"}),
        # The development intakes.
        ("full_name",
         "Kwabena Ofori Asante. Kwabena is the first name, Asante the surname. Friends call "
         "me Kobby.", {"first_name": "Kwabena", "last_name": "Asante"}),
        ("full_name", "Іван Петренко / Ivan Petrenko",
         {"first_name": "Ivan", "last_name": "Petrenko"}),
        ("full_name", "Devon McKenzie, Dev fi short",
         {"first_name": "Devon", "last_name": "McKenzie"}),
        ("full_name", "Kim Soo-jin (Susan Kim)", {"first_name": "Soo-jin", "last_name": "Kim"}),
        ("full_name", "Jean-Pierre Tremblay, JP works",
         {"first_name": "Jean-Pierre", "last_name": "Tremblay"}),
        ("full_name", "My name Chhun Sokha. In America paper Sokha Chhun",
         {"first_name": "Sokha", "last_name": "Chhun"}),
        ("treatments_tried", "nothing, just rest. waxba", {"treatments_tried": ["none"]}),
        ("treatments_tried", "tomei injeção na coluna em julho e tomo relaxante muscular",
         {"treatments_tried": ["medication", "injections"]}),
        ("mri_region", "neck AND lower back both hurt, but the MRI I have is of the neck",
         {"mri_region": "cervical"}),
        ("mri_region", "his neck and upper back, it's a cervical MRI", {"mri_region": "cervical"}),
        ("mri_region", "neck and low back", {"mri_region": "cervical+lumbar"}),
        ("best_time", "depois das 17h", {"best_time": "evening"}),
        ("contact_method", "llamada o texto, mejor texto", {"contact_method": "text"}),
        ("summary_confirmed", "shoots", {"summary_confirmed": True}),
        ("summary_confirmed", "That's about the size of it", {"summary_confirmed": True}),
        ("consent", "yes as long as it's only about my MRI, no marketing", {"consent": True}),
        ("consent", "no as long as you call", {"consent": False}),
        ("safety_screen", "no, no problem toilet, no", {"safety_screen": False}),
        ("safety_screen", "no problems with peeing", {"safety_screen": False}),
        ("consent", "no problem, go ahead", {"consent": True}),
        # Held-out sets 51 to 57, missed when measured.
        ("full_name", "Ramón Almonte Reyes", {"first_name": "Ramón", "last_name": "Almonte Reyes"}),
        ("full_name", "Esperanza Ventura Morales",
         {"first_name": "Esperanza", "last_name": "Ventura Morales"}),
        ("full_name", "Cristina dela Cruz, Tina lang po",
         {"first_name": "Cristina", "last_name": "dela Cruz"}),
        ("full_name", "Le Minh Tuan, you can write Tuan Le",
         {"first_name": "Tuan", "last_name": "Le"}),
        ("best_time", "after 7 when the shop close", {"best_time": "evening"}),
        # Held-out sets 54 and 55.
        ("has_mri", "get", {"has_mri": True}),
        ("treatments_tried",
         "tricare covered 6 weeks of PT, and motrin. also a chiro off base a few times",
         {"treatments_tried": ["physical_therapy", "medication", "chiropractic"]}),
        ("treatments_tried", "nothing yet, only rest and beer haha",
         {"treatments_tried": ["none"]}),
        ("treatments_tried", "steroid shot, ibuprofen, hot packs",
         {"treatments_tried": ["medication", "injections", "other: hot packs"]}),
        ("mri_region", "they did the whole spine, neck to tailbone", {"mri_region": "other"}),
        ("mri_region", "They did lumbar and also neck, but the problem is lumbar",
         {"mri_region": "lumbar"}),
        ("summary_confirmed", "word", {"summary_confirmed": True}),
        ("full_name", "Chen Jian Hua. english name Jimmy", {"last_name": "Chen"}),
        # Held-out sets 56 and 57.
        ("full_name", "Guadalupe Herrera, but say Lupe",
         {"first_name": "Guadalupe", "last_name": "Herrera"}),
        ("full_name", "Rosa María Gallegos de León", {"last_name": "Gallegos de León"}),
        ("full_name", "Tasha Brings Plenty", {"first_name": "Tasha", "last_name": "Brings Plenty"}),
        ("consent", "ight cool", {"consent": True}),
    ],
)  # fmt: skip
def test_round_22_answers(field, text, expected):
    checked = check_answer(field, text)
    assert isinstance(checked, dict), checked
    assert {key: checked[key] for key in expected} == expected


def test_a_question_about_the_contact_ways_is_no_preference():
    assert not isinstance(check_answer("contact_method", "what are my choices"), dict)


def test_a_question_about_using_someone_elses_email_is_no_missing_email():
    """Held-out set 54: "I don't have email apo. Can I use the email of my daughter?" left
    the email out, and the daughter's address typed next went to the question after."""
    text = "I don't have email apo. Can I use the email of my daughter?"
    assert not isinstance(check_answer("email", text), dict)
    assert check_answer("has_mri", "I get headaches") != {"has_mri": True}


@pytest.mark.parametrize(
    "field, text, expected",
    [
        # Held-out set 58, noted in round 22: asked again and again.
        ("best_time", "if not sunday then evenings", {"best_time": "evening"}),
        # Held-out sets 51 and 59, read by the classifier as `inform`.
        ("adult", "10-4", {"adult": True}),
        ("consent", "10-4", {"consent": True}),
        ("has_mri", "I'd say so", {"has_mri": True}),
        ("summary_confirmed", "mm-hmm", {"summary_confirmed": True}),
        # Round 23's development intakes.
        ("full_name", "박지훈 — in English Jihoon Park (Park is the family name)",
         {"first_name": "Jihoon", "last_name": "Park"}),
        ("full_name", "R. Venkatasubramanian — R is my father's name (Ramaswamy), it goes first "
         "in Tamil style. US documents: first name Venkatasubramanian, last name Ramaswamy. "
         "People call me Venkat.",
         {"first_name": "Venkatasubramanian", "last_name": "Ramaswamy"}),
        ("full_name", "Ali Hussein Al-Saadi. Ali is my name, Al-Saadi the family",
         {"first_name": "Ali", "last_name": "Al-Saadi"}),
        ("full_name", "Tigist Alemayehu Bekele. Alemayehu is my father's name, here we use it "
         "as the last name", {"last_name": "Alemayehu"}),
        ("full_name", "Ahmad Faiz bin Abdul Rahman. Malaysian names don't have a surname; for "
         "forms I usually put first name Ahmad Faiz and last name Abdul Rahman",
         {"first_name": "Ahmad Faiz", "last_name": "Abdul Rahman"}),
        ("full_name", "Saw Eh Htoo. Saw is like Mr. In America my paper say first name Eh, "
         "last name Htoo", {"first_name": "Eh", "last_name": "Htoo"}),
        ("full_name", "Mrs. Rabinovich, Izabella Moiseyevna. Rabinovich is family, Moiseyevna "
         "is father name. Call me Bella.", {"last_name": "Rabinovich"}),
        ("full_name", "Park Ji-woo (박지우). In America I use Jiwoo Park", {"last_name": "Park"}),
        ("full_name", "نور حداد - Nour Haddad", {"first_name": "Nour", "last_name": "Haddad"}),
        ("full_name", "Yesenia del Carmen Rosario Peña",
         {"first_name": "Yesenia del Carmen", "last_name": "Rosario Peña"}),
        ("adult", "sii", {"adult": True}),
        ("has_mri", "why would I be here if I didn't", {"has_mri": True}),
        ("summary_confirmed", "نعم صحيح", {"summary_confirmed": True}),
        ("mri_region", "right about where my belt sits", {"mri_region": "lumbar"}),
        ("mri_region", "my low back. they did my neck years ago but this ones the low back",
         {"mri_region": "lumbar"}),
        ("treatments_tried", "physical therapy and flexor ill",
         {"treatments_tried": ["physical_therapy", "medication"]}),
        # Held-out sets 60 to 63, missed when measured.
        ("full_name", "Djenifer Tavares Semedo",
         {"first_name": "Djenifer", "last_name": "Tavares Semedo"}),
        ("summary_confirmed", "ta bien", {"summary_confirmed": True}),
        ("summary_confirmed", "ándale, that's it", {"summary_confirmed": True}),
        ("summary_confirmed", "That'll do", {"summary_confirmed": True}),
        ("best_time", "I work 12s on a 2-2-3, days. Best after 7pm", {"best_time": "evening"}),
        ("phone", "+52 899 555 0177 de México, y aquí 956-555-0177", {"phone": "+19565550177"}),
        ("phone", "my cell 706-555-0144, husband Jignesh is 706-555-0171 but call mine please",
         {"phone": "+17065550144"}),
        # Held-out sets 64 to 67, missed when measured.
        ("best_time", "1700 or later", {"best_time": "evening"}),
        ("best_time", "Sorry, morning I am sleeping after night shift, please afternoon",
         {"best_time": "afternoon"}),
        ("consent", "yes no wahala", {"consent": True}),
        ("mri_region", "They scanned thoracic and lumbar both, but the trouble is the lumbar.",
         {"mri_region": "lumbar"}),
    ],
)  # fmt: skip
def test_round_23_answers(field, text, expected):
    checked = check_answer(field, text)
    assert isinstance(checked, dict), checked
    assert {key: checked[key] for key in expected} == expected


def test_a_missing_email_asked_about_leaves_room_for_a_family_members():
    """Round 23's development intakes: "I don't have an email, is that okay?" was taken as
    no email, and the son's address the patient meant to give next had no question."""
    assert not isinstance(check_answer("email", "I don't have an email, is that okay?"), dict)
    assert check_answer("email", "skip") == {"email": "not known"}
    assert check_answer("email", "my son's: tbegay@example.org") == {"email": "tbegay@example.org"}
    assert check_answer("email", "I don't have an email") == {"email": "not known"}
