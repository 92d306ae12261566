"""Functions rdspolicy does not compute (their result is unknown, with the reason), and the
functions Terraform removed (an error, with Terraform's message).
"""

from __future__ import annotations

from ..values import EvalError
from .registry import NotEvaluated, register


NOT_COMPUTED: dict[str, tuple[int, int, str]] = {
    # name: (fewest arguments, most arguments, reason)
    "uuid": (0, 0, "uuid() returns a new value on every run"),
    "bcrypt": (1, 2, "bcrypt() uses a random salt, so its result changes on every run"),
    "plantimestamp": (0, 0, "plantimestamp() is known only when Terraform plans"),
    "base64gzip": (1, 1, "base64gzip() is not evaluated (its bytes depend on the compressor)"),
    "rsadecrypt": (2, 2, "rsadecrypt() is not evaluated"),
    "issensitive": (1, 1, "issensitive() is not evaluated: rdspolicy does not track which values are sensitive"),
}


def _register_not_evaluated(name: str, fewest: int, most: int, reason: str) -> None:
    def not_evaluated(*args):
        if not fewest <= len(args) <= most:
            expected = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise EvalError(f'Invalid number of arguments: function "{name}" expects {expected} argument(s), '
                            f'got {len(args)}.')
        raise NotEvaluated(reason)

    register(name, propagate=False, null_ok=True)(not_evaluated)


for _name, (_fewest, _most, _reason) in NOT_COMPUTED.items():
    _register_not_evaluated(_name, _fewest, _most, _reason)




def _register_removed(name: str, message: str) -> None:
    def removed(*args):
        raise EvalError(message)

    register(name, propagate=False, null_ok=True)(removed)


_register_removed("list", 'the "list" function was deprecated in Terraform v0.12 and is no longer available; '
                          'use tolist([ ... ]) syntax to write a literal list')
_register_removed("map", 'the "map" function was deprecated in Terraform v0.12 and is no longer available; '
                         'use tomap({ ... }) syntax to write a literal map')
_register_removed("type", 'the "type" function is only available in "terraform console"')
