"""How many action-server round trips a user message costs, and how big each request is.

Starts our stack with Rasa's action endpoint pointed at a small counting proxy in this
process, which forwards every call to the real action server and records the action's
name, the request and response sizes and whether the domain was sent. Then replays the
benchmark conversations one at a time. `--action-endpoint enable_selective_domain=true`
shows what that option changes (the proxy always forwards to the real action server).

    python -m bench.action_calls [--conversations 40] [--action-endpoint KEY=VALUE]

Writes results/action_calls.json and prints a table per action.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import json
import tempfile
from pathlib import Path

import yaml

from bench import loadgen
from bench.load import ENDS_CONVERSATION, SCENARIOS, key_values
from spinecare import devserver, settings
from spinecare.scenarios import load_scenarios

OUT = settings.PROJECT_ROOT / "results" / "action_calls.json"


@dataclasses.dataclass
class Call:
    action: str
    request_bytes: int
    response_bytes: int
    domain_sent: bool
    tracker_events: int


def describe(body: bytes) -> tuple[str, bool, int]:
    """(action name, whether the domain was sent, tracker events) of one action-server call."""
    data = json.loads(body)
    events = (data.get("tracker") or {}).get("events") or []
    return str(data.get("next_action")), "domain" in data, len(events)


def summarise(calls: list[Call], messages: int) -> dict:
    by_action: dict[str, list[Call]] = collections.defaultdict(list)
    for call in calls:
        by_action[call.action].append(call)

    def stats(group: list[Call]) -> dict:
        return {
            "calls": len(group),
            "calls_per_message": round(len(group) / messages, 3) if messages else None,
            "mean_request_kb": round(sum(c.request_bytes for c in group) / len(group) / 1024, 1),
            "mean_response_kb": round(sum(c.response_bytes for c in group) / len(group) / 1024, 2),
            "domain_sent": sum(c.domain_sent for c in group),
            "mean_tracker_events": round(sum(c.tracker_events for c in group) / len(group), 1),
        }

    return {
        "messages": messages,
        "total": stats(calls) if calls else {"calls": 0},
        "by_action": {name: stats(group) for name, group in sorted(by_action.items())},
    }


async def _replay_through_proxy(conf, target_url: str, proxy_port: int, conversations) -> tuple:
    from aiohttp import ClientSession, web

    calls: list[Call] = []

    async with ClientSession() as session:

        async def forward(request: web.Request) -> web.Response:
            body = await request.read()
            async with session.post(
                target_url, data=body, headers={"Content-Type": "application/json"}
            ) as upstream:
                answer = await upstream.read()
                status = upstream.status
            action, domain_sent, events = describe(body)
            calls.append(Call(action, len(body), len(answer), domain_sent, events))
            return web.Response(body=answer, status=status, content_type="application/json")

        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/webhook", forward)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, conf.host, proxy_port).start()
        try:
            result = await loadgen.run_level(conf.rasa_url, conversations, 1, label="calls")
        finally:
            await runner.cleanup()
    return result, calls


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--messages", type=int, default=4, help="user messages per conversation")
    parser.add_argument("--action-endpoint", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from spinecare.training import train_if_needed

    options = {k: yaml.safe_load(v) for k, v in key_values(args.action_endpoint).items()}
    conversations = loadgen.build_conversations(
        load_scenarios(SCENARIOS), args.messages, args.conversations, ENDS_CONVERSATION
    )
    model = train_if_needed()
    with tempfile.TemporaryDirectory(prefix="spinecare-calls-") as tmp:
        conf = dataclasses.replace(
            settings.load(),
            rasa_port=devserver.free_port(),
            actions_port=devserver.free_port(),
            database_url=f"sqlite:///{tmp}/calls.db",
            # Conversations of their own: a rerun must not carry on the last run's.
            tracker_store_url=f"sqlite:///{tmp}/conversations.db",
        )
        proxy_port = devserver.free_port()
        options["url"] = f"http://{conf.host}:{proxy_port}/webhook"
        target = f"http://{conf.host}:{conf.actions_port}/webhook"
        with (Path(tmp) / "log").open("w") as log:
            # devserver waits for the Rasa server only, which does not call actions
            # before the first message, so the proxy can start afterwards.
            stack = devserver.start(
                conf, model, webchat=False, console=False, dispatcher=False, log=log,
                action_endpoint_extra=options,
            )  # fmt: skip
            try:
                result, calls = asyncio.run(
                    _replay_through_proxy(conf, target, proxy_port, conversations)
                )
            finally:
                stack.stop()
    summary = summarise(calls, len(result.latencies_ms))
    summary["action_endpoint"] = {k: v for k, v in options.items() if k != "url"}
    summary["errors"] = result.http_errors + result.scenario_errors
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2))
    print(f"{summary['messages']} user messages, {summary['errors']} errors, options {options}")
    print("| action | calls per user message | request KB | domain sent | tracker events |")
    print("| --- | --- | --- | --- | --- |")
    for name, row in [("(all)", summary["total"]), *summary["by_action"].items()]:
        if not row.get("calls"):
            continue
        print(
            f"| {name} | {row['calls_per_message']} | {row['mean_request_kb']} | "
            f"{row['domain_sent']}/{row['calls']} | {row['mean_tracker_events']} |"
        )
    return summary


if __name__ == "__main__":
    main()
