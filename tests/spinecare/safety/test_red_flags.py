"""Red-flag detector: recall on patient phrasings, false alarms, and the judging rules.

Why these numbers: a missed emergency can cost a person their nerves, so every phrasing
in emergency.txt must be caught; a net that cries wolf would be ignored, so at most 2%
of the near misses in benign.txt may be flagged.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from spinecare.safety import (
    EMERGENCY,
    PATTERNS_FILE,
    URGENT,
    RedFlagReader,
    load_rule_book,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "red_flags"

EMERGENCY_REASONS = {
    "cauda_equina",
    "bladder_bowel",
    "saddle_numbness",
    "sexual_dysfunction",
    "bilateral_weakness",
    "progressive_weakness",
    "foot_drop",
    "cannot_walk",
    "infection",
    "trauma",
}
URGENT_REASONS = {"cancer_history", "weight_loss", "night_pain", "no_improvement"}


def phrases(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def detect(nlp, detector, text):
    return detector.detect(nlp(text))


def test_phrase_lists_are_big_and_distinct():
    emergency, benign, urgent = (phrases(n) for n in ("emergency.txt", "benign.txt", "urgent.txt"))
    assert len(emergency) >= 45
    assert len(benign) >= 45
    assert len(urgent) >= 12
    assert len(set(emergency)) == len(emergency)
    assert len(set(benign)) == len(benign)
    assert not set(emergency) & set(benign)


@pytest.mark.parametrize("lower", [False, True], ids=["as typed", "lower-cased like SpacyNLP"])
def test_every_emergency_phrasing_is_caught(spinecare_nlp, detector, lower):
    lines = phrases("emergency.txt")
    missed = []
    for line in lines:
        finding = detect(spinecare_nlp, detector, line.lower() if lower else line)
        if finding is None or finding.severity != EMERGENCY:
            missed.append(line)
    recall = 1 - len(missed) / len(lines)
    print(f"emergency recall: {len(lines) - len(missed)}/{len(lines)} = {recall:.1%}")
    assert recall == 1.0, missed


@pytest.mark.parametrize("lower", [False, True], ids=["as typed", "lower-cased like SpacyNLP"])
def test_benign_near_misses_rarely_alarm(spinecare_nlp, detector, lower):
    lines = phrases("benign.txt")
    alarms = [
        line
        for line in lines
        if detect(spinecare_nlp, detector, line.lower() if lower else line) is not None
    ]
    rate = len(alarms) / len(lines)
    print(f"benign false alarms: {len(alarms)}/{len(lines)} = {rate:.1%}")
    assert rate <= 0.02, alarms


@pytest.mark.parametrize("lower", [False, True], ids=["as typed", "lower-cased like SpacyNLP"])
def test_urgent_phrasings_are_urgent_not_emergency(spinecare_nlp, detector, lower):
    wrong = {}
    for line in phrases("urgent.txt"):
        finding = detect(spinecare_nlp, detector, line.lower() if lower else line)
        if finding is None or finding.severity != URGENT:
            wrong[line] = finding.reason if finding else None
    total = len(phrases("urgent.txt"))
    print(f"urgent classified urgent: {total - len(wrong)}/{total}")
    assert not wrong


@pytest.mark.parametrize(
    "text",
    [
        "no numbness in my groin",
        "I don't have any bladder problems",
        "without fever",
        "never lost control of my bladder",
        "Patient denies saddle numbness and urinary retention",
        "not weak in both legs",
        "I have no numbness, tingling or weakness in both legs",
        "No fever, no chills, no trouble peeing",
        "I haven't wet myself",
        "the doctor ruled out cauda equina",
        "cauda equina was ruled out",
        "No I don't have any numbness down there",
    ],
)
def test_negated_signs_are_not_flagged(detector, text):
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no fever but I can't control my bladder", "bladder_bowel"),
        ("No fever, can't pee since this morning", "bladder_bowel"),
        ("I'm not sure why, but I can't feel my groin", "saddle_numbness"),
        ("No I can't feel my groin at all", "saddle_numbness"),
        ("I never had back trouble until yesterday when I wet myself", "bladder_bowel"),
        ("I can no longer walk", "cannot_walk"),
    ],
)
def test_negation_scope_stops_at_the_clause(detector, text, reason):
    finding = detector.detect_text(text)
    assert finding is not None and finding.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        "I had a bladder infection two years ago",
        "last year I had a fever",
        "I had a fever when I was a kid",
        "I used to have bladder issues years ago",
        "I had numbness in my groin after giving birth but it went away",
        "Had a fever last month, all good now",
        "My foot drop from 2018 is stable",
        "I fell off a ladder ten years ago",
    ],
)
def test_resolved_or_long_past_episodes_are_not_flagged(detector, text):
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("since yesterday I can't pee", "bladder_bowel"),
        ("I've had numbness in my groin since this morning", "saddle_numbness"),
        ("Two years ago I had surgery and now I can't control my bladder", "bladder_bowel"),
        ("Last year my back was fine but now I have a fever", "infection"),
        ("My fever went away but I can't pee", "bladder_bowel"),
    ],
)
def test_current_episodes_are_flagged(detector, text, reason):
    finding = detector.detect_text(text)
    assert finding is not None and finding.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        "is numbness in the groin a bad sign?",
        "what if I lose bladder control?",
        "can sciatica cause foot drop?",
        "can sciatica cause foot drop",
        "What are the red flags for cauda equina?",
        "Should I go to the ER if I can't feel my groin?",
        "Could my sciatica make me lose bladder control?",
        "How do I know if I have foot drop?",
        "Will I lose bladder control if I don't have surgery?",
        "I'm afraid of losing control of my bladder",
    ],
)
def test_questions_about_a_sign_are_not_reports(detector, text):
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I can't feel my groin, is that bad?", "saddle_numbness"),
        ("Is it bad that I can't feel my groin?", "saddle_numbness"),
        ("Why can't I feel anything down there?", "saddle_numbness"),
        ("is it normal that my legs are both weak?", "bilateral_weakness"),
        ("Should I go to the ER? I lost control of my bladder", "bladder_bowel"),
        ("Is it bad if I can't pee since yesterday?", "bladder_bowel"),
    ],
)
def test_reports_phrased_as_questions_are_flagged(detector, text, reason):
    finding = detector.detect_text(text)
    assert finding is not None and finding.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        "the pain shoots down my left leg",
        "my right leg is numb after sitting",
        "my foot tingles when I sit too long",
        "I've had a numb patch on my shin for years, it hasn't changed",
        "I can't walk very far before my leg hurts",
        "Both my legs go numb when I stand in line for a while",
        "my butt goes numb on long drives",
        "I have a slipped disc and I'm 60",
        "hay fever and a stiff back",
        "I fell asleep on the sofa",
        "I'm 30 and slipped on the ice, just bruised",
        # Held-out set 6: "inyección" was corrected to "infección" as a typo.
        "pastillas para el dolor, naproxeno, y una inyección en la espalda en octubre",
        "me pusieron inyecciones en la columna",
        # Held-out set 7: sciatica's one-sided buttock pain, read as saddle numbness.
        "pain in right buttock and tingling down to the foot, especially after standing a long "
        "time at the bakery",
        "my left buttock goes numb and it tingles down my leg",
        # Held-out set 14: how a symptom comes back, not how it worsens; sent to the ER.
        "Pain in my right leg when I am out with my sheep, my right foot gets numb and tingly. "
        "Back is sore in the morning",
        # Round 17's list 11: near misses of its new phrasings. A box that falls onto no
        # back, a young person's slide off a bed or fall, a leak on a sneeze after
        # childbirth, and a wipe that does not hurt.
        "a box fell off the shelf at work today",
        "a box fell off the shelf onto my foot, back is sore too",
        "I'm 30, I was carrying boxes and fell onto my back, just bruised",
        "I'm 30 and slid off the side of the bed this morning, just stiff",
        "my bladder lets go a little when I sneeze since having kids",
        "I don't feel it when I wipe, the hemorrhoid is better",
        "I dont feel any pain when i wipe",
        # A seat that travels: a bus driver's numb bum after a route.
        "my bum goes numb on the bus",
        "my butt goes numb in the truck after a long haul",
        # Round 18's list 12: near misses of its new phrasings.
        "back sore after tackle drills at practice, no big hit, just sore all over",
        "my pee stopped burning once I finished the antibiotics",
        "my left leg is a little weaker than my right, always has been",
        "woke up with the bed wet because the dog spilled my water glass",
    ],
)
def test_not_red_flags_on_their_own(detector, text):
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("fell off a ladder and now my back is killing me", "trauma"),
        ("car accident yesterday and back pain", "trauma"),
        ("I'm 72 and slipped on the ice this morning", "trauma"),
        ("I have osteoporosis and tripped over the rug", "trauma"),
        ("I have a fever and my back hurts", "infection"),
        ("temperature of 38.6 and back pain", "infection"),
        ("tengo una infeccion en la columna", "infection"),
        ("numb groin and I can't pee", "cauda_equina"),
        ("my legs keep giving way", "bilateral_weakness"),
        ("I can't lift my foot", "foot_drop"),
        ("the weakness in my leg is getting worse fast", "progressive_weakness"),
        ("my right foot is getting numb, it started this morning", "progressive_weakness"),
        # Lost for a moment in round 9, when "gets numb" stopped counting (emergencies_fresh).
        (
            "my right leg got really weak today and now the left one is going too",
            "progressive_weakness",
        ),
        ("I suddenly can't walk", "cannot_walk"),
        ("I can't get an erection since my back went", "sexual_dysfunction"),
        ("i cnt controll my bladdr", "bladder_bowel"),
        ("I had breast cancer and now my back hurts", "cancer_history"),
        ("lost 20 lbs without trying", "weight_loss"),
        ("the pain wakes me up at night", "night_pain"),
        ("it's been 2 months and nothing helps", "no_improvement"),
    ],
)
def test_reason_codes(detector, text, reason):
    finding = detector.detect_text(text)
    assert finding is not None
    assert finding.reason == reason
    expected = EMERGENCY if reason in EMERGENCY_REASONS else URGENT
    assert finding.severity == expected


def test_not_improving_for_a_few_days_is_not_urgent(detector):
    assert detector.detect_text("it's been 2 days and it's not getting better") is None


def test_family_cancer_is_not_the_patients_history(detector):
    assert detector.detect_text("my mom had breast cancer") is None


def test_finding_locates_the_words_and_hides_them_from_repr(spinecare_nlp, detector):
    text = "Hello there. Since Monday I cant feel my groin at all."
    finding = detector.detect(spinecare_nlp(text))
    assert finding.reason == "saddle_numbness"
    assert finding.span_text == text[finding.start : finding.end] == "cant feel my groin"
    assert finding.explanation.startswith("Numbness in the groin")
    assert finding.span_text not in repr(finding)


def test_detect_all_orders_emergencies_first(spinecare_nlp, detector):
    doc = spinecare_nlp("I had prostate cancer and since yesterday I can't pee")
    findings = detector.detect_all(doc)
    assert [(f.severity, f.reason) for f in findings] == [
        (EMERGENCY, "bladder_bowel"),
        (URGENT, "cancer_history"),
    ]


def test_the_callers_doc_is_not_changed(spinecare_nlp, detector):
    doc = spinecare_nlp("I Lost control of my bladder")
    before = [(t.text, t.lemma_, t.norm_) for t in doc]
    assert detector.detect(doc) is not None
    assert [(t.text, t.lemma_, t.norm_) for t in doc] == before


def test_empty_text_has_no_finding(spinecare_nlp, detector):
    assert detector.detect(spinecare_nlp("")) is None
    assert detector.detect(spinecare_nlp("   \n ")) is None


def test_detector_never_logs_the_message(detector, caplog):
    with caplog.at_level(logging.DEBUG):
        detector.detect_text("I can't feel my groin")
    assert "groin" not in caplog.text


def test_a_bare_vocab_detector_reads_like_the_language_one(spinecare_nlp, detector):
    bare = RedFlagReader(spinecare_nlp.vocab)
    for line in phrases("emergency.txt")[:20] + phrases("benign.txt")[:20]:
        doc = spinecare_nlp(line)
        a, b = bare.detect(doc), detector.detect(doc)
        assert (a and a.reason) == (b and b.reason), line


def test_every_reason_has_a_severity_and_plain_words():
    book = load_rule_book()
    assert {code for code, r in book.reasons.items() if r.severity == EMERGENCY} == (
        EMERGENCY_REASONS
    )
    assert {code for code, r in book.reasons.items() if r.severity == URGENT} == URGENT_REASONS
    for reason in book.reasons.values():
        assert 20 < len(reason.explanation) < 200
        assert "_" not in reason.explanation
        assert book.explanation(reason.code) == reason.explanation
    with pytest.raises(KeyError):
        book.explanation("not_a_reason")


def _write_patterns(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "patterns.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def test_unknown_reason_in_a_rule_is_rejected(tmp_path):
    path = _write_patterns(tmp_path, lambda raw: raw["rules"][0].update(reason="nope"))
    with pytest.raises(ValueError, match="unknown reason"):
        load_rule_book(path)


def test_unquoted_yaml_boolean_is_rejected(tmp_path):
    path = _write_patterns(tmp_path, lambda raw: raw["rules"][0].update(not_followed_by=[True]))
    with pytest.raises(ValueError, match="quoted"):
        load_rule_book(path)


def test_unknown_macro_is_rejected(tmp_path, spinecare_nlp):
    path = _write_patterns(tmp_path, lambda raw: raw["rules"][0]["patterns"].append("<nope>"))
    with pytest.raises(ValueError, match="unknown macro"):
        RedFlagReader(spinecare_nlp.vocab, rules=load_rule_book(path))


@pytest.mark.parametrize(
    "text",
    [
        # Round 19's list 13: its two false alarms (a mug is no mugging; a fever long gone).
        "bathroom trips waking me up at night, I drink a big mug of chamomile before bed. back "
        "is just stiff in the mornings",
        "fever is long gone from when I was sick in October, now its just the regular back "
        "pain I always have",
        # The near misses of its new rules.
        "my truck flipped out of gear on the hill, back aches from the seat",
        "he flipped out on me when I said my back hurt",
        "I was running 5 miles a day before the sciatica",
        "fell off the wagon over thanksgiving, back pain is the same as ever",
        "the left one is starting to go grey, my sciatica is in the right leg",
        "poop came out fine this morning, I didnt know pain pills could constipate",
        # Round 19's development intakes: symptom and treatment answers that stopped the
        # intake with the emergency advice.
        "right leg pain down the side, foot feels weak pushing the clutch, sitting is the worst",
        "pain in back and both buttocks, more on left side, when I drive taxi long time the "
        "left leg become numb until knee",
        "She says her back aches when she stands at the stove and her legs feel weak and heavy "
        "when she walks into church from the parking lot, she has to stop and rest",
        "hydrocodone for a little while then they took me off it, and i use a heatin pad and "
        "epsom salt baths. the clinic wants me to do therapy but its 40 minutes away",
    ],
)
def test_round_19_false_alarms_and_near_misses_raise_no_alarm(detector, text):
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "both my legs gave out when I walked to the car this morning",
        "today my legs feel weak when I stand, both of them",
        "since yesterday I cant lift my foot at all, it slaps when I walk",
        "I have to wear pads now because I leak and dont feel it",
    ],
)
def test_round_19_the_new_exceptions_keep_these_emergencies(detector, text):
    finding = detector.detect_text(text)
    assert finding is not None and finding.severity == EMERGENCY


def test_a_gap_wider_than_the_pattern_language_allows_is_rejected(tmp_path, spinecare_nlp):
    """A "~13" once read as a word nobody types, and its pattern silently never matched."""
    path = _write_patterns(
        tmp_path, lambda raw: raw["rules"][0]["patterns"].append("leak ~13 bladder")
    )
    with pytest.raises(ValueError, match="~1 to ~12"):
        RedFlagReader(spinecare_nlp.vocab, rules=load_rule_book(path))


def test_one_assessment_answers_both_questions_the_nlu_asks(spinecare_nlp, detector):
    """`assess` (one matcher run) says what `detect` and `mentions_sign` say apart."""
    lines = phrases("emergency.txt") + phrases("benign.txt") + phrases("urgent.txt")
    lines += ["I don't have any numbness in my groin", "had a fall ten years ago", ""]
    named_but_ruled_out = 0
    for line in lines:
        doc = spinecare_nlp(line)
        finding, named = detector.assess(doc)
        assert finding == detector.detect(doc), line
        assert named == detector.mentions_sign(doc), line
        named_but_ruled_out += finding is None and named
    assert named_but_ruled_out > 0  # the second answer is not just "a finding exists"


# Round 14's list 8: held-out emergencies the rules missed (or only screened as weaker
# signs), now used for tuning; kept word for word so each is reproduced exactly.
ROUND_14_LIST_8_EMERGENCIES = [
    "rolled the ATV on the hill this evening it came down on me, back hurts bad but I can "
    "walk sorta. wife says I need to go in",
    "Mi espalda me duele mucho y desde ayer no siento nada cuando voy al baño, no siento "
    "cuando sale la orina. what should I do",
    "Mein Rücken tut so weh and since this morning I can't hold my water at all, it just runs "
    "out. Ich weiß nicht was ich tun soll",
    "snowmobile flipped on a jump out on the lake, hit hard on my back, now pain in low back "
    "and my left leg feels weird",
    "logger here, tree kicked back and hit me across the lower back an hour ago. hurts bad, "
    "feet tingling",
    "my pecker went numb and so did the inside of my legs since this morning, back pain real "
    "bad. ain't never had that before",
    "my ass is numb, like the part you sit on, both cheeks and in between, and my back is "
    "killing me. just started this morning",
    "Mi papá está aquí conmigo, tiene 75 años y se cayó en el corral hoy, le duele mucho la "
    "espalda and he's on steroids for his arthritis. he keeps saying estoy bien",
    "The sciatica went into both legs today and now both are weak, I have to hold the wall to "
    "walk to the bathroom",
    "Ich hab starke Rückenschmerzen and I have to strain very hard to pass water, only a "
    "little comes out, since yesterday",
    "Pennsylvania Dutch here, mei Buckel hurts so bad and since this morning I'm numb in the "
    "sitting area and can't feel to pass water right",
    "car slid into the ditch and hit the fence post on the way home, my lower back is hurting "
    "pretty bad now and there's tingling in both legs",
    "this is probably nothing but I keep going to pee and only a little comes out and I still "
    "feel full, plus my lower back and both legs hurt since yesterday",
]


def test_round_14_list_8_insurance_dragging_its_feet_is_not_foot_drop(detector):
    # Typed as the answer to "when was your MRI taken?"; it sent a benign patient to the ER.
    text = (
        "It was taken... let me think. My doctor ordered it after I saw him in the spring, but "
        "then insurance dragged their feet forever so I finally got it done in July"
    )
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my foot drags",
        "I'm dragging my left foot",
        "dragging my feet when I walk since this morning",
        "since yesterday I've been dragging both feet and tripping",
        "My partner says I'm dragging my right foot",
    ],
)
def test_a_dragging_foot_is_still_foot_drop(detector, text):
    finding = detector.detect_text(text)
    assert finding is not None and finding.reason == "foot_drop"


# Round 15's list 9 (and held-out set 28's snowmobile): held-out emergencies the rules
# missed (or only screened), now used for tuning; kept word for word.
ROUND_15_LIST_9_EMERGENCIES = [
    "the toilet seat feels like its not there when i sit, numb bum and groin, back pain "
    "got worse today",
    "my legs are getting weaker by the hour, this morning i could walk fine now i need to "
    "hold the wall. lower back pain",
    "sorry tmi but i cant feel anything when im with my wife now, nothing down there at "
    "all, started with this back flare a couple days ago",
    "sakit ng likod ko and i cant go number 1 since last night, puno na ako pero walang "
    "lumalabas, please what do i do",
    "my wife is sitting right here, she says her bottom is numb when she sits and she "
    "cant feel herself going to the bathroom, her back has been bad all week",
    "i wiped after going to the bathroom and cant feel it at all, like its somebody elses "
    "body, my sciatica got way worse yesterday",
    "i cant get my pee started, i sit there forever and have to bear down, back pain "
    "going down both legs, started 2 days ago",
    "im 67 and on steroids for my lungs for years, dropped down hard into a chair and now "
    "a sharp back pain that wont stop",
    "wiped out on my snowmobile going full speed last night and now my back is wrecked",
]


# Round 16's list 10 (and held-out set 33's buckling leg): the same, German, Canadian French
# and Spanish words among them.
ROUND_16_LIST_10_EMERGENCIES = [
    "Since last night my right leg keeps buckling and it gets worse every few hours",
    "no siento nada alla abajo, numb entre las piernas since this morning y el dolor de "
    "espalda is bad",
    "toilet seat feels weird like im not sitting on anything, numb in the saddle area, "
    "sciatica flared this week",
    "Mom is 88 and uses a walker, she tipped over in the bathroom an hour ago and now her "
    "back hurts so bad she screams when we move her",
    "ich kann nicht pinkeln since this morning, back and leg pain, bladder hurts, help",
    "tabarnak mon dos. et je peux pas pisser depuis hier soir, feels like I need to go but "
    "nothing comes",
    "bladder dribbling all day without me knowing it, started this morning, sciatica in both legs",
    "I'm 70 with osteoporosis and slid off the bed onto the floor this morning, now sharp "
    "back pain I can barely move",
]


# Round 17's list 11: a bladder that "let go", a fall off the side of a bed at 91, patois
# ("cyan feel nuttin"), "#2", a box falling onto the back and "dont feel anything when i wipe".
ROUND_17_LIST_11_EMERGENCIES = [
    "was driving my bus route and my bladder just let go, never felt it coming. back been bad "
    "since monday",
    "I am 91 and live at Rosewood Manor. I slid off the side of the bed onto the floor last "
    "night. My back hurts terribly now. The aide told me to message you.",
    "mi back hurtin bad bad and ah cyan feel nuttin round mi bottom since dis mornin",
    "cant tell if i need to go #2 or not and i already had an accident, and my back is bad. "
    "started this weekend",
    "at the plant a box fell off the top rack right onto my back, pain is bad now and my legs "
    "feel funny",
    "ya Allah the pain. lower back, and since the afternoon i dont feel anything when i wipe",
]


# Round 18's list 12: Spanish "la parte de abajo", wet without knowing, a football spear,
# "cant make my water", a bed found wet, a pee not felt, a stream that stopped, the other leg
# going weak, a bladder full with nothing coming, a wipe not felt, a slide off a wheelchair.
ROUND_18_LIST_12_EMERGENCIES = [
    "no siento nada en la parte de abajo, entre las piernas, y la espalda me duele mucho "
    "desde ayer. my wife says ask you first",
    "I didnt realize I was wet until I stood up. no urge no nothing. back pain and sciatica "
    "both legs for 3 days",
    "got speared in football practice today right in the lower back, hurts alot and my legs "
    "kinda went numb for a sec and still feel off",
    "Ich hab Kreuzweh (thats how grandma says back pain) real bad and since supper I cant "
    "make my water at all",
    "Woke up with the bed wet, I'm 45 and never had that, back has been out all week. husband"
    " thinks its just a fluke",
    "peeing feels different, like I cant feel it coming out, I have to look to see if I'm "
    "going. plus numb on both sides of my private area. back pain started friday",
    "my pee stopped. ive been sitting on the toilet for an hour. back and legs are killing "
    "me. help",
    "My sciatica has been going on a while, but since this morning my right leg is much "
    "weaker, the knee gave out twice and now the left leg is going weak too",
    "bladder feels full and tight but when i try nothing or just a little comes, back pain "
    "since lifting at the warehouse monday, this is day 2 of it",
    "couldn't feel the wipe after going today, the whole area is numb. also my back is in "
    "spasms. i just want to know if i can wait till my appointment tuesday",
    "grandma is 95, she slid off her wheelchair onto the floor this afternoon, now says her "
    "back hurts terrible, she has bad osteoporosis, aide said maybe just bruised",
]

# Round 19's list 13: the six emergencies the rules missed when it was new.
ROUND_19_LIST_13_EMERGENCIES = [
    "snowmobile flipped on me out on the lake this afternoon, my back is real sore and my "
    "legs feel funny, my buddy says just sleep it off",
    'typing for my papa, he says que no siente nada "alla abajo" since yesterday and he wet '
    "himself at misa and didnt notice, his back has been hurting for weeks",
    "Had my lumbar fusion 9 days ago, now running 102 and the incision is red and hot and my "
    "back pain is way worse than right after surgery",
    "my right leg was a little weak last week but today its way worse, like in the last few "
    "hours i cant push off with it at all and now the left one is starting to go too",
    "my back is real bad since i fell off the hay wagon yesterday, about 6 ft straight down "
    "onto the concrete, landed flat on my back",
    "poop came out while i was standing at my station at work and i didnt even know til my "
    "coworker told me, my back has been hurting bad for days. so humiliating",
]

# Round 20's list 14: the seven emergencies the rules missed when it was new.
ROUND_20_LIST_14_EMERGENCIES = [
    "writing for my mom shes 74 and been on prednisone for years for her lungs. she bumped "
    "down 2 steps on her bottom yesterday and now she cant get out of bed from the back pain",
    "disculpe my english, tengo dolor de espalda muy fuerte and since last night I cannot make "
    "pipi, I feel full full but nothing come out",
    "I havent felt the urge to pee all day and just realized I havent gone since last night. "
    "Back is real bad",
    "im 60 with pretty bad sciatica and just now i pooped without any warning at all, no "
    "control. what do i do",
    "my butt cheeks and the area between them feel dead numb, both sides, started today along "
    "with my back pain",
    "Rancher out past Ely. Hurt my back lifting a calf and now both legs feel heavy like "
    "concrete and I keep stumbling. Its a 3 hour drive to town, can it wait?",
    "since the back pain got worse i dont feel anything when my husband touches me down "
    "there, and peeing feels weird like i cant tell its happening",
]


@pytest.mark.parametrize(
    "text",
    [
        # The near misses of round 20's new rules: walking down stairs, painkillers'
        # constipation, a stomach bug, legs heavy on a long walk.
        "my 70 year old dad went down the stairs to get the mail and his back hurts",
        "I havent had the urge to poop since I started the oxycodone, back still sore",
        "I feel full but nothing comes out when I try to poop, back aches",
        "both legs feel heavy when I walk far and I trip sometimes",
        "i pooped without warning, i have a stomach bug and my back hurts",
        # Round 20's development intakes: numb after hours at the wheel, sent to the ER.
        "pain from waist to left leg, cab driving 12 hours leg become numb and burning",
        # The resolved cues in their own forms, after set 44's "clearing snow", still end
        # the episode.
        "had a fever last week but it cleared up, back is sore",
        "had chills last month, they cleared up",
    ],
)
def test_round_20_near_misses_raise_no_alarm(detector, text):
    finding = detector.detect_text(text)
    assert finding is None or finding.severity != EMERGENCY, finding


@pytest.mark.parametrize(
    "text",
    [
        # Held-out set 49: a surname typo-corrected to the exact word "chill" sent the
        # patient to the emergency room at the name question.
        "Brendan Cahill",
        "brendan cahill",
        # Round 21's list 15: painkillers' constipation named in the next clause, and a
        # cold's fever "gone since"; a lifting limit is no foot drop.
        "my lower back hurts worse when I strain to have a bowel movement, been constipated "
        "from the pain pills, otherwise normal",
        "had a fever of 100 three weeks ago from a cold, gone since, back sore from all the "
        "coughing",
        "I can't pick up my kids because of my back",
    ],
)
def test_round_21_near_misses_raise_no_alarm(detector, text):
    finding = detector.detect_text(text)
    assert finding is None or finding.severity != EMERGENCY, finding


@pytest.mark.parametrize(
    "text",
    [
        # Held-out set 44: "clearing" read as the resolved cue "cleared up".
        "I fell off the roof clearing snow and now my back hurts real bad",
        # Found beside it: "passing", "fixing" and "resolving" read as endings too.
        "since this morning I cant feel it when im passing urine and my back hurts",
        "I fell off a ladder while fixing the gutter, my back is killing me",
        "I fell off the roof while resolving a leak and now my back hurts",
    ],
)
def test_words_that_only_look_like_an_ending_keep_the_emergency(detector, text):
    finding = detector.detect_text(text)
    assert finding is not None and finding.severity == EMERGENCY


@pytest.mark.parametrize("lower", [False, True], ids=["as typed", "lower-cased like SpacyNLP"])
@pytest.mark.parametrize(
    "text",
    ROUND_14_LIST_8_EMERGENCIES
    + ROUND_15_LIST_9_EMERGENCIES
    + ROUND_16_LIST_10_EMERGENCIES
    + ROUND_17_LIST_11_EMERGENCIES
    + ROUND_18_LIST_12_EMERGENCIES
    + ROUND_19_LIST_13_EMERGENCIES
    + ROUND_20_LIST_14_EMERGENCIES,
)
def test_held_out_list_emergencies_once_missed_are_caught(detector, text, lower):
    finding = detector.detect_text(text.lower() if lower else text)
    assert finding is not None and finding.severity == EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        # Round 15's benign list 9: an old crash's whiplash, sent to the ER.
        "I was in a fender bender 5 years ago, got whiplash and some low back pain that still "
        "flares when im stressed",
        "I get wiped out on my truck route, back sore",
        "im wiped out after driving my truck all day, back aches",
        # Noticed in round 14: reading about an accident is not having one.
        "I flipped through the pamphlet about the truck accident, my back aches",
    ],
)
def test_round_15_past_crash_tiredness_and_reading_are_not_trauma(detector, text):
    assert detector.detect_text(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # The endings the new fall and clause words must not turn into alarms.
        "the fever was over in a day, back sore",
        "no weakness, numbness or tingling in my groin, just sciatica in one leg",
        "I slid the chair over to the desk and my back twinged",
        "my leg buckles sometimes and it gets worse every few hours of sitting",
    ],
)
def test_round_16_new_words_raise_no_alarm_of_their_own(detector, text):
    assert detector.detect_text(text) is None


def test_round_15_a_crash_dated_yesterday_still_counts(detector):
    finding = detector.detect_text(
        "I was in a fender bender yesterday, got whiplash and my back hurts"
    )
    assert finding is not None and finding.reason == "trauma"


@pytest.mark.parametrize(
    "text",
    ["tengo dormida la parte de abajo, entre las piernas no siento nada",
     "me duele la espalda y entre las piernas no siento nada desde ayer",
     "tengo adormecida la parte de abajo desde anoche"],
)  # fmt: skip
def test_round_14_set_25_spanish_saddle_numbness(detector, text):
    """Held-out set 25: "tengo dormida la parte de abajo, entre las piernas no siento nada"
    got no advice."""
    finding = detector.detect_text(text)
    assert finding is not None and finding.is_emergency, text


@pytest.mark.parametrize(
    "text",
    ["been doing PT for six weeks and zero change in my sciatica",
     "PT for 2 months and no change at all",
     "the PT for 6 weeks didn't make any difference"],
)  # fmt: skip
def test_weeks_of_care_with_no_change_is_urgent(detector, text):
    """Held-out set 29: "zero change" after six weeks of PT was read as a PT question."""
    finding = detector.detect_text(text)
    assert finding is not None and finding.reason == "no_improvement"


def test_no_change_in_something_else_is_not_a_failed_treatment(detector):
    assert (
        detector.detect_text("I've had sciatica for a year, no change in my bathroom habits")
        is None
    )


@pytest.mark.parametrize(
    "text",
    [
        # Typos of the rules' other words are still read ("chils" for "chills").
        "got the chils and my back hurts",
        # Round 21's list 15 and held-out sets 47 and 48, missed when new.
        "my son 16 got throwed off a bull at the rodeo tonight, says his back hurts real bad "
        "and his legs are tingly both sides",
        "no siento nada cuando me limpio after using the bathroom y la espalda me duele mucho",
        "now I'm burning up and shaking and my back is throbbing",
        "toes cant lift anymore since this morning, bad sciatica",
        "got hit by a steer in the feedlot, my back hurts bad",
        "fell out of the hay loft yesterday and my back hurts awful bad",
        "Since last night I cannot feel the area where I sit",
        "now I can't pick my foot up and it's getting worse by the hour",
    ],
)
def test_round_21_emergencies_are_emergencies(detector, text):
    finding = detector.detect_text(text)
    assert finding is not None and finding.severity == EMERGENCY, text


@pytest.mark.parametrize(
    "text",
    [
        # Round 22's list 16, missed when new (measured with model 9791e7f162ee).
        "mi espalda me duele mucho and since this morning i cant feel when i have to go pipi, "
        "it just comes out",
        "I have lupus and been on prednisone for years. Bent over to pick up a laundry basket "
        "and felt a pop, now the middle of my back is in agony and won't let up",
        "My doctor has had me on steroid pills for asthma for 10 yrs. Tripped on the porch "
        "step today, not even a big fall, and my back hurts so bad I can't get up off the couch",
        "got jumped last night, they kicked me in the back a bunch, now it hurts real bad and "
        "my legs feel weird",
        "Went down hard on my tailbone at the skating rink, I'm 72 and have thin bones, now "
        "cant sit or stand without terrible pain",
        # A sign asked of oneself and answered yes is still reported.
        "fever? yes, 102 and my back is killing me",
        # A foot that began to drag today is reported however tired the person is.
        "my foot started dragging this morning and I'm tired",
        "tuve un choque de carro ayer y me duele la espalda",
        # Held-out sets 51 and 53, missed when measured (model 2953e1ae1c44): the saddle
        # as the seat.
        "the part where you sit on a bike seat went numb today, back pain too",
        "my whole seat area is numb like I been sitting on ice",
        # Held-out set 55.
        "I slipped on ice on the stoop and landed on my back, now I can't move right",
        "nothing helps and now my groin is numb since this morning",
        # Held-out set 57, missed when measured.
        "went to the bathroom on myself and didnt even feel it, low back pain real bad",
        "I'm numb right where you sit in a saddle, down there, started today",
    ],
)
def test_round_22_emergencies_are_emergencies(detector, text):
    finding = detector.detect_text(text)
    assert finding is not None and finding.severity == EMERGENCY, text


@pytest.mark.parametrize(
    "text",
    [
        # Round 22's list 16: signs asked of oneself and answered no at once.
        "chills? no. fever? no. just an ache in my low back and left hip when i walk up the hill",
        # A pop felt by someone with no weakened bones is no fracture sign.
        "felt a pop in my back lifting the cooler and it's been tight since",
        # Round 22's development intakes and held-out set 48: a foot that drags only when
        # tired, for years; Portuguese "choque", a shock of pain.
        "Pain in his low back and right hip, and he says his right foot drags a little at the "
        "end of a long day. Honestly it's been like that for years, his old doctor knew about it.",
        "back pain and my left leg go numb on the outside of the calf, and my foot slaps a "
        "little when I'm real tired. Had that foot thing since I hurt my back on the boat",
        "Stiff and achy in the lower back, and a pain runs down my left leg. My left foot drags "
        "a little when I'm tired at the end of the day, been that way a long while.",
        "dor forte nas costas e na perna direita, parece choque quando tusso",
        # One buttock numb from sitting is ordinary sciatica.
        "my left butt cheek goes numb when I sit too long",
        # Held-out set 55, the answer to the safety screen, sent to the emergency room.
        "No. No bathroom problems, nothing numb down there. Legs are fine once I sit a minute.",
        # Found beside set 57's misses: one buttock on a seat, a sneeze's leak.
        "my butt goes numb where I sit on the tractor after a long day",
        "I wet myself a little when I sneeze, and my lower back is stiff",
    ],
)
def test_round_22_near_misses_raise_no_alarm(detector, text):
    finding = detector.detect_text(text)
    assert finding is None or finding.severity != EMERGENCY, finding
