"""``guardrail audit …``, ``guardrail metrics``, ``guardrail sample`` (registered by cli.py)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the audit subcommands to ``sub``."""
