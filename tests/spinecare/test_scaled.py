"""How the scaled-out setup is wired, without starting it (tests/scaled/ starts it)."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
import yaml

from spinecare import scaled, settings

CONF = dataclasses.replace(settings.Settings(), tracker_store_url="sqlite:///var/c.db")


def test_a_sqlite_tracker_store_is_replaced_by_the_shared_redis():
    assert scaled.shared_tracker_store_url(CONF) == CONF.redis_url
    postgres = dataclasses.replace(CONF, tracker_store_url="postgresql://db/conversations")
    assert scaled.shared_tracker_store_url(postgres) == "postgresql://db/conversations"


def test_the_lock_store_keeps_its_password_in_the_environment():
    text = scaled.lock_store_yaml("rediss://spine:s3cret@cache.internal:6380/2")
    assert "s3cret" not in text
    lock = yaml.safe_load(text.replace("${SPINECARE_LOCK_STORE_PASSWORD}", "x"))["lock_store"]
    assert lock == {
        "type": "redis", "url": "cache.internal", "port": 6380, "db": 2,
        "key_prefix": "spinecare", "username": "spine", "password": "x", "use_ssl": True,
    }  # fmt: skip
    assert (
        scaled.stack_environment(
            dataclasses.replace(CONF, redis_url="redis://:s3cret@cache:6379/0")
        )["SPINECARE_LOCK_STORE_PASSWORD"]
        == "s3cret"
    )


def test_each_replica_calls_its_own_action_server_and_shares_the_stores(tmp_path):
    replica = scaled.Replica(2, 41001, 41002)
    path = scaled.write_replica_endpoints(CONF, replica, tmp_path / "endpoints.yml")
    endpoints = yaml.safe_load(path.read_text())
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:41002/webhook"
    assert endpoints["lock_store"]["type"] == "redis"
    assert endpoints["tracker_store"]["type"].startswith("addons.conversation_store.")


def test_the_ticket_lock_outlives_the_longest_turn():
    env = scaled.stack_environment(CONF)
    assert int(env["TICKET_LOCK_LIFETIME"]) > scaled.ACTION_TIMEOUT_SECONDS
    short = dataclasses.replace(CONF, lock_lifetime_seconds=60)
    with pytest.raises(ValueError, match="LOCK_LIFETIME"):
        scaled.start(short, model=None)  # type: ignore[arg-type]


def test_nginx_config_logs_no_patient_text_and_keeps_bodies_in_memory(tmp_path):
    replicas = [scaled.Replica(1, 41001, 41002), scaled.Replica(2, 41003, 41004)]
    text = scaled.render_nginx_conf(CONF, replicas, tmp_path, "127.0.0.1")
    assert "@@" not in text
    assert "access_log off;" in text and "/var/log" not in text
    assert f"client_max_body_size {CONF.max_body_bytes};" in text
    assert f"client_body_buffer_size {CONF.max_body_bytes};" in text
    assert "proxy_max_temp_file_size 0;" in text
    assert "non_idempotent" not in text.replace("(no non_idempotent)", "")
    assert text.count("server 127.0.0.1:41001") == 2  # in both upstreams
    assert "hash $remote_addr consistent;" in text
    assert f"listen 127.0.0.1:{CONF.rasa_port};" in text


@pytest.mark.integration
def test_nginx_accepts_the_generated_config(tmp_path):
    state = scaled.prepare_state_dir(tmp_path / "state")
    replicas = [scaled.Replica(1, 41001, 41002), scaled.Replica(2, 41003, 41004)]
    conf_path = state / "nginx.conf"
    conf_path.write_text(scaled.render_nginx_conf(CONF, replicas, state, "127.0.0.1"))
    result = subprocess.run(
        [scaled.nginx_binary(), "-t", "-p", str(state), "-c", str(conf_path),
         "-e", str(state / "error.log")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
