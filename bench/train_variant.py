"""Train a variant of the assistant with a changed config.yml, in a copy of the project.

Issue 13's pipeline and policy cuts need a retrained model, and their quality has to be
measured the way `make eval` measures it, without touching the project's own config.yml
or models/. This copies the project's sources into build/bench-variants/<name>/ (the
shared .venv and spaCy pipeline are linked, not copied), edits its config.yml, trains
there with `python -m spinecare.training`, and runs `python -m bench.nlu_eval` there
(intent and answer-topic F1, red-flag recall and false alarms). With `--conversation-tests`
it also runs the end-to-end conversation tests (tests/conversations) against the variant.

    python -m bench.train_variant --name no-ted --drop TEDPolicy
    python -m bench.train_variant --name lean --drop LexicalSyntacticFeaturizer \\
        --set TEDPolicy.epochs=40

The model path it prints goes into a variants file for `python -m bench.load --variants`.
Results: build/bench-variants/<name>/results/nlu/summary.json and variant.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from spinecare import settings

ROOT = settings.PROJECT_ROOT
VARIANTS = ROOT / "build" / "bench-variants"
# What a copy needs to train, evaluate and serve (the rest is linked or not needed).
COPIED = ("config.yml", "domain.yml", "data", "actions", "addons", "spinecare", "bench", "tests",
          "credentials.yml", "endpoints.yml", "pyproject.toml")  # fmt: skip
LINKED = (".venv", "webchat")


def edit_config(config: dict, drop: list[str], sets: list[str]) -> dict:
    """config.yml with the named components/policies removed and `Name.key=value` options set."""
    config = json.loads(json.dumps(config))  # deep copy
    present = {e["name"] for s in ("pipeline", "policies") for e in config.get(s) or []}
    unknown = sorted(set(drop) - present)
    if unknown:
        raise ValueError(f"not in config.yml: {unknown}")
    for section in ("pipeline", "policies"):
        config[section] = [e for e in config.get(section) or [] if e["name"] not in drop]
    for item in sets:
        target, _, value = item.partition("=")
        name, _, key = target.partition(".")
        if not key or not _:
            raise ValueError(f"expected Name.key=value, got {item!r}")
        entries = [
            e for s in ("pipeline", "policies") for e in config.get(s) or [] if e["name"] == name
        ]
        if not entries:
            raise ValueError(f"no component or policy named {name!r}")
        for entry in entries:
            entry[key] = yaml.safe_load(value)
    return config


def make_copy(name: str, config: dict) -> Path:
    """A fresh copy of the project with the edited config.yml; models/ and results/ its own."""
    target = VARIANTS / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "__artifacts__")
    for entry in COPIED:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, target / entry, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target / entry)
    for entry in LINKED:
        if (ROOT / entry).exists():
            (target / entry).symlink_to((ROOT / entry).resolve())
    (target / "build").mkdir()
    (target / "build" / "spacy").symlink_to((ROOT / "build" / "spacy").resolve())
    (target / "config.yml").write_text(
        "# Variant made by bench/train_variant.py from the project's config.yml.\n"
        + yaml.safe_dump(config, sort_keys=False)
    )
    return target


def run_in(copy: Path, *command: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(copy), "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(command, cwd=copy, env=env, check=check)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="folder name under build/bench-variants/")
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="NAME",
        help="remove this pipeline component or policy (repeatable)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME.KEY=VALUE",
        help="set an option of a component or policy (repeatable)",
    )
    parser.add_argument(
        "--conversation-tests",
        action="store_true",
        help="also run tests/conversations against the variant",
    )
    args = parser.parse_args(argv)  # fmt: skip
    config = edit_config(yaml.safe_load((ROOT / "config.yml").read_text()), args.drop, args.set)
    copy = make_copy(args.name, config)
    python = str(Path(sys.executable))
    run_in(copy, python, "-m", "spinecare.training")
    model = Path(
        subprocess.run(
            [python, "-m", "spinecare.training", "--print-path"],
            cwd=copy,
            env={**os.environ, "PYTHONPATH": str(copy)},
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    run_in(copy, python, "-m", "bench.nlu_eval")
    quality = json.loads((copy / "results" / "nlu" / "summary.json").read_text())
    outcome = {"name": args.name, "drop": args.drop, "set": args.set, "model": str(model),
               "quality": quality}  # fmt: skip
    if args.conversation_tests:
        tests = run_in(
            copy, str(copy / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider",
            "tests/conversations", "tests/test_red_flag_pipeline.py", check=False,
        )  # fmt: skip
        outcome["conversation_tests_passed"] = tests.returncode == 0
    (copy / "results").mkdir(exist_ok=True)
    (copy / "results" / "variant.json").write_text(json.dumps(outcome, indent=2))
    print(json.dumps(outcome, indent=2))
    return outcome


if __name__ == "__main__":
    main()
