"""Reporters: one module per output format, each a ``render(report, color) -> str``."""

from __future__ import annotations

def render(fmt: str, report, color: bool = False) -> str:
    if fmt == "json":
        from .json import render as render_json

        return render_json(report)
    from .text import render as render_text

    return render_text(report, color=color)
