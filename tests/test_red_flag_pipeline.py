"""The red-flag numbers of the whole trained NLU pipeline, as a patient meets it.

Every emergency phrasing in tests/data/red_flags/emergency.txt must get the
call-911-now advice (recall 100%), and at most 2% of the benign near-misses may get it.
"""

from __future__ import annotations

import pytest

from bench.nlu_eval import _lines, red_flag_outcomes
from spinecare.training import train_if_needed

pytestmark = pytest.mark.integration  # the trained model


@pytest.fixture(scope="module")
def model():
    return train_if_needed()


def test_every_emergency_phrasing_gets_emergency_advice(model):
    phrasings = _lines("emergency.txt")
    assert len(phrasings) >= 40
    outcomes = red_flag_outcomes(model, phrasings)
    missed = [
        text for text, outcome in zip(phrasings, outcomes, strict=True) if outcome != "emergency"
    ]
    print(f"red-flag recall: {1 - len(missed) / len(phrasings):.3f} on {len(phrasings)}")
    assert missed == []


def test_benign_near_misses_rarely_get_emergency_advice(model):
    phrasings = _lines("benign.txt")
    assert len(phrasings) >= 40
    outcomes = red_flag_outcomes(model, phrasings)
    alarms = [
        text for text, outcome in zip(phrasings, outcomes, strict=True) if outcome == "emergency"
    ]
    rate = len(alarms) / len(phrasings)
    print(f"false alarms: {rate:.3f} on {len(phrasings)}")
    assert rate <= 0.02, alarms
