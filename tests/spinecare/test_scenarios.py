"""The scenario format that drives the end-to-end tests and the load benchmark."""

from pathlib import Path

from spinecare.scenarios import Expectation, Reply, check, load_scenarios

SCENARIOS = Path(__file__).parent.parent / "scenarios"


def test_every_scenario_file_loads_and_every_step_expects_something():
    scenarios = load_scenarios(SCENARIOS)
    assert len(scenarios) >= 30
    for scenario in scenarios:
        for step in scenario.steps:
            expected = step.bot_must
            assert expected.say or expected.not_say or expected.offer or expected.any_of


def test_check_reports_each_broken_expectation():
    reply = Reply([{"text": "Hello there", "buttons": [{"title": "A", "payload": "/a"}]}])
    assert check(reply, Expectation(say=("hello",), offer=("A",))) == []
    problems = check(reply, Expectation(say=("bye",), not_say=("there",), offer=("B",)))
    assert len(problems) == 3
    assert check(Reply([]), Expectation(not_say=("x",))) == ["the bot said nothing"]
