"""Keys for encryption at rest: development fallback, production refusal, rotation, lookups."""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import stat

import pytest
from cryptography.fernet import Fernet

from spinecare import crypto, privacy, settings

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def conf(**values):
    base = dataclasses.replace(
        settings.load(), data_keys=(), lookup_key="", environment="development"
    )
    return dataclasses.replace(base, **values)


def test_development_keys_are_created_once_private_and_announced_once(
    tmp_path, caplog, monkeypatch
):
    monkeypatch.setattr(crypto, "_warned", False)
    path = tmp_path / "var" / "dev-data-keys.json"
    with caplog.at_level(logging.WARNING, logger="spinecare.crypto"):
        first = crypto.data_keys(conf(), path)
        assert crypto.data_keys(conf(), path) == first
        assert crypto.lookup_key(conf(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len([r for r in caplog.records if "development keys" in r.getMessage()]) == 1
    Fernet(first[0].encode())  # a usable key


def test_production_refuses_to_run_without_keys(tmp_path):
    production = conf(environment="production")
    with pytest.raises(crypto.KeyProblem, match="SPINECARE_DATA_KEYS"):
        crypto.check_configured(production)
    with pytest.raises(crypto.KeyProblem, match="SPINECARE_LOOKUP_KEY"):
        crypto.check_configured(dataclasses.replace(production, data_keys=(NEW,)))
    crypto.check_configured(dataclasses.replace(production, data_keys=(NEW,), lookup_key="l" * 40))
    with pytest.raises(crypto.KeyProblem, match="Fernet key"):
        crypto.data_keys(dataclasses.replace(production, data_keys=("not a key",)))


def test_the_newest_key_encrypts_and_older_ones_still_decrypt():
    old = crypto.Cipher([OLD])
    token = old.encrypt("Jane Quimby")
    assert "Quimby" not in token and crypto.is_token(token)
    both = crypto.Cipher([NEW, OLD])
    assert both.decrypt(token) == "Jane Quimby"
    assert not both.is_current(token)
    rotated = both.rotate(token)
    assert both.is_current(rotated)
    assert crypto.Cipher([NEW]).decrypt(rotated) == "Jane Quimby"  # OLD can be dropped
    with pytest.raises(crypto.KeyProblem):
        crypto.Cipher([NEW]).decrypt(token)


def test_lookup_hashes_match_exact_values_whatever_the_case_and_need_the_key():
    keyed = conf(lookup_key="k" * 40)
    assert crypto.lookup_hash(" Jane@Mail.example", keyed) == crypto.lookup_hash(
        "jane@mail.example", keyed
    )
    assert crypto.lookup_hash("jane@mail.example", keyed) != crypto.lookup_hash(
        "jane@mail.example", conf(lookup_key="m" * 40)
    )
    assert crypto.lookup_hash(None, keyed) is None


def test_encrypted_and_older_plain_conversation_rows_both_export(tmp_path):
    keyed = conf(data_keys=(NEW,), tracker_store_url=f"sqlite:///{tmp_path / 'c.db'}")
    token = crypto.cipher(keyed).encrypt(json.dumps({"event": "user", "text": "calf pain"}))
    with sqlite3.connect(tmp_path / "c.db") as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)"
        )
        connection.execute("INSERT INTO events (sender_id, data) VALUES ('c', ?)", (token,))
        connection.execute(
            "INSERT INTO events (sender_id, data) VALUES ('c', ?)",
            (json.dumps({"event": "user", "text": "older"}),),
        )
    connection.close()
    with privacy.archive(keyed) as archive:
        assert [e["text"] for e in archive.events(["c"])["c"]] == ["calf pain", "older"]


def test_nothing_migrates_the_requests_database_in_production_without_keys(tmp_path, monkeypatch):
    from spinecare.storage.schema import migrate

    monkeypatch.setenv("SPINECARE_ENV", "production")
    monkeypatch.delenv("SPINECARE_DATA_KEYS", raising=False)
    monkeypatch.delenv("SPINECARE_LOOKUP_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(crypto.KeyProblem, match="SPINECARE_DATA_KEYS"):
        migrate(url, settings.load())
    monkeypatch.setenv("SPINECARE_DATA_KEYS", NEW)
    monkeypatch.setenv("SPINECARE_LOOKUP_KEY", "l" * 40)
    assert migrate(url, settings.load())
