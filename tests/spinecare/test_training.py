"""The model is retrained exactly when what it is trained from changes."""

import shutil

from spinecare import settings
from spinecare.training import model_path, training_fingerprint


def copy_project(tmp_path):
    for name in ("config.yml", "domain.yml", "data"):
        source = settings.PROJECT_ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return tmp_path


def test_fingerprint_is_stable_and_follows_the_data(tmp_path):
    root = copy_project(tmp_path)
    first = training_fingerprint(root)
    assert training_fingerprint(root) == first
    (root / "data" / "nlu" / "core.yml").write_text(
        (root / "data" / "nlu" / "core.yml").read_text() + "\n"
    )
    assert training_fingerprint(root) != first


def test_model_path_names_the_fingerprint(tmp_path):
    assert model_path(tmp_path, "abc123").name == "spinecare-abc123.tar.gz"
