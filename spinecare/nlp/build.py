"""Build the project's spaCy pipeline from the source in this repository.

Why: these machines cannot download `en_core_web_*`, and Rasa's SpacyNLP needs a
loadable pipeline. This one is a blank English tokenizer, a lookup lemmatizer
(tables from spacy-lookups-data, installed as a package) and an entity_ruler with
the clinic's vocabulary from `entity_patterns.yml`.

Run as `python -m spinecare.nlp.build --output DIR`; `make` does it when the
patterns or this file change.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

import spacy
import yaml

PATTERNS_FILE = Path(__file__).with_name("entity_patterns.yml")
PIPELINE_NAME = "en_spinecare"
PIPELINE_VERSION = "0.1.0"


def load_patterns(path: Path = PATTERNS_FILE) -> list[dict]:
    """Entity-ruler phrase patterns, lower-cased, from the reviewed YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns = []
    for label, phrases in raw.items():
        for phrase in phrases:
            patterns.append({"label": label, "pattern": str(phrase).lower(), "id": label.lower()})
    return patterns


def source_fingerprint() -> str:
    """Hash of everything the pipeline is built from, stored with it to detect staleness."""
    digest = hashlib.sha256()
    for path in (PATTERNS_FILE, Path(__file__)):
        digest.update(path.read_bytes())
    digest.update(spacy.__version__.encode())
    return digest.hexdigest()[:16]


def build_pipeline() -> spacy.language.Language:
    """Assemble and initialise the pipeline in memory.

    `nlp.initialize()` resets an entity_ruler's patterns, so patterns are added
    after it, never before.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    nlp.initialize()
    ruler.add_patterns(load_patterns())
    nlp.meta.update(
        {
            "name": PIPELINE_NAME.removeprefix("en_"),
            "version": PIPELINE_VERSION,
            "description": "SpineCare pipeline: tokenizer, lookup lemmatizer, domain entity_ruler.",
            "spinecare_fingerprint": source_fingerprint(),
        }
    )
    return nlp


def is_current(output: Path) -> bool:
    """True when `output` holds a pipeline built from the current sources."""
    meta = output / "meta.json"
    if not meta.exists():
        return False
    import json

    return json.loads(meta.read_text()).get("spinecare_fingerprint") == source_fingerprint()


def build(output: Path, force: bool = False) -> bool:
    """Write the pipeline to `output` unless it is already current; returns True if built."""
    if not force and is_current(output):
        return False
    nlp = build_pipeline()
    tmp = output.with_name(output.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    if output.exists():
        shutil.rmtree(output)
    tmp.rename(output)
    return True


def main(argv: list[str] | None = None) -> None:
    from spinecare import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=settings.load().spacy_pipeline)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    built = build(args.output, force=args.force)
    print(f"spaCy pipeline {'built' if built else 'up to date'} at {args.output}")


if __name__ == "__main__":
    main()
