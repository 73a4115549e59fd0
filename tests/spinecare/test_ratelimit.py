"""The sliding-window limiter the channels and the action server count with."""

from __future__ import annotations

from spinecare.ratelimit import Limiter


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_at_most_n_per_window_per_key_then_the_window_slides():
    clock = Clock()
    limiter = Limiter(3, 60, clock=clock)
    assert [limiter.hit("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("b")
    clock.now += 61
    assert limiter.hit("a")


def test_zero_means_no_limit_and_memory_is_bounded():
    assert all(Limiter(0, 60).hit("a") for _ in range(1000))
    limiter = Limiter(1, 60, max_keys=10)
    for number in range(100):
        limiter.hit(str(number))
    assert len(limiter._hits) == 10
