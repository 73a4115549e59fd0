"""The load: N concurrent conversations over Rasa's REST channel, and what it measured.

A conversation is a fixed number of user messages taken from scenario files (the format of
`spinecare.scenarios`: user says / bot must), so every reply is also checked. Conversation k
replays scenario k, then k+1, ... of the file(s) in one sender until it has its message count:
every scenario gets to open a conversation, and a multi-step scenario is cut only at its end,
never in the middle of the context its later steps rely on.

The pure parts (building conversations, percentiles, the summary of a level) are unit-tested
in tests/bench/ without servers.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
import uuid
from dataclasses import dataclass, field

import httpx

from spinecare.scenarios import Reply, Scenario, Step, check


def build_conversations(
    scenarios: list[Scenario],
    messages: int,
    count: int,
    last_only: frozenset[str] = frozenset(),
) -> list[list[Step]]:
    """`count` conversations of exactly `messages` steps each, chained from the scenarios.

    Scenarios named in `last_only` leave the conversation waiting for something (a form
    that takes the next message as its answer), so they are used only where they end a
    conversation and skipped where another scenario would follow them.
    """
    if not scenarios:
        raise ValueError("no scenarios to replay")
    if messages < 1:
        raise ValueError("a conversation needs at least one message")
    if all(s.name in last_only for s in scenarios):
        raise ValueError("every scenario is last-only: nothing can open a conversation")
    conversations = []
    for k in range(count):
        steps: list[Step] = []
        index = k
        while len(steps) < messages:
            scenario = scenarios[index % len(scenarios)]
            index += 1
            if scenario.name in last_only and len(steps) + len(scenario.steps) < messages:
                continue
            steps.extend(scenario.steps)
        conversations.append(steps[:messages])
    return conversations


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) with linear interpolation between ranks (numpy's default)."""
    if not values:
        return math.nan
    if not 0 <= q <= 1:
        raise ValueError("q must be between 0 and 1")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class LevelResult:
    """Raw outcome of one load level against one bot."""

    concurrency: int
    conversations: int
    wall_seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    http_errors: int = 0
    scenario_errors: int = 0
    not_sent: int = 0
    examples: list[str] = field(default_factory=list)
    # CPU seconds used by each server process during the level (from /proc), if known.
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    # CPU seconds used on the machine by everything else (other users, this client).
    other_cpu_seconds: float | None = None

    def summary(self) -> dict:
        answered = len(self.latencies_ms)
        sent = answered + self.http_errors
        row = {
            "concurrency": self.concurrency,
            "conversations": self.conversations,
            "messages": sent,
            "wall_s": round(self.wall_seconds, 2),
            "throughput_msg_s": round(answered / self.wall_seconds, 2) if self.wall_seconds else 0,
            "p50_ms": _round(percentile(self.latencies_ms, 0.50)),
            "p95_ms": _round(percentile(self.latencies_ms, 0.95)),
            "p99_ms": _round(percentile(self.latencies_ms, 0.99)),
            "max_ms": _round(max(self.latencies_ms)) if self.latencies_ms else None,
            "http_errors": self.http_errors,
            "scenario_errors": self.scenario_errors,
            "not_sent": self.not_sent,
            "errors": self.http_errors + self.scenario_errors + self.not_sent,
        }
        for name, seconds in self.cpu_seconds.items():
            row[f"cpu_ms_per_msg_{name}"] = (
                round(1000 * seconds / answered, 1) if answered else None
            )
        if self.other_cpu_seconds is not None and self.wall_seconds:
            row["other_cpu_cores"] = round(self.other_cpu_seconds / self.wall_seconds, 2)
        if self.examples:
            row["error_examples"] = self.examples[:10]
        return row


def _round(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 1)


async def _converse(
    client: httpx.AsyncClient,
    url: str,
    steps: list[Step],
    sender: str,
    result: LevelResult,
    deadline: float,
) -> None:
    for number, step in enumerate(steps, start=1):
        if time.monotonic() > deadline:
            result.not_sent += len(steps) - number + 1
            return
        started = time.perf_counter()
        try:
            response = await client.post(url, json={"sender": sender, "message": step.user})
            response.raise_for_status()
            reply = Reply(response.json())
        except (httpx.HTTPError, ValueError) as error:
            result.http_errors += 1
            result.examples.append(f"{step.user!r}: {type(error).__name__}: {error}"[:300])
            continue
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        problems = check(reply, step.bot_must)
        if problems:
            result.scenario_errors += 1
            result.examples.append(
                f"step {number} {step.user!r}: {problems[0]}; got {reply.text!r}"[:300]
            )


async def run_level(
    rasa_url: str,
    conversations: list[list[Step]],
    concurrency: int,
    label: str = "bench",
    timeout: float = 60.0,
    max_seconds: float = 300.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> LevelResult:
    """Replay the conversations with `concurrency` of them in flight at any time (closed loop).

    Each worker takes the next conversation when its current one ends, so exactly
    `concurrency` conversations are active until the queue runs dry. Bounded: no request
    waits more than `timeout`, and no conversation starts a message after `max_seconds`.
    """
    url = f"{rasa_url}/webhooks/rest/webhook"
    result = LevelResult(concurrency=concurrency, conversations=len(conversations), wall_seconds=0)
    queue: asyncio.Queue[tuple[int, list[Step]]] = asyncio.Queue()
    for item in enumerate(conversations):
        queue.put_nowait(item)
    run_id = uuid.uuid4().hex[:8]
    deadline = time.monotonic() + max_seconds
    limits = httpx.Limits(
        max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4
    )

    async with httpx.AsyncClient(timeout=timeout, limits=limits, transport=transport) as client:

        async def worker() -> None:
            while True:
                try:
                    number, steps = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                sender = f"{label}-{concurrency}-{run_id}-{number}"
                await _converse(client, url, steps, sender, result, deadline)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.wall_seconds = time.perf_counter() - started
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # /proc reports CPU time in these


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far, from /proc (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After "pid (comm)": state is field 3, utime 14 and stime 15 (1-based in proc(5)).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time all cores spent busy so far (everything in /proc/stat's cpu line but idle)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS
