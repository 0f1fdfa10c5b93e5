"""Deterministic randomness: every derived field of a demo invitation is a function of a seeded hash of its
parts, so the same account looks the same in every process and at every position."""

from __future__ import annotations

import hashlib
import math


def seeded_hash(*parts: object) -> int:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def seeded_unit(*parts: object) -> float:
    return seeded_hash(*parts) / 2.0**64


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up to it."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda k: exact[k] - counts[k], reverse=True)
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return counts
