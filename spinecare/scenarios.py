"""Conversation scenarios: what the user says and what the bot must answer.

Why one format: the end-to-end tests and the load benchmark replay the same
files (`tests/scenarios/*.yml`), so what is measured under load is exactly
what is asserted for correctness.

A scenario file is a list of scenarios:

    - name: greeting offers the main options
      steps:
        - user: hi
          bot_must:
            say: ["SpineCare assistant"]        # each phrase appears (case-insensitive)
            not_say: ["911"]                    # none of these appears
            offer: ["Start a no-cost MRI review"]  # button titles offered
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml


@dataclass(frozen=True)
class Expectation:
    say: tuple[str, ...] = ()
    not_say: tuple[str, ...] = ()
    offer: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    user: str
    bot_must: Expectation


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    source: str = ""


@dataclass
class Reply:
    """The bot's messages for one user turn, flattened for checking."""

    messages: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[str]:
        return [b.get("title", "") for m in self.messages for b in m.get("buttons") or []]


def load_scenarios(path: Path) -> list[Scenario]:
    """Read every scenario in a file or in each `*.yml` of a folder."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    scenarios = []
    for file in files:
        for raw in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            steps = tuple(
                Step(
                    user=str(step["user"]),
                    bot_must=Expectation(
                        **{k: tuple(v) for k, v in (step.get("bot_must") or {}).items()}
                    ),
                )
                for step in raw["steps"]
            )
            scenarios.append(Scenario(name=raw["name"], steps=steps, source=file.name))
    return scenarios


def check(reply: Reply, expected: Expectation) -> list[str]:
    """The ways `reply` breaks `expected`; empty when it meets it."""
    problems = []
    text = reply.text.lower()
    for phrase in expected.say:
        if phrase.lower() not in text:
            problems.append(f"expected {phrase!r} in the reply")
    for phrase in expected.not_say:
        if phrase.lower() in text:
            problems.append(f"did not expect {phrase!r} in the reply")
    for title in expected.offer:
        if title not in reply.buttons:
            problems.append(f"expected a button {title!r}, got {reply.buttons}")
    if expected.any_of and not any(p.lower() in text for p in expected.any_of):
        problems.append(f"expected one of {list(expected.any_of)} in the reply")
    if not reply.messages:
        problems.append("the bot said nothing")
    return problems


class RestConversation:
    """One conversation with the Rasa server over its REST channel.

    `token`: the REST channel's bearer token (SPINECARE_REST_TOKEN), when it has one.
    """

    def __init__(
        self,
        rasa_url: str,
        client: httpx.Client,
        sender: str | None = None,
        token: str | None = None,
    ):
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.client = client
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def say(self, text: str) -> Reply:
        response = self.client.post(
            self.url, json={"sender": self.sender, "message": text}, headers=self.headers
        )
        response.raise_for_status()
        return Reply(response.json())


def run_scenario(scenario: Scenario, rasa_url: str, client: httpx.Client) -> list[str]:
    """Replay a scenario in a fresh conversation; returns the problems found, step by step."""
    conversation = RestConversation(rasa_url, client)
    problems = []
    for number, step in enumerate(scenario.steps, start=1):
        reply = conversation.say(step.user)
        for problem in check(reply, step.bot_must):
            problems.append(f"step {number} ({step.user!r}): {problem}; bot said: {reply.text!r}")
    return problems
