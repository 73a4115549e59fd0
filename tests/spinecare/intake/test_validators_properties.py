"""Properties the intake validators keep for any input, checked with Hypothesis."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinecare.intake import validators as v
from spinecare.intake.validators import Invalid, Valid

TODAY = date(2026, 11, 25)

ALL_TEXT_VALIDATORS = [
    v.validate_name,
    v.validate_phone,
    v.validate_email,
    v.validate_zip,
    v.validate_adult,
    v.validate_has_mri,
    v.validate_consent,
    v.validate_mri_region,
    v.validate_symptoms,
    v.validate_treatments,
    v.validate_contact_method,
    v.validate_best_time,
    lambda text: v.validate_mri_date(text, TODAY),
    lambda text: v.validate_symptom_duration(text, TODAY),
]

chatty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.lists(
        st.sampled_from(
            [
                "yes",
                "no",
                "not",
                "my",
                "name",
                "is",
                "212",
                "555",
                "0182",
                "@",
                ".",
                ",",
                "-",
                "/",
                "'",
                "ago",
                "months",
                "years",
                "last",
                "march",
                "2024",
                "lower",
                "back",
                "neck",
                "PT",
                "injections",
                "call",
                "text",
                "email",
                "morning",
                "after",
                "5pm",
                "since",
                "<b>",
                "</b>",
                "\u202e",
                "\x1b",
                "\n",
                "\t",
                "0",
                "1",
                "18",
                "over",
                "under",
                "ext",
            ]
        ),
        max_size=12,
    ).map(" ".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=chatty_text)
def test_validators_never_raise_and_give_a_reason(text):
    for validator in ALL_TEXT_VALIDATORS:
        result = validator(text)
        assert isinstance(result, Valid | Invalid)
        if isinstance(result, Invalid):
            assert result.reason.strip()


@settings(max_examples=50, deadline=None)
@given(value=st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text())))
def test_validators_survive_values_that_are_not_text(value):
    for validator in ALL_TEXT_VALIDATORS:
        assert isinstance(validator(value), Invalid | Valid)


# NANP: area code and exchange start with 2-9; N11 area codes are service codes.
area_codes = st.from_regex(r"\A[2-9][0-9]{2}\Z").filter(lambda code: code[1:] != "11")
exchanges = st.from_regex(r"\A[2-9][0-9]{2}\Z")
lines = st.from_regex(r"\A[0-9]{4}\Z")
FORMATS = (
    "({a}) {e}-{n}",
    "{a}-{e}-{n}",
    "{a}.{e}.{n}",
    "{a} {e} {n}",
    "{a}{e}{n}",
    "+1 {a} {e} {n}",
    "+1-{a}-{e}-{n}",
    "1 ({a}) {e}-{n}",
    "my cell is {a} {e} {n}",
    "{a}/{e}-{n} thanks",
)


@settings(max_examples=200, deadline=None)
@given(area=area_codes, exchange=exchanges, line=lines)
def test_any_nanp_number_gives_one_e164_whatever_the_format(area, exchange, line):
    expected = f"+1{area}{exchange}{line}"
    for template in FORMATS:
        result = v.validate_phone(template.format(a=area, e=exchange, n=line))
        assert isinstance(result, Valid), (template, result)
        assert result.value == expected


@settings(max_examples=100, deadline=None)
@given(digits=st.from_regex(r"\A[0-9]{1,9}\Z") | st.from_regex(r"\A[2-9][0-9]{10,13}\Z"))
def test_phone_with_too_few_or_too_many_digits_is_refused(digits):
    assert isinstance(v.validate_phone(digits), Invalid)


local_parts = st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,20}[A-Za-z0-9])?\Z").filter(
    lambda local: ".." not in local
)
# A label with "--" in its third and fourth characters is reserved for encoded
# international names ("xn--"), which the email library rightly refuses otherwise.
domains = st.lists(
    st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?\Z").filter(
        lambda label: label[2:4] != "--"
    ),
    min_size=1,
    max_size=3,
).map(lambda labels: ".".join([*labels, "com"]))


@settings(max_examples=200, deadline=None)
@given(local=local_parts, domain=domains, lead=st.sampled_from(["", "my email is ", "it's "]))
def test_email_normalisation_is_idempotent_and_lower_case(local, domain, lead):
    result = v.validate_email(f"{lead}{local}@{domain}")
    assert isinstance(result, Valid), result
    local_out, _, domain_out = result.value.rpartition("@")
    # Stored in lower case since round 18: capitals a phone's keyboard adds reach the same
    # mailbox, and consultants compare addresses by eye.
    assert local_out == local.lower()
    assert domain_out == domain.lower()
    again = v.validate_email(result.value)
    assert isinstance(again, Valid) and again.value == result.value


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=80))
def test_email_normalisation_is_idempotent_for_any_accepted_text(text):
    result = v.validate_email(text)
    if isinstance(result, Valid):
        assert v.validate_email(result.value) == result


@settings(max_examples=200, deadline=None)
@given(text=chatty_text, today=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_mri_date_is_a_past_first_of_month(text, today):
    result = v.validate_mri_date(text, today)
    # "unsure", "can't remember": a date not known is Valid(None), left for the consultant.
    if isinstance(result, Valid) and result.value is not None:
        assert result.value.day == 1
        assert result.value <= today
        assert result.value.year >= v.EARLIEST_MRI_YEAR
        assert isinstance(result.extra["older_than_two_years"], bool)


@settings(max_examples=100, deadline=None)
@given(months_ago=st.integers(min_value=0, max_value=200))
def test_months_ago_counts_back_whole_months(months_ago):
    result = v.validate_mri_date(f"{months_ago} months ago", TODAY)
    index = TODAY.year * 12 + TODAY.month - 1 - months_ago
    expected = date(index // 12, index % 12 + 1, 1)
    if expected.year < v.EARLIEST_MRI_YEAR:
        assert isinstance(result, Invalid)
    else:
        assert isinstance(result, Valid) and result.value == expected
        assert result.extra["older_than_two_years"] is (months_ago > 24)


@settings(max_examples=200, deadline=None)
@given(text=chatty_text)
def test_treatments_are_codes_in_order_then_others_and_none_is_alone(text):
    result = v.validate_treatments(text)
    if isinstance(result, Valid):
        assert result.value
        codes = [item for item in result.value if not item.startswith("other: ")]
        others = result.value[len(codes) :]
        assert codes == [code for code in v.TREATMENTS if code in codes]
        assert all(item.startswith("other: ") and len(item) <= 100 for item in others)
        assert "none" not in result.value or result.value == ["none"]


@settings(max_examples=200, deadline=None)
@given(text=chatty_text)
def test_choices_come_from_their_lists(text):
    for validator, allowed in (
        (v.validate_mri_region, v.MRI_REGIONS),
        (v.validate_contact_method, v.CONTACT_METHODS),
        (v.validate_best_time, v.BEST_TIMES),
    ):
        result = validator(text)
        if isinstance(result, Valid):
            assert result.value in allowed


@settings(max_examples=200, deadline=None)
@given(text=chatty_text)
def test_accepted_names_and_symptoms_fit_their_columns(text):
    name = v.validate_name(text)
    if isinstance(name, Valid):
        for part in name.value:
            assert 0 < len(part) <= v.NAME_PART_MAX_CHARS
            assert not any(ch.isdigit() for ch in part)
            assert part == part.strip()
    symptoms = v.validate_symptoms(text)
    if isinstance(symptoms, Valid):
        assert v.SYMPTOMS_MIN_CHARS <= len(symptoms.value) <= v.SYMPTOMS_MAX_CHARS


@settings(max_examples=100, deadline=None)
@given(text=chatty_text)
def test_yes_no_helper_agrees_with_consent_validator(text):
    # Consent takes an agreement, never a statement such as "IM" (I'm).
    answer = v.parse_yes_no(text, statement_is_yes=False)
    result = v.validate_consent(text)
    if answer is None:
        assert isinstance(result, Invalid)
    else:
        assert isinstance(result, Valid) and result.value is answer


@settings(max_examples=100, deadline=None)
@given(zip_code=st.from_regex(r"\A[0-9]{5}\Z"))
def test_accepted_zip_codes_have_a_state(zip_code):
    result = v.validate_zip(f"ZIP {zip_code}")
    if isinstance(result, Valid):
        assert result.value.zip_code == zip_code
        assert len(result.value.state) == 2 and result.value.state.isupper()
