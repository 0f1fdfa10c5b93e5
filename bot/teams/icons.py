"""The app's two icons, drawn by code as PNGs: a 192x192 colour icon and a 32x32 white outline.

Teams wants the colour icon on a full background and the outline icon white on
transparent; drawing them here keeps the package reproducible and free of binaries.
"""

from __future__ import annotations

import struct
import zlib

COLOR_SIZE = 192
OUTLINE_SIZE = 32
# The accent colour in teams/manifest.json.
ACCENT = (0x2B, 0x6C, 0xB0, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)

Pixel = tuple[int, int, int, int]


def png(pixels: list[list[Pixel]]) -> bytes:
    """An 8-bit RGBA PNG of `pixels` (rows of equal length)."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _envelope(size: int, margin: float, stroke: float, ink: Pixel, paper: Pixel) -> list[list[Pixel]]:
    """An envelope (a rectangle and its flap) drawn with `ink` lines on `paper`."""
    left, right = margin * size, (1 - margin) * size
    top, bottom = size * (0.5 - (0.5 - margin) * 0.7), size * (0.5 + (0.5 - margin) * 0.7)
    middle_x, flap_y = size / 2, top + (bottom - top) * 0.55
    width = stroke * size

    def near_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5 <= width / 2

    segments = (
        (left, top, right, top), (right, top, right, bottom), (right, bottom, left, bottom),
        (left, bottom, left, top), (left, top, middle_x, flap_y), (middle_x, flap_y, right, top),
    )
    rows: list[list[Pixel]] = []
    for row in range(size):
        y = row + 0.5
        rows.append([ink if any(near_segment(col + 0.5, y, *s) for s in segments) else paper for col in range(size)])
    return rows


def color_icon() -> bytes:
    return png(_envelope(COLOR_SIZE, margin=0.2, stroke=0.05, ink=WHITE, paper=ACCENT))


def outline_icon() -> bytes:
    return png(_envelope(OUTLINE_SIZE, margin=0.08, stroke=0.09, ink=WHITE, paper=CLEAR))
