"""`make eval`: NLU quality on the held-out files that are never trained on.

Runs `rasa test nlu` with the current model on tests/nlu/held_out.yml (reports in
results/nlu/) and on each later file written before a round of tuning (FRESH_FILES;
reports in results/nlu_<name>/), each writing intent and
response-selection reports and the confusion-matrix picture, then prints the numbers
the README quotes and writes them to results/nlu/summary.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from spinecare import logsafety, names, settings
from spinecare.training import train_if_needed

HELD_OUT = settings.PROJECT_ROOT / "tests" / "nlu" / "held_out.yml"
OUT = settings.PROJECT_ROOT / "results" / "nlu"
# Held-out files written later, each before a round of tuning: held_out_<name>.yml by name.
FRESH_FILES = {
    path.stem.removeprefix("held_out_"): path
    for path in sorted(
        (settings.PROJECT_ROOT / "tests" / "nlu").glob("held_out_fresh*.yml"),
        key=lambda path: (len(path.name), path.name),
    )
}


# The RedFlagDetector turns a classifier alarm it cannot confirm into this intent, which no
# one types: scored as what the classifier said, the emergency intent.
SCORED_AS = {names.REPORT_POSSIBLE_RED_FLAG: names.REPORT_RED_FLAG}


def run_rasa_test(model: Path, out: Path = OUT, held_out: Path = HELD_OUT) -> dict:
    """`rasa test nlu` on a held-out file, then intent scores from its predictions."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(Path(sys.executable).with_name("rasa")), "test", "nlu", "--model", str(model),
         "--nlu", str(held_out), "--out", str(out), "--successes"],
        cwd=settings.PROJECT_ROOT, check=True,
    )  # fmt: skip
    predictions = [
        (item["intent"], SCORED_AS.get(item["intent_prediction"]["name"],
                                       item["intent_prediction"]["name"]))
        for name in ("intent_successes.json", "intent_errors.json")
        if (out / name).exists()
        for item in json.loads((out / name).read_text())
    ]  # fmt: skip
    truth = [t for t, _ in predictions]
    guess = [g for _, g in predictions]
    labels = sorted(set(truth))
    _, _, f1, _ = precision_recall_fscore_support(
        truth, guess, labels=labels, average=None, zero_division=0
    )
    summary = {
        "held_out_examples": len(predictions),
        "intent_macro_f1": round(float(sum(f1) / len(f1)), 4),
        "intent_accuracy": round(float(accuracy_score(truth, guess)), 4),
        "weakest_intents": sorted(
            ((label, round(float(score), 3)) for label, score in zip(labels, f1, strict=True)),
            key=lambda item: item[1],
        )[:5],
        "intent_misses": [
            {"text": item["text"], "intent": item["intent"],
             "predicted": item["intent_prediction"]["name"]}
            for item in json.loads((out / "intent_errors.json").read_text())
            if SCORED_AS.get(item["intent_prediction"]["name"]) != item["intent"]
        ] if (out / "intent_errors.json").exists() else [],
    }  # fmt: skip
    selection = out / "response_selection_report.json"
    if selection.exists():
        report = json.loads(selection.read_text())
        summary["response_selection_macro_f1"] = round(report["macro avg"]["f1-score"], 4)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


RED_FLAG_LISTS = settings.PROJECT_ROOT / "tests" / "data" / "red_flags"


def _lines(name: str) -> list[str]:
    text = (RED_FLAG_LISTS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def red_flag_outcomes(model: Path, texts: list[str]) -> list[str]:
    """What the trained pipeline makes of each message: "emergency", "screen" or "none".

    "emergency" is the call-911-now advice (a red flag the rules confirmed), "screen" the
    question about emergency signs (the classifier alone raised it), "none" anything else.
    """
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Unconfigured, structlog prints Rasa's debug line for every parse, text and all, to
    # stdout; configured through logging at WARNING it prints none of them.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))

    async def outcomes() -> list[str]:
        results = []
        for text in texts:
            parsed = await agent.parse_message(text)
            intent = parsed["intent"]["name"]
            if intent == names.REPORT_RED_FLAG:
                results.append("emergency")
            elif intent == names.REPORT_POSSIBLE_RED_FLAG:
                results.append("screen")
            else:
                results.append("none")
        return results

    # A thread of its own gives asyncio a clean event loop even when the caller's thread
    # already runs one (as it does under pytest once Playwright's sync API has started).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(outcomes())).result()


EVAL_LISTS = settings.PROJECT_ROOT / "tests" / "eval"


def _eval_lines(name: str) -> list[str]:
    text = (EVAL_LISTS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


# Held-out lists of tests/eval, one pair per round that wrote them: ordinary symptom
# descriptions (the safety screen should be rare) and fresh emergency phrasings. The
# pairs were each measured once when new, then the rules were mended for their misses (seen).
HELD_OUT_RED_FLAG_LISTS = {
    "": ("benign_symptoms.txt", "emergencies_fresh.txt"),
    "set2_": ("benign_symptoms2.txt", "emergencies_fresh2.txt"),
    "set3_": ("benign_symptoms3.txt", "emergencies_fresh3.txt"),
    "set4_": ("benign_symptoms4.txt", "emergencies_fresh4.txt"),
    "set5_": ("benign_symptoms5.txt", "emergencies_fresh5.txt"),
    "set6_": ("benign_symptoms6.txt", "emergencies_fresh6.txt"),
    "set7_": ("benign_symptoms7.txt", "emergencies_fresh7.txt"),
    "set8_": ("benign_symptoms8.txt", "emergencies_fresh8.txt"),
    "set9_": ("benign_symptoms9.txt", "emergencies_fresh9.txt"),
    "set10_": ("benign_symptoms10.txt", "emergencies_fresh10.txt"),
    "set11_": ("benign_symptoms11.txt", "emergencies_fresh11.txt"),
    "set12_": ("benign_symptoms12.txt", "emergencies_fresh12.txt"),
    "set13_": ("benign_symptoms13.txt", "emergencies_fresh13.txt"),
    "set14_": ("benign_symptoms14.txt", "emergencies_fresh14.txt"),
    "set15_": ("benign_symptoms15.txt", "emergencies_fresh15.txt"),
    "set16_": ("benign_symptoms16.txt", "emergencies_fresh16.txt"),
    "set17_": ("benign_symptoms17.txt", "emergencies_fresh17.txt"),
}


def red_flag_rates(model: Path) -> dict:
    """Emergency recall and false alarms of the whole trained pipeline, message by message.

    The phrase lists in tests/data/red_flags were used while writing the rules; the lists
    of tests/eval (`HELD_OUT_RED_FLAG_LISTS`) were written before tuning, never trained on.
    """
    emergencies, benign = _lines("emergency.txt"), _lines("benign.txt")
    held_out = {
        prefix: (_eval_lines(symptoms), _eval_lines(fresh))
        for prefix, (symptoms, fresh) in HELD_OUT_RED_FLAG_LISTS.items()
    }
    texts = emergencies + benign + [t for pair in held_out.values() for part in pair for t in part]
    outcomes = iter(red_flag_outcomes(model, texts))
    on_emergencies = [next(outcomes) for _ in emergencies]
    on_benign = [next(outcomes) for _ in benign]
    rates = {
        "red_flag_phrasings": len(emergencies),
        "red_flag_recall": _share(on_emergencies, "emergency"),
        "benign_near_misses": len(benign),
        "red_flag_false_alarm_rate": _share(on_benign, "emergency"),
        "benign_shown_safety_screen_rate": _share(on_benign, "screen"),
        "misses": {
            "emergencies_missed": [
                t for t, o in zip(emergencies, on_emergencies, strict=True) if o != "emergency"
            ]
        },
    }
    for prefix, (symptoms, fresh) in held_out.items():
        on_symptoms = [next(outcomes) for _ in symptoms]
        on_fresh = [next(outcomes) for _ in fresh]
        rates.update(
            {
                f"{prefix}held_out_symptom_descriptions": len(symptoms),
                f"{prefix}symptom_descriptions_screen_rate": _share(on_symptoms, "screen"),
                f"{prefix}symptom_descriptions_emergency_rate": _share(on_symptoms, "emergency"),
                f"{prefix}held_out_fresh_emergencies": len(fresh),
                f"{prefix}fresh_emergency_advice_rate": _share(on_fresh, "emergency"),
                f"{prefix}fresh_emergency_advice_or_screen_rate": _share(
                    on_fresh, "emergency", "screen"
                ),
            }
        )
        rates["misses"][f"{prefix}symptom_descriptions_screened"] = [
            t for t, o in zip(symptoms, on_symptoms, strict=True) if o != "none"
        ]
        rates["misses"][f"{prefix}fresh_emergencies_missed"] = [
            t for t, o in zip(fresh, on_fresh, strict=True) if o == "none"
        ]
    return rates


def _share(outcomes: list[str], *wanted: str) -> float:
    return round(sum(o in wanted for o in outcomes) / len(outcomes), 4)


def main() -> None:
    # The red-flag rates parse the phrasings in this process, and Rasa logs each parsed text.
    logsafety.install()
    model = train_if_needed()
    summary = run_rasa_test(model)
    for name, path in FRESH_FILES.items():
        fresh = run_rasa_test(model, OUT.with_name(f"nlu_{name}"), path)
        summary.update({f"{name}_{key}": value for key, value in fresh.items()})
    summary.update(red_flag_rates(model))
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    shown = {k: v for k, v in summary.items() if not k.endswith(("misses", "intent_misses"))}
    print(json.dumps(shown, indent=2))
    print(f"Reports and intent_confusion_matrix.png in {OUT}")


if __name__ == "__main__":
    main()
