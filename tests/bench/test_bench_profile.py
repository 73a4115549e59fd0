"""The profile's attribution of sampled stacks, and the action-call counting (no servers)."""

from __future__ import annotations

import collections
import json

import pytest

from bench import action_calls, profile

SERVE = "serve (sanic/server/runners.py:155)"
ROOT = ("thread (0x7F01): MainThread", "<module> (rasa:8)", "main (rasa/__main__.py:133)", SERVE)
HANDLER = (
    *ROOT,
    "receive (rasa/core/channels/rest.py:160)",
    "handle_message (rasa/core/processor.py:150)",
)
GRAPH = (*HANDLER, "run (rasa/engine/runner/dask.py:101)", "__call__ (rasa/engine/graph.py:496)")


def _collapsed(*stacks: tuple[tuple[str, ...], int]) -> str:
    return "\n".join(f"{';'.join(stack)} {count}" for stack, count in stacks) + "\n"


def test_parse_collapsed_reads_py_spy_raw_output():
    text = _collapsed((("a (x.py:1)", "b (y.py:2)"), 3), (("a (x.py:1)",), 2)) + "garbage\n"
    stacks = profile.parse_collapsed(text)
    assert stacks == {("a (x.py:1)", "b (y.py:2)"): 3, ("a (x.py:1)",): 2}


def test_a_graph_node_is_named_by_the_method_it_called_not_by_inherited_code():
    selector = (
        *GRAPH,
        "process (rasa/nlu/selectors/response_selector.py:500)",
        "_predict (rasa/nlu/classifiers/diet_classifier.py:900)",
    )
    assert profile.classify(selector) == "NLU: ResponseSelector"
    diet = (*GRAPH, "process (rasa/nlu/classifiers/diet_classifier.py:1000)")
    assert profile.classify(diet) == "NLU: DIETClassifier"
    ours = (*GRAPH, "process (addons/red_flag_detector.py:125)", "detect (spinecare/x.py:1)")
    assert profile.classify(ours) == "NLU: RedFlagDetector (ours)"
    ted = (*GRAPH, "predict_action_probabilities (rasa/core/policies/ted_policy.py:838)")
    assert profile.classify(ted) == "Policy: TEDPolicy"
    unknown = (*GRAPH, "process (rasa/nlu/something_new.py:1)")
    assert profile.classify(unknown) == "Graph: something_new"


def test_outside_the_graph_the_innermost_subsystem_wins():
    validation = (
        *HANDLER,
        "run (rasa/core/actions/action.py:790)",
        "_validate_action_result (rasa/core/actions/action.py:704)",
        "validate (jsonschema/validators.py:1117)",
    )
    assert profile.classify(validation).startswith("Action call: validating the response")
    # py-spy cuts very deep stacks at the root: jsonschema alone still counts as validation
    assert profile.classify(("iter_errors (jsonschema/validators.py:301)",)).startswith(
        "Action call: validating"
    )
    store = (*HANDLER, "save (rasa/core/tracker_store.py:300)", "dumps (json/__init__.py:231)")
    assert profile.classify(store) == "Tracker store (retrieve, save, serialise)"
    http = (*HANDLER, "run (rasa/core/actions/action.py:800)", "post (aiohttp/client.py:1)")
    assert profile.classify(http).startswith("Action call: HTTP round trip")
    assert profile.classify(HANDLER) == "Processor (other)"
    assert profile.classify((*ROOT, "http1 (sanic/http.py:146)")) == "HTTP server (Sanic)"
    assert profile.classify(("frame (somewhere.py:1)",)) == "Other"


def test_the_event_loop_waiting_in_uvloop_is_idle():
    assert profile.is_idle(ROOT)
    assert not profile.is_idle(HANDLER)


def test_main_thread_stacks_drop_other_threads_and_the_thread_label():
    stacks = collections.Counter(
        {ROOT: 5, ("thread (0x7F02): Thread-1", "_worker (concurrent/futures/thread.py:81)"): 9}
    )
    main = profile.main_thread_stacks(stacks)
    assert main == {ROOT[1:]: 5}
    unlabelled = collections.Counter({("a (x.py:1)",): 2})
    assert profile.main_thread_stacks(unlabelled) == unlabelled


def test_breakdown_shares_busy_samples_and_turns_them_into_cpu_per_message():
    ted = (*GRAPH, "predict_action_probabilities (rasa/core/policies/ted_policy.py:838)")
    diet = (*GRAPH, "process (rasa/nlu/classifiers/diet_classifier.py:1000)")
    stacks = collections.Counter({ted: 30, diet: 10, ROOT: 60})  # ROOT: idle, left out
    rows = profile.breakdown(stacks, profile.classify, cpu_ms_per_message=80.0)
    assert [(r["category"], r["share"], r["cpu_ms_per_message"]) for r in rows] == [
        ("Policy: TEDPolicy", 0.75, 60.0),
        ("NLU: DIETClassifier", 0.25, 20.0),
    ]
    assert profile.breakdown(stacks, profile.classify, None)[0]["cpu_ms_per_message"] is None


def test_action_server_stacks_are_put_on_our_action_modules():
    stack = ("webhook (rasa_sdk/endpoint.py:102)", "run (/work/x/actions/answers.py:30)")
    assert profile.classify_action_server(stack) == "Our actions: actions/answers.py"
    assert profile.classify_action_server(("run (rasa_sdk/executor.py:1)",)).startswith("rasa_sdk")


def test_markdown_lists_each_category_with_its_share():
    report = {
        "concurrency": 20,
        "seconds": 40.0,
        "messages": 400,
        "throughput_msg_s": 10.0,
        "p50_ms": 1800.0,
        "p95_ms": 3000.0,
        "errors": 0,
        "other_cpu_cores": 0.2,
        "rasa_server": {
            "main_thread_busy_share": 0.97,
            "main_thread_cpu_share": 0.8,
            "cpu_ms_per_message_by_thread": {"main thread (event loop)": 70.0},
            "breakdown": [
                {"category": "Policy: TEDPolicy", "share": 0.2, "cpu_ms_per_message": 14}
            ],
        },
        "action_server": {"cpu_ms_per_message": 2.0, "breakdown": []},
    }
    text = profile.markdown(report)
    assert "| Policy: TEDPolicy | 20.0% | 14.0 |" in text
    assert "busy in 97% of the samples" in text


def test_action_calls_describe_and_summarise():
    body = json.dumps(
        {"next_action": "action_answer_question", "tracker": {"events": [{}, {}]}, "domain": {}}
    ).encode()
    assert action_calls.describe(body) == ("action_answer_question", True, 2)
    calls = [
        action_calls.Call("a", 2048, 512, True, 10),
        action_calls.Call("a", 1024, 512, False, 20),
        action_calls.Call("b", 1024, 1024, False, 4),
    ]
    summary = action_calls.summarise(calls, messages=6)
    assert summary["total"]["calls_per_message"] == 0.5
    assert summary["by_action"]["a"] == {
        "calls": 2,
        "calls_per_message": pytest.approx(0.333),
        "mean_request_kb": 1.5,
        "mean_response_kb": 0.5,
        "domain_sent": 1,
        "mean_tracker_events": 15.0,
    }


def test_train_variant_edits_a_copy_of_the_config():
    from bench import train_variant

    config = {
        "pipeline": [{"name": "SpacyNLP"}, {"name": "DIETClassifier", "epochs": 100}],
        "policies": [{"name": "RulePolicy"}, {"name": "TEDPolicy", "epochs": 60}],
    }
    edited = train_variant.edit_config(config, ["TEDPolicy"], ["DIETClassifier.epochs=50"])
    assert edited["policies"] == [{"name": "RulePolicy"}]
    assert edited["pipeline"][1] == {"name": "DIETClassifier", "epochs": 50}
    assert config["policies"][1]["name"] == "TEDPolicy"  # the original is untouched
    with pytest.raises(ValueError):
        train_variant.edit_config(config, ["NoSuchPolicy"], [])
    with pytest.raises(ValueError):
        train_variant.edit_config(config, [], ["Nope.epochs=1"])
    with pytest.raises(ValueError):
        train_variant.edit_config(config, [], ["DIETClassifier"])
