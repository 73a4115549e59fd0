"""Replies as a phone shows them: numbered choices, SMS segments, no markdown, whole words."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecare.messaging.render import (
    Choice,
    is_gsm7,
    numbered_choices,
    plain_text,
    render_messenger_turn,
    render_sms_turn,
    resolve_choice,
    segment_count,
    split_sms,
    turn_choices,
)

YES_NO = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]


# --- segments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("é" * 160, 1),  # é is in GSM-7
        ("ç" * 70, 1),  # ç is not: UCS-2
        ("ç" * 71, 2),
        ("ç" * 134, 2),
        ("ç" * 135, 3),
        ("€" * 80, 1),  # GSM-7 extension: two septets each
        ("€" * 81, 2),
        ("\U0001f600" * 35, 1),  # an emoji is two UCS-2 units
        ("\U0001f600" * 36, 2),
        ("", 0),
    ],
)
def test_segment_count_follows_gsm7_and_ucs2_limits(text, segments):
    assert segment_count(text) == segments


def test_an_escape_pair_never_straddles_two_segments():
    text = "a" * 152 + "€" + "a" * 10  # the euro sign would start at septet 153
    assert segment_count(text) == 2
    assert segment_count("a" * 152 + "€" + "a" * 152) == 3


def test_typographic_quotes_and_dashes_are_made_plain_to_stay_in_gsm7():
    text = plain_text("It\u2019s \u201cfine\u201d \u2014 really\u2026 yes")
    assert is_gsm7(text.replace("\u2026", "..."))
    assert "\u2019" not in text and "\u201c" not in text and "\u2014" not in text


# --- splitting ----------------------------------------------------------------------

SENTENCES = [f"This is sentence number {n}, with a few words to make it longer." for n in range(30)]


def test_a_short_reply_is_one_message():
    assert split_sms("Thanks. What is your ZIP code?") == ["Thanks. What is your ZIP code?"]


def test_a_long_reply_is_split_at_sentence_ends_within_three_segments():
    bodies = split_sms(" ".join(SENTENCES))
    assert len(bodies) > 1
    for body in bodies:
        assert segment_count(body) <= 3
        assert body.endswith("."), body  # cut between sentences, not inside one
    assert " ".join(bodies) == " ".join(SENTENCES)


def test_unicode_text_is_split_within_ucs2_limits():
    text = " ".join(f"Étape {n} \U0001f600 fait." for n in range(60))
    bodies = split_sms(text)
    assert all(
        segment_count(body) <= 3 and len(body.encode("utf-16-le")) <= 201 * 2 for body in bodies
    )
    assert " ".join(bodies) == text


def test_a_sentence_longer_than_three_segments_is_cut_between_words():
    sentence = " ".join(["word"] * 200) + "."
    bodies = split_sms(sentence)
    assert len(bodies) >= 2
    assert all(segment_count(body) <= 3 for body in bodies)
    assert all(set(body.split()) <= {"word", "word."} for body in bodies)


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé€ç\U0001f600", min_size=1, max_size=25)
sentences = st.lists(words, min_size=1, max_size=20).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=25))
def test_splitting_never_cuts_or_loses_a_word_and_keeps_three_segments(parts):
    text = " ".join(parts)
    bodies = split_sms(text)
    assert " ".join(body for body in bodies).split() == text.split()
    for body in bodies:
        assert segment_count(body) <= 3


# --- plain text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**Call us** now", "Call us now"),
        ("__Bold__ and *soft* and _quiet_", "Bold and soft and quiet"),
        ("see [our page](https://x.example/a)", "see our page (https://x.example/a)"),
        ("`code` here", "code here"),
        ("# Heading\nText", "Heading\nText"),
        ("- one\n- two\n* three", "one\ntwo\nthree"),
        ("> quoted", "quoted"),
        ("<b>bold</b> <script>x()</script>", "bold x()"),
        ("~~gone~~ here", "gone here"),
    ],
)
def test_markdown_and_html_syntax_never_reach_a_text(markdown, plain):
    assert plain_text(markdown) == plain


def test_plain_text_keeps_what_only_looks_like_markdown():
    text = "Email jon_doe@mail_box.com, 2*3=6, 5 < 6, and a_b_c."
    assert plain_text(text) == text


def test_the_web_hint_to_type_cancel_becomes_cancel_request():
    text = plain_text('Nothing is saved until you agree, and you can type "cancel" at any time.')
    assert 'reply "cancel request"' in text and 'type "cancel"' not in text


# --- choices ------------------------------------------------------------------------


def test_two_choices_read_reply_1_for_yes_2_for_no_in_the_same_message():
    turn = render_sms_turn([{"text": "Are you 18 or older?", "buttons": YES_NO}])
    assert turn.bodies == ("Are you 18 or older?\nReply 1 for Yes, 2 for No.",)
    assert [c.payload for c in turn.choices] == ["yes", "no"]


def test_titles_with_commas_are_separated_by_semicolons():
    choices = [Choice("Yes, that's right", "y"), Choice("Change something", "n")]
    assert numbered_choices(choices) == "Reply 1 for Yes, that's right; 2 for Change something."


def test_longer_lists_get_one_numbered_line_each():
    choices = [Choice(t, t) for t in ("Lower back", "Mid back", "Neck", "Other")]
    assert (
        numbered_choices(choices)
        == "Reply with a number:\n1 Lower back\n2 Mid back\n3 Neck\n4 Other"
    )


@pytest.mark.parametrize(
    ("reply", "payload"),
    [("1", "yes"), ("2", "no"), (" 2. ", "no"), ("#1", "yes"), ("No", "no"), ("yes!", "yes"),
     ("3", None), ("0", None), ("maybe", None), ("", None)],
)  # fmt: skip
def test_a_number_or_the_choices_words_map_back_to_the_payload(reply, payload):
    assert resolve_choice(reply, [Choice("Yes", "yes"), Choice("No", "no")]) == payload


def test_choices_resolve_from_stored_dicts_and_titles_with_punctuation():
    stored = [{"title": "Start a no-cost MRI review", "payload": "/request_mri_review"}]
    assert resolve_choice("start a no-cost MRI review.", stored) == "/request_mri_review"
    assert resolve_choice("1", stored) == "/request_mri_review"
    assert resolve_choice("1", []) is None


def test_only_the_last_button_list_of_a_turn_is_numbered():
    messages = [
        {"text": "Pick one", "buttons": [{"title": "A", "payload": "a"}]},
        {"text": "Or one of these", "buttons": YES_NO},
    ]
    turn = render_sms_turn(messages)
    assert [c.title for c in turn.choices] == ["Yes", "No"]
    assert turn.bodies == ("Pick one\n\nOr one of these\nReply 1 for Yes, 2 for No.",)


def test_an_emergency_reply_never_offers_choices():
    messages = [
        {"text": "Call 911 now, or go to the nearest emergency room.", "safety": "emergency"},
        {"text": "What else?", "buttons": YES_NO},
    ]
    assert turn_choices(messages) == []
    turn = render_sms_turn(messages)
    assert "Reply 1" not in " ".join(turn.bodies)
    assert turn.bodies[0].startswith("Call 911 now")


def test_a_turns_replies_travel_together_and_in_order():
    turn = render_sms_turn(
        [{"text": "Thanks, I've updated your email."}, {"text": "What is your ZIP code?"}]
    )
    assert turn.bodies == ("Thanks, I've updated your email.\n\nWhat is your ZIP code?",)


# --- Messenger ----------------------------------------------------------------------


def test_messenger_quick_replies_keep_payloads_and_cut_long_titles_at_a_word():
    buttons = [{"title": f"Change my contact method {n}", "payload": f"p{n}"} for n in range(13)]
    pieces, choices = render_messenger_turn(
        [{"text": "What would you like to change?", "buttons": buttons}]
    )
    (piece,) = pieces
    assert len(piece.quick_replies) == 13
    for reply, button in zip(piece.quick_replies, buttons, strict=True):
        assert len(reply["title"]) <= 20 and reply["content_type"] == "text"
        assert reply["payload"] == button["payload"]
    assert piece.quick_replies[0]["title"] == "Change my contact\u2026"
    assert len(choices) == 13


def test_more_than_13_choices_are_numbered_in_the_text_instead():
    buttons = [{"title": f"Option {n}", "payload": f"p{n}"} for n in range(14)]
    pieces, _ = render_messenger_turn([{"text": "Pick", "buttons": buttons}])
    assert pieces[-1].quick_replies == ()
    assert "14 Option 13" in pieces[-1].text


def test_messenger_text_is_plain_and_split_below_2000_characters():
    pieces, _ = render_messenger_turn([{"text": "**Hi** " + " ".join(SENTENCES * 3)}])
    assert len(pieces) > 1 and all(len(p.text) <= 2000 for p in pieces)
    assert pieces[0].text.startswith("Hi This is")
