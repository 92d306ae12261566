"""Terraform's numbers as Python numbers: the one convention the parser (number
literals) and the evaluator (computed numbers) share, kept below both."""

from __future__ import annotations

import math


def normalize_number(value: float | int) -> float | int:
    """Keep integral numbers as ``int`` so ``5.0`` and ``5`` print and compare alike."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63 and not (
            value == 0 and math.copysign(1.0, value) < 0):  # Terraform keeps a negative zero
        return int(value)
    return value
