"""`rasa data validate` stays clean: no errors and no warnings we have not explained.

Rasa 3.6 exits 0 on warnings even with --fail-on-warnings, so the test reads its output.
Its one known false positive is "utterance not used in any story or rule" for responses
that are spoken by forms (`utter_ask_<slot>`), by custom actions (named in actions/),
by `action_answer_question` (retrieval answers) or by Rasa's own default actions.
Each such warning is accepted only when that use really exists. The other is
"duplicated intents ... across multiple domain files" naming exactly the retrieval
intents: Rasa merges them from the NLU data into the domain, while its story reader
needs them declared in domain.yml too, so any project with retrieval rules gets it.
The third is "intent ... not found in the NLU training data" for the intents that an
NLU component of ours sets and nobody types: accepted only for the possible-red-flag
intent of the RedFlagDetector configured in config.yml.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from spinecare import settings

ROOT = settings.PROJECT_ROOT
RASA = Path(sys.executable).with_name("rasa")
UNUSED = re.compile(r"The utterance '(?P<name>[^']+)' is not used in any story or rule")
NOT_IN_NLU = re.compile(
    r"The intent '(?P<name>[^']+)' is listed in the domain file, but is not found"
)
DUPLICATED = re.compile(r"duplicated intents have been found across multiple domain files: (.+)$")
PROBLEM = re.compile(r"(UserWarning|WARNING|ERROR|Traceback)")
RASA_DEFAULT_ACTION_RESPONSES = {"utter_restart"}  # spoken by Rasa's action_restart


def _explained(name: str, domain: dict, actions_source: str) -> bool:
    form_slots = {
        slot for form in (domain.get("forms") or {}).values() for slot in form["required_slots"]
    }
    retrieval_intents = {
        intent
        for intent in domain["intents"]
        if isinstance(intent, str) and intent.startswith("ask_")
    } - {"ask_medical_advice", "ask_privacy"}
    return (
        name in RASA_DEFAULT_ACTION_RESPONSES
        or name.removeprefix("utter_ask_") in form_slots
        or (
            name.removeprefix("utter_") in retrieval_intents
            and "action_answer_question" in actions_source
        )
        or f'"{name}"' in actions_source
    )


def _component_intents() -> set[str]:
    """Intents only our NLU components set: the RedFlagDetector's possible red flag."""
    from addons.red_flag_detector import POSSIBLE_INTENT_KEY, RedFlagDetector

    config = yaml.safe_load((ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "addons.red_flag_detector.RedFlagDetector":
            return {{**RedFlagDetector.get_default_config(), **component}[POSSIBLE_INTENT_KEY]}
    return set()


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [str(RASA), "data", "validate", "--config", "config.yml", "--domain", "domain.yml",
         "--data", "data", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        # Rasa's own tracker store module warns about SQLAlchemy 2.0; not about our data.
        env={**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    actions_source = "\n".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    problems = []
    retrieval_intents = {
        i for i in domain["intents"] if isinstance(i, str) and i.startswith("ask_")
    } - {"ask_medical_advice", "ask_privacy"}
    component_intents = _component_intents()
    for line in output.splitlines():
        unused = UNUSED.search(line)
        duplicated = DUPLICATED.search(line)
        not_in_nlu = NOT_IN_NLU.search(line)
        if not_in_nlu:
            if not_in_nlu["name"] not in component_intents:
                problems.append(line)
        elif duplicated:
            names = {n.strip() for n in duplicated.group(1).split(",")}
            if names != retrieval_intents:
                problems.append(line)
        elif unused:
            if not _explained(unused["name"], domain, actions_source):
                problems.append(line)
        elif PROBLEM.search(line) and "tensorflow" not in line.lower():
            problems.append(line)
    assert not problems, "\n".join(problems)
    assert "No story structure conflicts found" in output
