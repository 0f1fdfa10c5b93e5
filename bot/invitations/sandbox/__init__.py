"""The bundled sandbox invitations API: a real HTTP server over deterministic demo data, with optional faults."""

from bot.invitations.sandbox.accounts import (
    API_KEY,
    API_SECRET,
    BRIGHT_LAMPS_ID,
    FJALLKAFFE_ID,
    HARBOUR_BOOKS_ID,
    MEGAMART_ID,
    MERCHANT_API_KEY,
    MERCHANT_API_SECRET,
    NORDIC_SHOES_ID,
)
from bot.invitations.sandbox.faults import SandboxOptions
from bot.invitations.sandbox.server import RunningSandbox, serve, start_sandbox

__all__ = [
    "API_KEY",
    "API_SECRET",
    "BRIGHT_LAMPS_ID",
    "FJALLKAFFE_ID",
    "HARBOUR_BOOKS_ID",
    "MEGAMART_ID",
    "MERCHANT_API_KEY",
    "MERCHANT_API_SECRET",
    "NORDIC_SHOES_ID",
    "RunningSandbox",
    "SandboxOptions",
    "serve",
    "start_sandbox",
]
