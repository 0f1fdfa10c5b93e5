"""When to try a failed API call again: jittered exponential backoff, Retry-After caps, the time budget."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

MIN_ATTEMPT_SECONDS = 0.1


@dataclass
class RetryPolicy:
    """Retry rules for one client; the budget covers attempts and waits, not the client's own queueing."""

    budget_seconds: float = 10.0
    max_attempts: int = 5
    backoff_base: float = 0.25
    backoff_cap: float = 4.0
    # A server may ask for a long pause; waiting longer than this is never worth it for a chat answer.
    retry_after_cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if self.budget_seconds <= 0:
            raise ValueError("budget_seconds must be positive")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def backoff(self, attempt: int) -> float:
        """Pause after failed attempt number `attempt` (1-based): exponential, jittered to 50-100 %."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        # Jitter spreads out clients that failed together, so they do not all come back at once.
        return ceiling * (0.5 + 0.5 * self.rng.random())

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The server's Retry-After (capped) when it gave one, else the backoff."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.backoff(attempt)

    def may_retry(self, attempt: int, spent: float, delay: float) -> bool:
        """Whether another attempt after `delay` still fits: attempts left, and time left in the budget."""
        # An attempt squeezed into the budget's last moments would time out anyway.
        return attempt < self.max_attempts and spent + delay + MIN_ATTEMPT_SECONDS <= self.budget_seconds
