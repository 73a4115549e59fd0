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


def main() -> None:
    summary = run_rasa_test(train_if_needed())
    print(json.dumps(summary, indent=2))
    print(f"Reports and intent_confusion_matrix.png in {OUT}")


if __name__ == "__main__":
    main()
