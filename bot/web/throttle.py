"""Counting events per key in a sliding window: failed staff logins per user name and address
(then a pause), chat messages per conversation (then 429).

In memory, per process (the web app runs as one process; behind several, each would count on
its own, which still bounds guessing and flooding). The `limits` package would do this,
but every release of it needs a newer `packaging` than the one Rasa 3.6 pins (20.9), so this
is the few lines we need. Times are passed in: nothing here reads the clock.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Deque, Dict, Iterable


@dataclass
class SlidingWindow:
    max_events: int = 5            # events within the window before the pause
    window_s: float = 15 * 60.0    # the pause lasts until the oldest counted failure leaves the window
    _seen: Dict[str, Deque[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> Deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._seen[key]
            return deque()
        return times

    def blocked(self, keys: Iterable[str], now: float) -> float:
        """Seconds until another event is allowed for every one of ``keys`` (0: now)."""
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.max_events:
                wait = max(wait, times[0] + self.window_s - now)
        return wait

    def record(self, keys: Iterable[str], now: float) -> None:
        for key in keys:
            self._recent(key, now)
            self._seen.setdefault(key, deque()).append(now)
        if len(self._seen) > 100_000:  # a flood of made-up names must not grow memory without end
            for key in list(self._seen)[:50_000]:
                del self._seen[key]

    def clear(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._seen.pop(key, None)
