"""The load generator's pure logic: conversations from scenarios, percentiles, error counting.

No servers: the REST channel is an httpx mock transport. Nothing here asserts wall-clock time.
"""

from __future__ import annotations

import json

import httpx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.loadgen import LevelResult, build_conversations, percentile, run_level
from spinecare.scenarios import Expectation, Scenario, Step
from tests.support.aio import run


def _scenario(name: str, *users: str) -> Scenario:
    return Scenario(name, tuple(Step(u, Expectation(say=(u.upper(),))) for u in users))


SCENARIOS = [_scenario("a", "a1"), _scenario("b", "b1", "b2", "b3"), _scenario("c", "c1")]


def test_each_conversation_has_exactly_the_message_count():
    conversations = build_conversations(SCENARIOS, messages=4, count=7)
    assert len(conversations) == 7
    assert all(len(c) == 4 for c in conversations)


def test_conversation_k_starts_with_scenario_k_and_chains_the_next_ones_whole():
    conversations = build_conversations(SCENARIOS, messages=4, count=3)
    assert [s.user for s in conversations[0]] == ["a1", "b1", "b2", "b3"]
    assert [s.user for s in conversations[1]] == ["b1", "b2", "b3", "c1"]
    # wraps around the list and cuts only at the end of the conversation
    assert [s.user for s in conversations[2]] == ["c1", "a1", "b1", "b2"]


def test_every_scenario_opens_some_conversation():
    conversations = build_conversations(SCENARIOS, messages=2, count=len(SCENARIOS))
    assert [c[0].user for c in conversations] == ["a1", "b1", "c1"]


def test_conversations_need_scenarios_and_messages():
    with pytest.raises(ValueError):
        build_conversations([], messages=4, count=1)
    with pytest.raises(ValueError):
        build_conversations(SCENARIOS, messages=0, count=1)


def test_percentile_known_values():
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 0.5) == 30.0
    assert percentile(values, 0.0) == 10.0
    assert percentile(values, 1.0) == 50.0
    assert percentile(values, 0.95) == pytest.approx(48.0)
    assert percentile([7.0], 0.99) == 7.0
    assert np.isnan(percentile([], 0.5))
    with pytest.raises(ValueError):
        percentile(values, 95)


@given(
    st.lists(st.floats(0, 1e5, allow_nan=False), min_size=1, max_size=200),
    st.sampled_from([0.5, 0.95, 0.99]),
)
def test_percentile_matches_numpy_linear(values, q):
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q * 100)))


def test_percentile_ignores_input_order():
    assert percentile([5.0, 1.0, 3.0], 0.5) == 3.0


def test_summary_counts_throughput_errors_and_cpu_per_message():
    result = LevelResult(
        concurrency=20,
        conversations=5,
        wall_seconds=2.0,
        latencies_ms=[100.0] * 18 + [300.0, 500.0],
        http_errors=1,
        scenario_errors=2,
        cpu_seconds={"rasa_server": 1.0, "action_server": 0.2},
        other_cpu_seconds=0.5,
        examples=["x"],
    )
    row = result.summary()
    assert row["messages"] == 21
    assert row["throughput_msg_s"] == 10.0  # answered messages per second
    assert row["p50_ms"] == 100.0
    assert row["errors"] == 3
    assert row["cpu_ms_per_msg_rasa_server"] == 50.0
    assert row["cpu_ms_per_msg_action_server"] == 10.0
    assert row["other_cpu_cores"] == 0.25
    assert row["error_examples"] == ["x"]


def test_summary_of_a_level_that_answered_nothing():
    row = LevelResult(concurrency=1, conversations=1, wall_seconds=1.0, http_errors=4).summary()
    assert row["throughput_msg_s"] == 0
    assert row["p95_ms"] is None and row["max_ms"] is None
    assert row["errors"] == 4


def _fake_rasa(replies: dict[str, list[dict]], fail_on: str = ""):
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append((body["sender"], body["message"]))
        if body["message"] == fail_on:
            return httpx.Response(500, text="boom")
        return httpx.Response(200, json=replies.get(body["message"], []))

    return httpx.MockTransport(handler), seen


def test_run_level_checks_every_reply_and_counts_http_errors_apart():
    transport, seen = _fake_rasa(
        {"a1": [{"text": "A1"}], "b1": [{"text": "wrong"}], "b2": [{"text": "B2"}]},
        fail_on="b3",
    )
    conversations = build_conversations(SCENARIOS, messages=4, count=2)
    result = run(
        run_level("http://bench.invalid", conversations, concurrency=2, transport=transport)
    )
    # 8 messages: b3 twice -> HTTP 500; b1 twice -> wrong text; c1 once -> bot said nothing
    assert result.http_errors == 2
    assert result.scenario_errors == 3
    assert len(result.latencies_ms) == 6
    assert len(seen) == 8
    # one sender per conversation, and its messages in scenario order
    by_sender: dict[str, list[str]] = {}
    for sender, message in seen:
        by_sender.setdefault(sender, []).append(message)
    assert sorted(by_sender.values()) == [["a1", "b1", "b2", "b3"], ["b1", "b2", "b3", "c1"]]


def test_run_level_stops_sending_after_its_time_limit():
    transport, seen = _fake_rasa({})
    conversations = build_conversations(SCENARIOS, messages=4, count=3)
    result = run(
        run_level(
            "http://bench.invalid",
            conversations,
            concurrency=1,
            max_seconds=-1,
            transport=transport,
        )
    )
    assert seen == []
    assert result.not_sent == 12
    assert result.summary()["errors"] == 12


def test_a_last_only_scenario_only_ever_ends_a_conversation():
    scenarios = [*SCENARIOS, _scenario("form", "f1"), _scenario("d", "d1")]
    conversations = build_conversations(scenarios, messages=2, count=10, last_only={"form"})
    for conversation in conversations:
        users = [s.user for s in conversation]
        assert "f1" not in users[:-1]
    # it still ends the conversations where it fits as the last message
    assert any(c[-1].user == "f1" for c in conversations)


def test_last_only_everywhere_cannot_open_a_conversation():
    with pytest.raises(ValueError):
        build_conversations(SCENARIOS, messages=2, count=1, last_only={"a", "b", "c"})
