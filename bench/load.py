"""`make bench`: this assistant against Rasa's own example bot, under the same load, in one run.

Starts both on free loopback ports: our action server + Rasa server (through
`spinecare.devserver.start`, wired exactly as `make run` wires them) and the stock
`rasa init` bot's Rasa server (trained once with the same venv, cached under
build/stock-bot/). Then, for each concurrency level (1, 5, 10, 20, 50 by default),
replays the same number of conversations of the same length against one bot and then
the other (who goes first rotates per level), so both are measured back to back under
the same conditions of this shared machine.

Each conversation is `--messages` user messages from scenario files (user says / bot
must): ours from tests/scenarios (the files the end-to-end tests assert), the stock
bot's from bench/scenarios/stock.yml. Reported per bot and level: throughput (answered
messages per second), p50/p95/p99 latency, CPU milliseconds per message of the bot's
server processes (less noisy than wall time on a shared machine), errors (HTTP errors,
timeouts, and replies that break the scenario), and how many cores other processes took
meanwhile. Then the ratio ours/stock at 20 conversations and the issue's targets. Writes
results/bench.json and results/bench.png (the servers' output: results/bench-servers.log).

Bounded: every request times out, every level has a time limit, and the servers are
stopped on exit, on Ctrl-C and on SIGTERM.

Experiments (issue 13's candidate cuts): `--variants FILE` starts more copies of our stack,
each with its own environment, action-endpoint options or model (see
bench/experiments/*.yml), and measures them in the same rotation, reported against our
unchanged bot and the stock bot.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import signal
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO
from unittest import mock

import yaml

from bench import loadgen, report, stock
from spinecare import devserver, settings
from spinecare.scenarios import load_scenarios

SCENARIOS = settings.PROJECT_ROOT / "tests" / "scenarios"
RESULTS = settings.PROJECT_ROOT / "results"
OURS, STOCK = "spinecare", "stock"
DEFAULT_LEVELS = (1, 5, 10, 20, 50)
# Scenarios of tests/scenarios that leave a form waiting for its answer (asking for a person
# starts the call-back request), so the next message would be taken as that answer: they only
# ever end a benchmark conversation. tests/bench checks that each name still exists.
ENDS_CONVERSATION = frozenset({"asking for a person gives the practice's phone number and hours"})


@dataclasses.dataclass(frozen=True)
class Variant:
    """How to start one copy of our stack: a name and what differs from `make run`."""

    name: str
    rasa_env: dict[str, str] = dataclasses.field(default_factory=dict)
    action_endpoint: dict[str, object] = dataclasses.field(default_factory=dict)
    model: Path | None = None


@dataclasses.dataclass
class Bot:
    name: str
    url: str
    scenarios: list
    stack: devserver.Stack
    pids: dict[str, int]  # process name -> pid of the server processes that do its work
    last_only: frozenset[str] = frozenset()

    def conversations(self, messages: int, count: int) -> list:
        return loadgen.build_conversations(self.scenarios, messages, count, self.last_only)


def key_values(items: list[str]) -> dict[str, str]:
    """["A=1", "B=x"] -> {"A": "1", "B": "x"}."""
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {item!r}")
        pairs[key] = value
    return pairs


def load_variants(path: Path) -> list[Variant]:
    """Variants from a YAML list of {name, rasa_env, action_endpoint, model}."""
    variants = []
    for raw in yaml.safe_load(path.read_text()) or []:
        unknown = set(raw) - {"name", "rasa_env", "action_endpoint", "model"}
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)} in variant {raw.get('name')}")
        model = raw.get("model")
        variants.append(
            Variant(
                name=str(raw["name"]),
                rasa_env={k: str(v) for k, v in (raw.get("rasa_env") or {}).items()},
                action_endpoint=dict(raw.get("action_endpoint") or {}),
                model=(settings.PROJECT_ROOT / model) if model else None,
            )
        )
    names = [v.name for v in variants]
    if len(set(names)) != len(names) or OURS in names or STOCK in names:
        raise ValueError(f"{path}: variant names must be unique and not {OURS!r} or {STOCK!r}")
    return variants


def conversations_per_level(concurrency: int, per_worker: int, minimum: int) -> int:
    """Enough conversations that every worker runs several and small levels still sample well."""
    return max(minimum, per_worker * concurrency)


def rotation(names: list[str], turn: int) -> list[str]:
    """The order in which the bots run at one level: shifted by one each level."""
    if not names:
        return []
    shift = turn % len(names)
    return names[shift:] + names[:shift]


def group_cpu_seconds(pid: int) -> float:
    """CPU seconds of a server and every process in its session (it was started as leader)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) == pid:
                total += loadgen.process_cpu_seconds(int(entry.name))
        except (ProcessLookupError, PermissionError):
            continue
    return total


def other_cpu_cores(all_pids: list[int], seconds: float = 1.0) -> float:
    """Cores that processes other than our servers (and this client) use right now."""
    servers, machine, client = (
        sum(group_cpu_seconds(p) for p in all_pids),
        loadgen.machine_busy_seconds(),
        time.process_time(),
    )
    time.sleep(seconds)
    used = (
        loadgen.machine_busy_seconds()
        - machine
        - (sum(group_cpu_seconds(p) for p in all_pids) - servers)
        - (time.process_time() - client)
    )
    return max(0.0, used / seconds)


def wait_for_quiet(all_pids: list[int], below: float, max_wait: float) -> None:
    """Wait (at most `max_wait` s) until others use less than `below` cores: fewer outliers."""
    deadline = time.monotonic() + max_wait
    waited = False
    while time.monotonic() < deadline:
        cores = other_cpu_cores(all_pids)
        if cores < below:
            break
        if not waited:
            print(f"  (other processes use {cores:.1f} cores; waiting up to {max_wait:.0f} s)")
            waited = True


def measure(bot: Bot, all_pids: list[int], conversations, concurrency: int, args):
    """One level against one bot, with the CPU its processes and the rest of the machine used."""
    before = {name: group_cpu_seconds(pid) for name, pid in bot.pids.items()}
    servers_before = sum(group_cpu_seconds(pid) for pid in all_pids)
    machine_before, client_before = loadgen.machine_busy_seconds(), time.process_time()
    result = asyncio.run(
        loadgen.run_level(
            bot.url,
            conversations,
            concurrency,
            label=bot.name,
            timeout=args.timeout,
            max_seconds=args.level_seconds,
        )
    )
    result.cpu_seconds = {
        name: group_cpu_seconds(pid) - before[name] for name, pid in bot.pids.items()
    }
    servers = sum(group_cpu_seconds(pid) for pid in all_pids) - servers_before
    client = time.process_time() - client_before
    result.other_cpu_seconds = max(
        0.0, loadgen.machine_busy_seconds() - machine_before - servers - client
    )
    return result


def merge(results: list[loadgen.LevelResult]) -> loadgen.LevelResult:
    """Pool the repeats of one level: all latencies, summed wall time, errors and CPU."""
    first = results[0]
    return loadgen.LevelResult(
        concurrency=first.concurrency,
        conversations=sum(r.conversations for r in results),
        wall_seconds=sum(r.wall_seconds for r in results),
        latencies_ms=[ms for r in results for ms in r.latencies_ms],
        http_errors=sum(r.http_errors for r in results),
        scenario_errors=sum(r.scenario_errors for r in results),
        not_sent=sum(r.not_sent for r in results),
        examples=[e for r in results for e in r.examples],
        cpu_seconds={k: sum(r.cpu_seconds.get(k, 0.0) for r in results) for k in first.cpu_seconds},
        other_cpu_seconds=sum(r.other_cpu_seconds or 0.0 for r in results),
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        default=",".join(map(str, DEFAULT_LEVELS)),
        help="concurrency levels, comma-separated (default %(default)s)",
    )
    parser.add_argument("--messages", type=int, default=4, help="user messages per conversation")
    parser.add_argument(
        "--per-worker",
        type=int,
        default=3,
        help="conversations per concurrent worker at each level",
    )
    parser.add_argument(
        "--min-conversations",
        type=int,
        default=30,
        help="at least this many conversations per level",
    )
    parser.add_argument(
        "--repeats", type=int, default=1, help="sweep the levels this many times (results pooled)"
    )
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured conversations first")
    parser.add_argument(
        "--bots",
        default=f"{OURS},{STOCK}",
        help="which of ours and stock to run (variants always run)",
    )
    parser.add_argument("--variants", type=Path, help="YAML file of variants of our stack")
    parser.add_argument("--model", type=Path, help="our model (default: the current one)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument(
        "--start-timeout", type=float, default=600.0, help="seconds for all bots to answer"
    )
    parser.add_argument(
        "--level-seconds",
        type=float,
        default=240.0,
        help="no new message after this many seconds of a level",
    )
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.5,
        help="before each measurement wait until others use fewer cores",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=20.0,
        help="...but no longer than this many seconds (0: never wait)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "bench.json")
    parser.add_argument("--plot", type=Path, default=RESULTS / "bench.png")
    args = parser.parse_args(argv)  # fmt: skip
    args.level_list = [int(x) for x in args.levels.split(",") if x.strip()]
    aliases = {"ours": OURS, OURS: OURS, STOCK: STOCK}
    args.bot_list = [aliases[b.strip()] for b in args.bots.split(",") if b.strip()]
    args.variant_list = load_variants(args.variants) if args.variants else []
    return args


def _start_ours(variant: Variant, tmp: Path, log: IO[str]) -> Bot:
    from spinecare.training import train_if_needed

    model = variant.model or train_if_needed()
    conf = dataclasses.replace(
        settings.load(),
        rasa_port=devserver.free_port(),
        actions_port=devserver.free_port(),
        database_url=f"sqlite:///{tmp}/{variant.name}.db",
        tracker_store_url=f"sqlite:///{tmp}/{variant.name}-conversations.db",
    )
    print(f"Starting {variant.name} ({model.name}) ...", flush=True)
    with mock.patch.dict(os.environ, variant.rasa_env):
        stack = devserver.start(
            conf, model, webchat=False, console=False, dispatcher=False, log=log,
            action_endpoint_extra=variant.action_endpoint, wait=False,
        )  # fmt: skip
    pids = {s.name.replace(" ", "_"): s.process.pid for s in stack.services}
    return Bot(
        variant.name,
        conf.rasa_url,
        load_scenarios(SCENARIOS),
        stack,
        pids,
        last_only=ENDS_CONVERSATION,
    )


def _start_stock(log: IO[str]) -> Bot:
    project = stock.ensure_trained(log)
    conf = dataclasses.replace(settings.load(), rasa_port=devserver.free_port())
    print("Starting the stock bot ...", flush=True)
    stack = stock.start(project, conf, conf.rasa_port, log, wait=False)
    pids = {"rasa_server": stack.services[0].process.pid}
    return Bot(STOCK, conf.rasa_url, load_scenarios(stock.SCENARIOS), stack, pids)


def wait_until_ready(bots: list[Bot], timeout: float) -> None:
    services = [service for bot in bots for service in bot.stack.services]
    with ThreadPoolExecutor(max_workers=max(1, len(services))) as pool:
        futures = [pool.submit(devserver.wait_ready, service, timeout) for service in services]
        for future in futures:
            future.result()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> dict[str, list[dict]]:
    """Start every bot, sweep the levels in rotation, stop every bot; rows per bot name."""
    bots: dict[str, Bot] = {}
    raw: dict[str, dict[int, list[loadgen.LevelResult]]] = {}
    with tempfile.TemporaryDirectory(prefix="spinecare-bench-") as tmp:
        log_path = args.out.with_name(args.out.stem + "-servers.log")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open("w")
        try:
            if STOCK in args.bot_list:
                stock.ensure_trained(log)  # before anything else loads: it trains once
            # Every bot's servers load at the same time (on both cores) instead of one
            # after the other; wait_until_ready waits for all of them.
            if OURS in args.bot_list:
                bots[OURS] = _start_ours(Variant(OURS, model=args.model), Path(tmp), log)
            for variant in args.variant_list:
                bots[variant.name] = _start_ours(variant, Path(tmp), log)
            if STOCK in args.bot_list:
                bots[STOCK] = _start_stock(log)
            print(f"Waiting until {len(bots)} bots answer ...", flush=True)
            wait_until_ready(list(bots.values()), args.start_timeout)
            all_pids = [pid for bot in bots.values() for pid in bot.pids.values()]
            for bot in bots.values():
                warm = bot.conversations(args.messages, args.warmup)
                asyncio.run(loadgen.run_level(bot.url, warm, min(5, args.warmup), label="warmup"))
            names = list(bots)
            turn = 0
            for repeat in range(args.repeats):
                for level in args.level_list:
                    count = conversations_per_level(level, args.per_worker, args.min_conversations)
                    for name in rotation(names, turn):
                        bot = bots[name]
                        if args.quiet_wait > 0:
                            wait_for_quiet(all_pids, args.quiet_below, args.quiet_wait)
                        conversations = bot.conversations(args.messages, count)
                        result = measure(bot, all_pids, conversations, level, args)
                        raw.setdefault(name, {}).setdefault(level, []).append(result)
                        row = result.summary()
                        print(
                            f"[{repeat + 1}/{args.repeats}] {name:>14} {level:>3} conv: "
                            f"{row['throughput_msg_s']:6.1f} msg/s  p50 {row['p50_ms']:>7} "
                            f"p95 {row['p95_ms']:>7} p99 {row['p99_ms']:>7} ms  "
                            f"errors {row['errors']}  others used {row.get('other_cpu_cores')} "
                            "cores",
                            flush=True,
                        )
                    turn += 1
        except BaseException:
            log.flush()
            print("Server log tail:\n" + log_path.read_text()[-3000:], flush=True)
            raise
        finally:
            for bot in bots.values():
                bot.stack.stop()
            log.close()
    return {
        name: [merge(results).summary() for _, results in sorted(levels.items())]
        for name, levels in raw.items()
    }


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    rows = run(args)
    ours_rows, stock_rows = rows.get(OURS, []), rows.get(STOCK, [])
    variants = {v.name: rows[v.name] for v in args.variant_list if v.name in rows}
    output = {
        "started_at": started_at,
        "machine": {"cores": os.cpu_count(), "loadavg_after": os.getloadavg()},
        "load": {
            "levels": args.level_list,
            "messages_per_conversation": args.messages,
            "conversations_per_level": {
                str(level): conversations_per_level(level, args.per_worker, args.min_conversations)
                * args.repeats
                for level in args.level_list
            },
            "repeats": args.repeats,
            "channel": "REST /webhooks/rest/webhook, closed loop",
        },
        "bots": rows,
        "variants": {
            v.name: {
                "rasa_env": v.rasa_env,
                "action_endpoint": v.action_endpoint,
                "model": str(v.model) if v.model else "current",
            }
            for v in args.variant_list
        },
    }
    if ours_rows and stock_rows:
        output["ratio_ours_over_stock"] = report.ratios_at(ours_rows, stock_rows)
        output["targets"] = [
            {"target": t, "measured": m, "met": ok}
            for t, m, ok in report.targets(ours_rows, stock_rows)
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(output, indent=2))
    print()
    if ours_rows and stock_rows:
        print(report.summary_text(ours_rows, stock_rows, (OURS, STOCK)))
    if variants:
        print()
        print(report.variants_table(variants, ours_rows, stock_rows))
    if rows:
        report.plot(rows, args.plot)
        print(f"\nWrote {args.out} and {args.plot}")
    return output


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("Interrupted; servers stopped.")
        raise SystemExit(130) from None
