"""Running one coroutine from a synchronous test.

Always in a thread of its own: Playwright's sync API (the browser tests, whose browser
is shared by the whole session) keeps an event loop running in the main thread, where
asyncio.run() refuses to start, so a plain asyncio.run() passes alone and fails in the
full suite.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to completion in a fresh loop on a fresh thread; return its result."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
