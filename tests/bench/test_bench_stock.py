"""The stock bot's scenarios and cache, and the bench's own option handling (no servers)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata

import pytest
import yaml

from bench import load, stock
from bench.loadgen import LevelResult, build_conversations
from spinecare import devserver, settings
from spinecare.scenarios import load_scenarios


def _template_yaml(name: str) -> dict:
    return yaml.safe_load((stock.template_dir() / name).read_text())


def test_stock_scenarios_load_in_the_shared_format_with_four_messages_each():
    scenarios = load_scenarios(stock.SCENARIOS)
    assert len(scenarios) >= 2
    for scenario in scenarios:
        assert len(scenario.steps) == 4
        for step in scenario.steps:
            assert step.bot_must.say or step.bot_must.any_of


def test_stock_scenarios_fill_conversations_like_ours():
    conversations = build_conversations(load_scenarios(stock.SCENARIOS), messages=4, count=3)
    # each conversation is one whole stock scenario
    assert [c[0].user for c in conversations] == ["hi", "hello there", "good morning"]


def test_stock_scenarios_use_messages_the_example_bot_is_trained_on():
    examples = set()
    for entry in _template_yaml("data/nlu.yml")["nlu"]:
        examples.update(
            line.removeprefix("- ").strip() for line in entry["examples"].splitlines() if line
        )
    for scenario in load_scenarios(stock.SCENARIOS):
        for step in scenario.steps:
            assert step.user in examples


def test_stock_scenarios_expect_only_what_the_example_bot_can_say():
    responses = " ".join(
        variant.get("text", "")
        for variants in _template_yaml("domain.yml")["responses"].values()
        for variant in variants
    ).lower()
    for scenario in load_scenarios(stock.SCENARIOS):
        for step in scenario.steps:
            for phrase in step.bot_must.say:
                assert phrase.lower() in responses


def test_cache_key_follows_rasa_version_and_template_content(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text("a")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_text("ignored")
    key = stock.cache_key("3.6.21", tmp_path)
    assert key.startswith("3.6.21-") and len(key) == len("3.6.21-") + 12
    (tmp_path / "__pycache__" / "x.pyc").write_text("still ignored")
    assert stock.cache_key("3.6.21", tmp_path) == key
    assert stock.cache_key("3.6.20", tmp_path) != key
    (tmp_path / "data" / "nlu.yml").write_text("b")
    assert stock.cache_key("3.6.21", tmp_path) != key


def test_the_template_is_found_without_importing_rasa():
    assert (stock.template_dir() / "domain.yml").is_file()
    assert stock.cache_key(importlib.metadata.version("rasa"), stock.template_dir())


def test_a_cached_stock_bot_is_reused_without_training(tmp_path, monkeypatch):
    key = stock.cache_key(importlib.metadata.version("rasa"), stock.template_dir())
    (tmp_path / key / "models").mkdir(parents=True)
    (tmp_path / key / "models" / "20260101-000000.tar.gz").write_bytes(b"model")

    def no_training(*args, **kwargs):
        raise AssertionError("must not train when the cache has a model")

    monkeypatch.setattr(stock.subprocess, "run", no_training)
    assert stock.ensure_trained(cache_root=tmp_path) == tmp_path / key


def test_stock_service_serves_rest_only_on_the_given_port(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.tar.gz").write_bytes(b"")
    service = stock.service(tmp_path, "127.0.0.1", 5999)
    assert service.command[1:3] == ["run", "--model"]
    assert "--endpoints" not in service.command
    assert service.ready_url == "http://127.0.0.1:5999/webhooks/rest/"


def test_key_values_and_conversation_counts():
    assert load.key_values(["A=1", "B=x=y"]) == {"A": "1", "B": "x=y"}
    with pytest.raises(argparse.ArgumentTypeError):
        load.key_values(["nope"])
    assert load.conversations_per_level(1, per_worker=3, minimum=30) == 30
    assert load.conversations_per_level(50, per_worker=3, minimum=30) == 150


def test_args_parse_levels_bots_and_variants(tmp_path):
    variants = tmp_path / "variants.yml"
    variants.write_text(
        "- name: one-thread\n"
        "  rasa_env: {TF_INTRA_OP_PARALLELISM_THREADS: 1}\n"
        "- name: selective\n"
        "  action_endpoint: {enable_selective_domain: true}\n"
        "  model: models/other.tar.gz\n"
    )
    args = load.parse_args(["--levels", "1,20", "--bots", "ours", "--variants", str(variants)])
    assert args.level_list == [1, 20]
    assert args.bot_list == [load.OURS]
    one, selective = args.variant_list
    assert one.rasa_env == {"TF_INTRA_OP_PARALLELISM_THREADS": "1"}
    assert selective.action_endpoint == {"enable_selective_domain": True}
    assert selective.model == settings.PROJECT_ROOT / "models" / "other.tar.gz"


def test_variants_need_unique_names_and_known_keys(tmp_path):
    path = tmp_path / "v.yml"
    path.write_text("- name: a\n- name: a\n")
    with pytest.raises(ValueError):
        load.load_variants(path)
    path.write_text("- name: stock\n")
    with pytest.raises(ValueError):
        load.load_variants(path)
    path.write_text("- name: a\n  rasa_envs: {}\n")
    with pytest.raises(ValueError):
        load.load_variants(path)


def test_rotation_shifts_who_goes_first():
    names = ["a", "b", "c"]
    assert [load.rotation(names, turn)[0] for turn in range(4)] == ["a", "b", "c", "a"]
    assert sorted(load.rotation(names, 5)) == names
    assert load.rotation([], 3) == []


def test_extra_action_endpoint_options_go_into_the_endpoints_file(tmp_path):
    conf = dataclasses.replace(settings.load(), actions_port=5055)
    path = devserver.write_endpoints(
        conf, tmp_path / "endpoints.yml", {"enable_selective_domain": True}
    )
    data = yaml.safe_load(path.read_text())
    assert data["action_endpoint"]["enable_selective_domain"] is True
    assert data["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    plain = devserver.write_endpoints(conf, tmp_path / "plain.yml")
    assert "enable_selective_domain" not in plain.read_text()


def test_merge_pools_repeats_of_a_level():
    a = LevelResult(20, 2, 1.0, [1.0, 2.0], scenario_errors=1, cpu_seconds={"rasa_server": 0.1})
    b = LevelResult(20, 2, 3.0, [3.0], http_errors=1, cpu_seconds={"rasa_server": 0.2})
    merged = load.merge([a, b])
    assert merged.latencies_ms == [1.0, 2.0, 3.0]
    assert merged.wall_seconds == 4.0
    assert merged.conversations == 4
    assert (merged.http_errors, merged.scenario_errors) == (1, 1)
    assert merged.cpu_seconds["rasa_server"] == pytest.approx(0.3)


def test_scenarios_that_end_a_conversation_still_exist_in_tests_scenarios():
    names = {s.name for s in load_scenarios(load.SCENARIOS)}
    assert names >= load.ENDS_CONVERSATION
