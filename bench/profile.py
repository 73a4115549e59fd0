"""`make profile`: where a loaded Rasa server spends its time, component by component.

Starts our stack as `make bench` does, warms it up, then samples the Rasa server (and the
action server) with py-spy while `--concurrency` conversations (20 by default) replay the
scenarios. Every sampled stack of the Rasa server's main thread, which runs the event loop,
the whole dask graph (NLU and policies) and the HTTP handling, is put in one category:

- a graph node (NLU component or policy): the method the node called, so ResponseSelector
  is not mistaken for the DIETClassifier code it inherits;
- otherwise the first matching subsystem: tracker store, lock store, the action-server
  call (building its JSON request, the HTTP round trip), NLG, the REST channel, JSON
  serialisation, Sanic, the processor, the graph runner.

The main thread's busy share of the wall time says how saturated the event loop is; the
other threads (TensorFlow's pools, aiohttp's resolver) are counted from /proc apart.

Writes results/profile/: the raw py-spy stacks (`*.raw.txt`, collapsed format: load them
in speedscope or flamegraph.pl), `breakdown.json` and `breakdown.md` (the README table).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench import loadgen
from bench.load import ENDS_CONVERSATION, SCENARIOS, key_values
from spinecare import devserver, settings
from spinecare.scenarios import load_scenarios

OUT = settings.PROJECT_ROOT / "results" / "profile"

# Graph components (the file of the method a GraphNode called) -> label.
GRAPH_NODES = [
    ("rasa/nlu/utils/spacy_utils.py",
     "NLU: SpacyNLP (our spaCy pipeline: tokenizer, lemmatizer, entity_ruler)"),
    ("rasa/nlu/tokenizers/", "NLU: SpacyTokenizer"),
    ("rasa/nlu/extractors/spacy_entity_extractor.py", "NLU: SpacyEntityExtractor"),
    ("rasa/nlu/featurizers/sparse_featurizer/regex_featurizer.py", "NLU: RegexFeaturizer"),
    ("rasa/nlu/featurizers/sparse_featurizer/lexical_syntactic_featurizer.py",
     "NLU: LexicalSyntacticFeaturizer"),
    ("rasa/nlu/featurizers/sparse_featurizer/count_vectors_featurizer.py",
     "NLU: CountVectorsFeaturizer (word + char n-grams)"),
    ("rasa/nlu/selectors/response_selector.py", "NLU: ResponseSelector"),
    ("rasa/nlu/classifiers/diet_classifier.py", "NLU: DIETClassifier"),
    ("rasa/nlu/extractors/entity_synonyms.py", "NLU: EntitySynonymMapper"),
    ("rasa/nlu/classifiers/fallback_classifier.py", "NLU: FallbackClassifier"),
    ("rasa/nlu/classifiers/regex_message_handler.py",
     "NLU: RegexMessageHandler (/intent payloads)"),
    ("addons/red_flag_detector.py", "NLU: RedFlagDetector (ours)"),
    ("rasa/core/policies/rule_policy.py", "Policy: RulePolicy"),
    ("rasa/core/policies/memoization.py", "Policy: MemoizationPolicy"),
    ("rasa/core/policies/ted_policy.py", "Policy: TEDPolicy"),
    ("rasa/core/policies/ensemble.py", "Policy: ensemble (picks the winner)"),
    ("rasa/graph_components/", "Graph: converters and providers (domain, message, tracker)"),
]  # fmt: skip

# Outside a graph node: the first rule that any frame of the stack matches, in this order
# (inner subsystems before the outer layers every stack passes through).
SUBSYSTEMS = [
    (r"rasa/core/tracker_store\.py", "Tracker store (retrieve, save, serialise)"),
    (r"rasa/core/lock_store\.py", "Lock store"),
    (r"jsonschema/|^_validate_action_result ",
     "Action call: validating the response (jsonschema, schema re-checked every call)"),
    (r"^_action_call_format ", "Action call: request body (tracker state + domain as dicts)"),
    (r"rasa/utils/endpoints\.py|aiohttp/", "Action call: HTTP round trip (aiohttp, JSON)"),
    (r"rasa/core/actions/", "Actions: other (events, forms, responses of actions)"),
    (r"rasa/core/nlg/", "NLG: filling responses"),
    (r"(^|/)json/|ujson|orjson|rasa/shared/core/events\.py", "Serialisation (JSON, events)"),
    (r"rasa/shared/core/trackers\.py|rasa/shared/core/domain\.py|(^|/)copy\.py",
     "Tracker and domain bookkeeping (copies, states)"),
    (r"rasa/engine/|dask/", "Graph runner (dask scheduling, graph nodes)"),
    (r"rasa/core/processor\.py|rasa/core/agent\.py", "Processor (other)"),
    (r"rasa/core/channels/", "REST channel (parse request, collect replies)"),
    (r"sanic/|httptools|uvloop", "HTTP server (Sanic)"),
    (r"asyncio/", "asyncio"),
]  # fmt: skip

# A sample whose innermost Python frame is one of these is the event loop waiting (uvloop runs
# in C under Sanic's `serve`, so py-spy cannot tell idle from busy there by itself).
IDLE_LEAVES = re.compile(
    r"^(serve \(sanic/server/runners\.py|select \(selectors\.py|_run_once \(asyncio/|"
    r"run_forever \(asyncio/|wait \(threading\.py|_worker \(concurrent/)"
)

ACTION_SERVER = [
    (r"/actions/(\w+)\.py", None),  # -> "Our actions: <module>"
    (r"spinecare/", "spinecare package (validators, storage, settings)"),
    (r"sqlalchemy/", "SQLAlchemy"),
    (r"rasa_sdk/forms\.py", "rasa_sdk forms"),
    (r"rasa_sdk/", "rasa_sdk (executor, tracker parsing)"),
    (r"(^|/)json/|ujson", "Serialisation (JSON)"),
    (r"sanic/|httptools|uvloop", "HTTP server (Sanic)"),
]

MAIN_THREAD = "main thread (event loop)"
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def parse_collapsed(text: str) -> collections.Counter:
    """py-spy's raw (collapsed) output: 'frame;frame;...;leaf COUNT' per line, root first."""
    stacks: collections.Counter = collections.Counter()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        stacks[tuple(stack.split(";"))] += int(count)
    return stacks


def thread_of(stack: tuple[str, ...]) -> str | None:
    """The thread label py-spy's --threads put first, e.g. 'thread (0x7F..)' or None."""
    return stack[0] if stack and stack[0].startswith(("thread ", "process ")) else None


def classify(stack: tuple[str, ...]) -> str:
    """The category of one Rasa server stack (root first)."""
    for index, frame in enumerate(stack[:-1]):
        if frame.startswith("__call__ (rasa/engine/graph.py"):
            called = stack[index + 1]
            for path, label in GRAPH_NODES:
                if path in called:
                    return label
            match = FRAME.match(called)
            return f"Graph: {Path(match['file']).stem if match else called}"
    for pattern, label in SUBSYSTEMS:
        regex = re.compile(pattern)
        if any(regex.search(frame) for frame in stack):
            return label
    return "Other"


def is_idle(stack: tuple[str, ...]) -> bool:
    return bool(stack) and bool(IDLE_LEAVES.match(stack[-1]))


def classify_action_server(stack: tuple[str, ...]) -> str:
    for pattern, label in ACTION_SERVER:
        regex = re.compile(pattern)
        for frame in reversed(stack):
            match = regex.search(frame)
            if match:
                return label or f"Our actions: actions/{match.group(1)}.py"
    return "Other"


def main_thread_stacks(stacks: collections.Counter, pid: int = 0) -> collections.Counter:
    """The samples of the main thread (the event loop), without the thread label."""
    labels = {thread_of(s) for s in stacks}
    if labels == {None}:
        return stacks
    main = [label for label in labels if label and "MainThread" in label]
    if not main:  # py-spy names threads by id: the main thread's has the most samples
        totals = collections.Counter()
        for stack, count in stacks.items():
            totals[thread_of(stack)] += count
        main = [totals.most_common(1)[0][0]]
    return collections.Counter({s[1:]: c for s, c in stacks.items() if thread_of(s) in main})


def breakdown(
    stacks: collections.Counter, classifier, cpu_ms_per_message: float | None
) -> list[dict]:
    """Categories by share of the busy samples, and the CPU per message that share stands for.

    Idle samples (the loop waiting) are left out. Shares of wall-clock samples are turned into
    CPU milliseconds with the thread's CPU time per message from /proc, which, unlike wall
    time, does not grow when other processes hold the cores.
    """
    totals: collections.Counter = collections.Counter()
    for stack, count in stacks.items():
        if not is_idle(stack):
            totals[classifier(stack)] += count
    total = sum(totals.values()) or 1
    return [
        {
            "category": category,
            "samples": count,
            "share": round(count / total, 4),
            "cpu_ms_per_message": None
            if cpu_ms_per_message is None
            else round(cpu_ms_per_message * count / total, 2),
        }
        for category, count in totals.most_common()
    ]


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds so far of each thread of a process, grouped by thread name."""
    by_name: dict[str, float] = collections.defaultdict(float)
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return {}
    for tid in tids:
        try:
            name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        label = MAIN_THREAD if tid == str(pid) else re.sub(r"\d+$", "#", name)
        by_name[label] += (int(fields[11]) + int(fields[12])) / loadgen.CLOCK_TICKS
    return dict(by_name)


def _breakdown_row(row: dict) -> str:
    cpu = "-" if row["cpu_ms_per_message"] is None else f"{row['cpu_ms_per_message']:.1f}"
    return f"| {row['category']} | {100 * row['share']:.1f}% | {cpu} |"


def markdown(report: dict) -> str:
    rasa = report["rasa_server"]
    threads = ", ".join(f"{k} {v:.1f} ms" for k, v in rasa["cpu_ms_per_message_by_thread"].items())
    lines = [
        f"Rasa server under {report['concurrency']} concurrent conversations for "
        f"{report['seconds']:.0f} s: {report['messages']} messages, "
        f"{report['throughput_msg_s']:.1f} msg/s, p50 {report['p50_ms']:,.0f} ms, "
        f"p95 {report['p95_ms']:,.0f} ms, {report['errors']} errors. Its main thread (the event "
        f"loop, which also runs the NLU and policy graph) was busy in "
        f"{100 * rasa['main_thread_busy_share']:.0f}% of the samples and on a core "
        f"{100 * rasa['main_thread_cpu_share']:.0f}% of the wall time (the rest it waited for a "
        f"core: {report['other_cpu_cores']:.1f} cores went to other processes). "
        f"CPU per message: {threads}; action server "
        f"{report['action_server']['cpu_ms_per_message']:.1f} ms.",
        "",
        "| Rasa server main thread: where the time goes | share | CPU ms per message |",
        "| --- | --- | --- |",
    ]
    lines += [_breakdown_row(row) for row in rasa["breakdown"] if row["share"] >= 0.002]
    lines += ["", "| action server: where the time goes | share | CPU ms per message |",
              "| --- | --- | --- |"]  # fmt: skip
    lines += [
        _breakdown_row(row) for row in report["action_server"]["breakdown"] if row["share"] >= 0.01
    ]
    return "\n".join(lines)


def spy(pid: int, seconds: int, rate: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(devserver.VENV_BIN / "py-spy"), "record", "--pid", str(pid), "--duration",
         str(seconds), "--rate", str(rate), "--format", "raw", "--threads", "--nonblocking",
         "--output", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def record(args: argparse.Namespace) -> None:
    """Run the stack under load while py-spy samples both servers; write the raw data to --out."""
    import yaml

    from spinecare.training import train_if_needed

    endpoint_options = {k: yaml.safe_load(v) for k, v in key_values(args.action_endpoint).items()}
    env = key_values(args.rasa_env)
    model = args.model or train_if_needed()
    args.out.mkdir(parents=True, exist_ok=True)
    scenarios = load_scenarios(SCENARIOS)
    with tempfile.TemporaryDirectory(prefix="spinecare-profile-") as tmp:
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            database_url=f"sqlite:///{tmp}/profile.db",
            # Conversations of their own: a rerun must not carry on the last run's.
            tracker_store_url=f"sqlite:///{tmp}/conversations.db",
        )
        log = (Path(tmp) / "servers.log").open("w")
        with mock.patch.dict(os.environ, env):
            stack = devserver.start(
                conf, model, webchat=False, console=False, dispatcher=False, log=log,
                action_endpoint_extra=endpoint_options,
            )  # fmt: skip
        try:
            pids = {s.name: s.process.pid for s in stack.services}
            rasa_pid, actions_pid = pids["rasa server"], pids["action server"]
            warm = loadgen.build_conversations(scenarios, args.messages, 20, ENDS_CONVERSATION)
            asyncio.run(loadgen.run_level(conf.rasa_url, warm, 5, label="warmup"))
            conversations = loadgen.build_conversations(
                scenarios, args.messages, 100 * args.concurrency, ENDS_CONVERSATION
            )
            cpu_before = thread_cpu(rasa_pid)
            actions_before = loadgen.process_cpu_seconds(actions_pid)
            machine_before, client_before = loadgen.machine_busy_seconds(), time.process_time()
            spies = [
                spy(rasa_pid, args.seconds, args.rate, args.out / "rasa.raw.txt"),
                spy(actions_pid, args.seconds, args.rate, args.out / "actions.raw.txt"),
            ]
            time.sleep(0.5)  # let py-spy attach before the load starts
            result = asyncio.run(
                loadgen.run_level(
                    conf.rasa_url,
                    conversations,
                    args.concurrency,
                    label="profile",
                    max_seconds=args.seconds - 1,
                )
            )
            cpu_after = thread_cpu(rasa_pid)
            actions_cpu = loadgen.process_cpu_seconds(actions_pid) - actions_before
            client = time.process_time() - client_before
            machine = loadgen.machine_busy_seconds() - machine_before
            for proc in spies:
                _, err = proc.communicate(timeout=args.seconds + 120)
                if proc.returncode:
                    raise RuntimeError(f"py-spy failed: {err[-2000:]}")
        finally:
            stack.stop()
            log.close()
    rasa_cpu = {k: cpu_after.get(k, 0) - cpu_before.get(k, 0) for k in cpu_after}
    meta = {
        "concurrency": args.concurrency,
        "rate": args.rate,
        "rasa_pid": rasa_pid,
        "actions_pid": actions_pid,
        "load": result.summary(),
        "messages": len(result.latencies_ms),
        "wall_seconds": result.wall_seconds,
        "rasa_thread_cpu_seconds": rasa_cpu,
        "actions_cpu_seconds": actions_cpu,
        "other_cpu_seconds": max(0.0, machine - sum(rasa_cpu.values()) - actions_cpu - client),
        "variant": {"model": str(model), "rasa_env": env, "action_endpoint": endpoint_options},
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2))


def analyse(out: Path) -> dict:
    """The breakdown from what `record` wrote (rerun with --analyse-only after changing rules)."""
    meta = json.loads((out / "meta.json").read_text())
    messages, wall = meta["messages"], meta["wall_seconds"]
    main_cpu = meta["rasa_thread_cpu_seconds"].get(MAIN_THREAD, 0.0)
    main_stacks = main_thread_stacks(parse_collapsed((out / "rasa.raw.txt").read_text()), 0)
    busy = sum(c for s, c in main_stacks.items() if not is_idle(s)) / meta["rate"]
    actions_stacks = main_thread_stacks(parse_collapsed((out / "actions.raw.txt").read_text()), 0)
    per_message = (lambda seconds: round(1000 * seconds / messages, 1)) if messages else None
    load = meta["load"]
    report = {
        "concurrency": meta["concurrency"],
        "seconds": wall,
        "messages": messages,
        "throughput_msg_s": load["throughput_msg_s"],
        "p50_ms": load["p50_ms"],
        "p95_ms": load["p95_ms"],
        "errors": load["http_errors"] + load["scenario_errors"],
        "other_cpu_cores": round(meta["other_cpu_seconds"] / wall, 2),
        "rasa_server": {
            "main_thread_busy_share": round(busy / wall, 3),
            "main_thread_cpu_share": round(main_cpu / wall, 3),
            "cpu_ms_per_message_by_thread": {
                name: per_message(seconds)
                for name, seconds in sorted(
                    meta["rasa_thread_cpu_seconds"].items(), key=lambda kv: -kv[1]
                )
                if seconds > 0.05
            },
            "breakdown": breakdown(main_stacks, classify, per_message(main_cpu)),
        },
        "action_server": {
            "cpu_ms_per_message": per_message(meta["actions_cpu_seconds"]),
            "breakdown": breakdown(
                actions_stacks, classify_action_server, per_message(meta["actions_cpu_seconds"])
            ),
        },
        "variant": meta["variant"],
    }
    (out / "breakdown.json").write_text(json.dumps(report, indent=2))
    (out / "breakdown.md").write_text(markdown(report) + "\n")
    return report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60, help="sampling (and load) duration")
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument("--messages", type=int, default=4, help="user messages per conversation")
    parser.add_argument("--model", type=Path, help="our model (default: the current one)")
    parser.add_argument("--rasa-env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--action-endpoint", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--analyse-only",
        action="store_true",
        help="only recompute the breakdown from the files in --out",
    )
    args = parser.parse_args(argv)  # fmt: skip
    if not args.analyse_only:
        record(args)
    report = analyse(args.out)
    print(markdown(report))
    print(f"\nWrote {args.out}/breakdown.md, breakdown.json and the raw py-spy stacks.")
    return report


if __name__ == "__main__":
    main()
