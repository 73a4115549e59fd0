"""Sliding-window rate limits: at most N events per key in the last W seconds.

Why in memory, per process: one Rasa server and one action server serve a practice
today, and a limit must never make a reply fail (a Redis outage would). The counts
live in the process that enforces them (messages and new sessions: the Rasa
server's channels; stored requests: the action server) and reset when it restarts.
With several Rasa replicas (issue 13) each replica would count on its own, letting
N times the limit through; `Limiter` is the seam to swap for a shared counter, e.g.
Redis `INCR` + `EXPIRE` on `<name>:<key>:<window start>` (docs/security.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

# Message metadata key under which the channels put {"ip_hash": <keyed hash>} (never an IP).
CLIENT_METADATA_KEY = "spinecare_client"


class Limiter:
    """Thread-safe; a limit of 0 allows everything. Remembers at most `max_keys` keys."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Count one event for `key`; False (and not counted) when over the limit."""
        if self.limit <= 0:
            return True
        now = self._clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
                while len(self._hits) > self._max_keys:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            while hits and hits[0] <= now - self.window_seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True
