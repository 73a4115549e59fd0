"""`make eval`: NLU quality on the held-out file that is never trained on.

Runs `rasa test nlu` with the current model on tests/nlu/held_out.yml, which
writes intent, entity and response-selection reports and the confusion-matrix
picture to results/nlu/, then prints the numbers the README quotes and writes
them to results/nlu/summary.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from spinecare import settings
from spinecare.training import train_if_needed

HELD_OUT = settings.PROJECT_ROOT / "tests" / "nlu" / "held_out.yml"
OUT = settings.PROJECT_ROOT / "results" / "nlu"


def run_rasa_test(model: Path, out: Path = OUT) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(Path(sys.executable).with_name("rasa")), "test", "nlu", "--model", str(model),
         "--nlu", str(HELD_OUT), "--out", str(out)],
        cwd=settings.PROJECT_ROOT, check=True,
    )  # fmt: skip
    intents = json.loads((out / "intent_report.json").read_text())
    summary = {
        "held_out_examples": int(intents["macro avg"]["support"]),
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
        "weakest_intents": sorted(
            (
                (name, round(row["f1-score"], 3))
                for name, row in intents.items()
                if isinstance(row, dict) and name not in ("macro avg", "weighted avg", "micro avg")
            ),
            key=lambda item: item[1],
        )[:5],
    }
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

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def outcomes() -> list[str]:
        results = []
        for text in texts:
            parsed = await agent.parse_message(text)
            reasons = [e["value"] for e in parsed["entities"] if e["entity"] == "red_flag_reason"]
            if parsed["intent"]["name"] != "report_red_flag":
                results.append("none")
            else:
                results.append("screen" if reasons == ["unconfirmed"] else "emergency")
        return results

    # A thread of its own gives asyncio a clean event loop even when the caller's thread
    # already runs one (as it does under pytest once Playwright's sync API has started).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(outcomes())).result()


def red_flag_rates(model: Path) -> dict:
    """Emergency recall and false alarms of the whole trained pipeline, message by message."""
    emergencies, benign = _lines("emergency.txt"), _lines("benign.txt")
    on_emergencies = red_flag_outcomes(model, emergencies)
    on_benign = red_flag_outcomes(model, benign)
    return {
        "red_flag_phrasings": len(emergencies),
        "red_flag_recall": round(on_emergencies.count("emergency") / len(emergencies), 4),
        "benign_near_misses": len(benign),
        "red_flag_false_alarm_rate": round(on_benign.count("emergency") / len(benign), 4),
        "benign_shown_safety_screen_rate": round(on_benign.count("screen") / len(benign), 4),
    }


def main() -> None:
    model = train_if_needed()
    summary = run_rasa_test(model)
    summary.update(red_flag_rates(model))
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    print(f"Reports and intent_confusion_matrix.png in {OUT}")


if __name__ == "__main__":
    main()
