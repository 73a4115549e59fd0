"""Fixtures for the red-flag tests: the project's own spaCy pipeline and a detector.

Why build it here: the tests must not depend on a `make` having run, so the pipeline is
built from source into a temporary folder unless the configured one is already current.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from spinecare import settings
from spinecare.nlp import build
from spinecare.safety import RedFlagReader


@pytest.fixture(scope="session")
def spinecare_pipeline_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = settings.load().spacy_pipeline
    if build.is_current(configured):
        return configured
    path = tmp_path_factory.mktemp("spacy") / build.PIPELINE_NAME
    build.build(path)
    return path


@pytest.fixture(scope="session")
def spinecare_nlp(spinecare_pipeline_path: Path) -> spacy.language.Language:
    return spacy.load(spinecare_pipeline_path)


@pytest.fixture(scope="session")
def detector(spinecare_nlp: spacy.language.Language) -> RedFlagReader:
    return RedFlagReader.from_language(spinecare_nlp)
