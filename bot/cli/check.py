"""`python -m bot check`: the knowledge base, the catalogs and the configuration, every problem listed."""

from __future__ import annotations

import argparse

from bot.config import ConfigError, load_settings


def run(args: argparse.Namespace) -> int:
    from bot.core.access import AccessPolicyError, load_access_policy
    from bot.i18n.maintain import problems as catalog_problems
    from bot.knowledge.loader import validate_knowledge

    problems = [f"knowledge: {line}" for line in validate_knowledge()]
    problems += [f"catalogs: {line}" for line in catalog_problems()]
    try:
        settings = load_settings()
    except ConfigError as exc:
        problems += [f"configuration: {line}" for line in exc.problems]
    else:
        try:
            load_access_policy(settings.access_file)
        except AccessPolicyError as exc:
            problems += [f"access policy: {line}" for line in exc.problems]
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print("knowledge base, catalogs and configuration are valid")
    return 0
