"""Development secrets: generated once, private to the checkout, never on a public address."""

from __future__ import annotations

import dataclasses
import stat

import pytest

from spinecare import keys, settings


def conf(**values) -> settings.Settings:
    base = dataclasses.replace(settings.load(), session_secrets=(), action_server_secret="")
    return dataclasses.replace(base, **values)


def test_on_loopback_one_dev_secret_file_mode_0600_shared_by_every_process(tmp_path):
    path = tmp_path / "var" / "dev-secrets.json"
    first = keys.session_secrets(conf(host="127.0.0.1"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.session_secrets(conf(host="127.0.0.1"), path) == first
    assert keys.action_server_secret(conf(actions_host="127.0.0.1"), path) != first[0]


def test_a_public_address_needs_configured_secrets(tmp_path):
    with pytest.raises(keys.SecretError, match="SPINECARE_SESSION_SECRET"):
        keys.session_secrets(conf(host="0.0.0.0"), tmp_path / "s.json")  # noqa: S104
    with pytest.raises(keys.SecretError, match="SPINECARE_ACTION_SERVER_SECRET"):
        keys.action_server_secret(conf(actions_host="10.0.0.5"), tmp_path / "s.json")
    assert not (tmp_path / "s.json").exists()


def test_short_secrets_are_refused():
    with pytest.raises(keys.SecretError, match="at least 32"):
        keys.session_secrets(conf(session_secrets=("short",)))
