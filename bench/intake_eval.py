"""`make eval`, whole-stack part: scripted patients finishing the intake, and first questions.

Starts its own action server and Rasa server (a database of its own), then over REST:

- replays every held-out persona of tests/eval/patients.yml (spinecare.patients): the
  share that finish the MRI review request, and the share whose stored request holds
  every field as they meant it (read back through `spinecare requests export`);
- sends every held-out first question of tests/eval/first_questions.yml in a fresh
  conversation: the share that get a substantive clinic answer (not a refusal), and
  the share answered with the wrong topic.

Neither file is ever trained on. Results and every miss go to results/intake_eval.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from spinecare import devserver, settings
from spinecare.patients import field_mismatches, load_patients, question_texts, run_patient
from spinecare.scenarios import RestConversation
from spinecare.training import train_if_needed

ROOT = settings.PROJECT_ROOT
PATIENTS = ROOT / "tests" / "eval" / "patients.yml"
FIRST_QUESTIONS = ROOT / "tests" / "eval" / "first_questions.yml"
OUT = ROOT / "results" / "intake_eval.json"
EVAL = ROOT / "tests" / "eval"
# Every set is a folder of EVAL with first questions, patients or both ("first" is EVAL itself);
# the fresh ones, each written before a round of tuning, in the order they were written.
SETS = (
    "first",
    *sorted(
        {path.parent.name for name in ("first_questions", "patients")
         for path in EVAL.glob(f"*/{name}.yml")}
    ),
)  # fmt: skip
FRESH_SETS = tuple(sorted((s for s in SETS if s.startswith("fresh")), key=lambda s: (len(s), s)))
REFUSALS = ("Could you ask that another way", "not sure I understood", "outside what I can help")
# The first held-out set was labelled before the topics had their names; these are the
# topics whose answer addresses what each of its labels asks about.
TOPIC_ALIASES = {
    "open_surgery_concerns": {"open_surgery"},
    "incision": {"incision_size"},
    "outpatient": {"recovery", "minimally_invasive", "incision_size"},
    "risks": {"minimally_invasive", "open_surgery"},
    "who_reviews": {"what_is_it", "candidate"},
    "need_an_mri": {"which_mri"},
}


def stored_requests(database_url: str) -> dict[str, dict]:
    """Every stored request by reference, read through the consultants' own CLI."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("spinecare")), "requests", "export",
         "--format", "json", "--actor", "eval"],
        env={**os.environ, "SPINECARE_DATABASE_URL": database_url},
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return {row["reference"]: row for row in json.loads(result.stdout)}


def clinic_answers() -> dict[str, str]:
    """Each clinic answer's text, mapped to its topic ("ask_surgery/recovery")."""
    responses = yaml.safe_load((ROOT / "data" / "responses" / "clinic_guidance.yml").read_text())
    return {
        " ".join(variant["text"].split()): name.removeprefix("utter_")
        for name, variants in responses["responses"].items()
        for variant in variants
    }


def topic_of(text: str, answers: dict[str, str]) -> str | None:
    flat = " ".join(text.split())
    return next((topic for answer, topic in answers.items() if answer in flat), None)


def evaluate_patients(
    rasa_url: str, database_url: str, workers: int, path: Path = PATIENTS
) -> dict[str, Any]:
    patients = load_patients(path)
    questions = question_texts(yaml.safe_load((ROOT / "domain.yml").read_text()))
    with httpx.Client(timeout=120) as client:

        def replay(patient):
            sender = f"eval-{path.parent.name}-{patient.id}"
            conversation = RestConversation(rasa_url, client, sender=sender)
            return run_patient(patient, conversation.say, questions)

        with ThreadPoolExecutor(workers) as pool:
            outcomes = list(pool.map(replay, patients))
    rows = stored_requests(database_url)
    for patient, outcome in zip(patients, outcomes, strict=True):
        if outcome.completed:
            row = rows.get(outcome.reference or "")
            outcome.field_mismatches = (
                field_mismatches(row, patient.expect) if row else ["request not found"]
            )
    completed = sum(o.completed for o in outcomes)
    as_meant = sum(o.as_meant for o in outcomes)
    return {
        "patients": len(outcomes),
        "intake_completion_rate": round(completed / len(outcomes), 4),
        "stored_as_meant_rate": round(as_meant / len(outcomes), 4),
        "safety_screens_shown": sum(o.screens for o in outcomes),
        "misses": [
            {
                "patient": o.patient,
                "failure": o.failure,
                "field_mismatches": o.field_mismatches,
                "last_turns": o.transcript[-3:],
            }
            for o in outcomes
            if not o.as_meant
        ],
    }


def evaluate_first_questions(
    rasa_url: str, workers: int, path: Path = FIRST_QUESTIONS
) -> dict[str, Any]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers = clinic_answers()
    with httpx.Client(timeout=120) as client:

        def ask(item):
            reply = RestConversation(rasa_url, client).say(item["q"])
            return item, reply.text, topic_of(reply.text, answers)

        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(ask, items))
    answered, wrong, misses = 0, 0, []
    for item, text, topic in results:
        if topic is None:
            refused = any(phrase in text for phrase in REFUSALS)
            misses.append({"q": item["q"], "outcome": "refused" if refused else "no clinic answer"})
            continue
        answered += 1
        intent, _, name = topic.partition("/")
        about = item["about"] if isinstance(item["about"], list) else [item["about"]]
        right = {"overview", *about, *(t for a in about for t in TOPIC_ALIASES.get(a, ()))}
        right_topic = "general" in about or name in right
        if intent != item["intent"] or not right_topic:
            wrong += 1
            misses.append({"q": item["q"], "outcome": f"wrong topic {topic}", "meant": about})
    return {
        "first_questions": len(results),
        "first_question_answer_rate": round(answered / len(results), 4),
        "first_question_wrong_topic_rate": round(wrong / len(results), 4),
        "first_question_misses": misses,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="conversations at once")
    parser.add_argument(
        "--set",
        nargs="+",
        choices=SETS,
        default=[FRESH_SETS[-1]],
        help="which held-out sets (never trained on), measured on one server: first, second, "
        "third and final were used to find failures while tuning; the fresh sets are only "
        "measured (default: the newest)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            database_url=f"sqlite:///{tmp}/eval.db",
            # Conversations of their own: a rerun must not carry on the last run's.
            tracker_store_url=f"sqlite:///{tmp}/conversations.db",
        )
        with open(f"{tmp}/servers.log", "w") as log:
            stack = devserver.start(
                conf, train_if_needed(), webchat=False, console=False, dispatcher=False, log=log
            )
            try:
                reports = {
                    name: evaluate_set(conf, args.workers, EVAL if name == "first" else EVAL / name)
                    for name in args.set
                }
            finally:
                stack.stop()
    for name, report in reports.items():
        out = OUT.with_name(f"intake_eval_{name}.json")
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        summary = {k: v for k, v in report.items() if not isinstance(v, list)}
        print(name, json.dumps(summary, indent=2))
        print(f"Misses in {out}")
    return reports


def evaluate_set(conf: settings.Settings, workers: int, folder: Path) -> dict[str, Any]:
    """The scripted patients (when the set has them) and the first questions of one set."""
    report = {}
    if (folder / "patients.yml").exists():
        report = evaluate_patients(
            conf.rasa_url, conf.database_url, workers, folder / "patients.yml"
        )
    if (folder / "first_questions.yml").exists():
        report.update(
            evaluate_first_questions(conf.rasa_url, workers, folder / "first_questions.yml")
        )
    return report


if __name__ == "__main__":
    main()
