"""Scripted patients, in their own words, finish the MRI review request through the whole stack.

The held-out personas of tests/eval/patients.yml (written before tuning, never trained
on) answer whatever the assistant asks over the real REST channel; their requests are
then read back through the consultants' CLI. The issue's target is that at least 95%
finish and have every field stored as they meant it; `make eval` reports the same
numbers with every miss.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from spinecare import settings
from spinecare.patients import field_mismatches, load_patients, question_texts, run_patient
from spinecare.scenarios import RestConversation
from tests.support.intake import export

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

PATIENTS = settings.PROJECT_ROOT / "tests" / "eval" / "patients.yml"
TARGET = 0.95


def test_at_least_95_percent_of_patients_finish_with_what_they_meant(rasa_url, http, database_url):
    patients = load_patients(PATIENTS)
    assert len(patients) >= 30
    questions = question_texts(yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text()))

    def replay(patient):
        conversation = RestConversation(rasa_url, http, sender=f"patient-{patient.id}")
        return run_patient(patient, conversation.say, questions)

    with ThreadPoolExecutor(3) as pool:
        outcomes = list(pool.map(replay, patients))
    rows = {row["reference"]: row for row in export(database_url)}
    misses = []
    for patient, outcome in zip(patients, outcomes, strict=True):
        row = rows.get(outcome.reference or "")
        problems = field_mismatches(row, patient.expect) if row else [outcome.failure]
        if problems:
            misses.append((patient.id, problems, outcome.transcript[-2:]))
    as_meant = 1 - len(misses) / len(patients)
    print(f"stored as meant: {as_meant:.3f} of {len(patients)}")
    assert as_meant >= TARGET, "\n".join(str(miss) for miss in misses)
