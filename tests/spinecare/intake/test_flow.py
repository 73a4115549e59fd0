"""The intake's question order, its early endings and its summary."""

from spinecare.intake import flow


def test_full_order_for_someone_with_an_mri():
    slots = flow.required_slots({"adult": True, "has_mri": True})
    assert slots == [
        "full_name", "adult", "has_mri", "mri_taken", "mri_region", "symptoms",
        "symptom_duration", "treatments_tried", "phone", "email", "zip_code",
        "contact_method", "best_time", "summary_confirmed", "consent",
    ]  # fmt: skip


def test_under_18_ends_after_the_age_question():
    assert flow.required_slots({"adult": False}) == ["full_name", "adult"]
    assert flow.outcome({"adult": False}) == "under_18"


def test_no_mri_asks_about_a_call_and_skips_mri_details():
    slots = flow.required_slots({"adult": True, "has_mri": False, "mri_call_instead": True})
    assert "mri_call_instead" in slots
    assert "mri_taken" not in slots and "mri_region" not in slots
    assert slots[-1] == "consent"


def test_no_mri_and_no_call_ends_without_storing():
    values = {"adult": True, "has_mri": False, "mri_call_instead": False}
    assert flow.required_slots(values)[-1] == "mri_call_instead"
    assert flow.outcome(values) == "no_mri_no_call"


def test_only_explicit_consent_submits():
    assert flow.outcome({"adult": True, "has_mri": True, "consent": False}) == "no_consent"
    assert flow.outcome({"adult": True, "has_mri": True, "consent": None}) == "no_consent"
    assert flow.outcome({"adult": True, "has_mri": True, "consent": True}) == "submit"


def test_summary_shows_answers_in_plain_words():
    lines = flow.summary_lines(
        {
            "first_name": "Jon",
            "last_name": "Doe",
            "has_mri": True,
            "mri_taken": "2026-08-01",
            "mri_older_than_two_years": False,
            "mri_region": "lumbar",
            "treatments_tried": ["physical_therapy", "injections"],
            "phone": "+15551234567",
            "zip_code": "10001",
            "state": "NY",
            "contact_method": "text",
            "best_time": "morning",
        }
    )
    text = "\n".join(lines)
    assert "First name: Jon" in text
    assert "Last name: Doe" in text
    assert "MRI taken: August 2026" in text
    assert "lower back (lumbar)" in text
    assert "physical therapy, injections" in text
    assert "10001 (NY)" in text
    assert "a text message" in text


def test_a_pending_safety_screen_comes_before_the_next_question():
    values = {"adult": True, "has_mri": True, "safety_screen_pending": True}
    assert flow.required_slots(values)[0] == "safety_screen"
    answered = {**values, "safety_screen": False, "safety_screen_pending": None}
    assert flow.required_slots(answered)[0] == "full_name"


def test_a_yes_to_the_safety_screen_ends_the_intake_as_an_emergency():
    values = {"adult": True, "has_mri": True, "safety_screen_pending": True, "safety_screen": True}
    assert flow.required_slots(values) == []
    assert flow.outcome(values) == "emergency"


def test_other_treatments_read_in_the_summary_without_their_prefix():
    lines = flow.summary_lines({"treatments_tried": ["medication", "other: stretching"]})
    assert "Treatments tried: medication, stretching" in lines


def test_an_mri_of_two_regions_reads_as_both_in_the_summary():
    lines = flow.summary_lines({"has_mri": True, "mri_region": "thoracic+lumbar"})
    assert "MRI region: mid back (thoracic) and lower back (lumbar)" in lines
