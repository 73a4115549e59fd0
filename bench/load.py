"""`make bench`: reply latency of the whole stack while many conversations run at once.

Starts its own action server and Rasa server on free loopback ports, replays the
end-to-end scenarios (tests/scenarios/*.yml, the same files the tests assert) in
CONCURRENCY parallel conversations for ROUNDS rounds, and reports per-turn
latency percentiles and the share of turns whose reply broke the scenario.
Bounded in count and time; it stops by itself. Results go to results/bench.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from spinecare import devserver, settings
from spinecare.scenarios import RestConversation, check, load_scenarios
from spinecare.training import train_if_needed

SCENARIOS = settings.PROJECT_ROOT / "tests" / "scenarios"
OUT = settings.PROJECT_ROOT / "results" / "bench.json"


def _replay(scenario, rasa_url: str, client: httpx.Client) -> tuple[list[float], int]:
    conversation = RestConversation(rasa_url, client)
    latencies, failures = [], 0
    for step in scenario.steps:
        started = time.perf_counter()
        reply = conversation.say(step.user)
        latencies.append((time.perf_counter() - started) * 1000)
        failures += bool(check(reply, step.bot_must))
    return latencies, failures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    scenarios = load_scenarios(SCENARIOS)
    with tempfile.TemporaryDirectory() as tmp:
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            database_url=f"sqlite:///{tmp}/bench.db",
        )
        stack_log = open(f"{tmp}/log", "w")  # noqa: SIM115 (closed in finally)
        stack = devserver.start(
            conf, train_if_needed(), webchat=False, console=False, dispatcher=False, log=stack_log
        )
        try:
            jobs = [s for _ in range(args.rounds) for s in scenarios]
            started = time.perf_counter()
            with httpx.Client(timeout=120) as client, ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(lambda s: _replay(s, conf.rasa_url, client), jobs))
            wall = time.perf_counter() - started
        finally:
            stack.stop()
            stack_log.close()
    latencies = [ms for lat, _ in results for ms in lat]
    failures = sum(f for _, f in results)
    report = {
        "concurrency": args.concurrency,
        "conversations": len(jobs),
        "turns": len(latencies),
        "turns_per_second": round(len(latencies) / wall, 1),
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(percentile(latencies, 0.95), 1),
        "latency_ms_max": round(max(latencies), 1),
        "turns_not_matching_scenario": failures,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
