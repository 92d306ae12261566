"""Terraform's built-in functions over rdspolicy's plain-Python values.

The functions follow Terraform 1.11 (the ``cty`` standard library plus Terraform's own
additions) as closely as plain Python allows, with one product rule on top: *never
guess*.  A result that depends on a value not known before apply is an
:class:`~rdspolicy.evaluate.values.Unknown` carrying the reasons and resource addresses
of the unknowns it came from; but a result that is the same whatever those unknowns
turn out to be is returned known (``length([unknown, 1])`` is 2, ``keys({a = unknown})``
is ``["a"]``).  A function rdspolicy cannot compute the way Terraform would (a random
``uuid()``, a file outside the scanned tree) returns an :class:`Unknown` saying why --
never a guess, and never an error Terraform would not raise.

One module per family, as Terraform's ``internal/lang/funcs`` keeps them: each
implementation is registered where it is defined with :func:`.registry.register`,
which records the Terraform name, the result type Terraform gives it (``returns=``)
and the checks every call shares: arity, null arguments and the default unknown
propagation ("any unknown anywhere in the arguments makes the result unknown").
Implementations that can do better opt out with ``propagate=False`` and handle unknowns
themselves.  ``try`` and ``can`` need unevaluated expressions and are left to the
expression evaluator; the template functions reach the evaluator through a callback on
the :class:`FunctionContext` (this package never imports it).

Sets are represented as lists (see :mod:`..values`): ``toset`` and the set functions
return a de-duplicated list ordered the way Terraform orders a set of that element type
(strings lexically, numbers numerically, ``false`` before ``true``).
"""

from __future__ import annotations

# the families register their functions when imported
from . import (  # noqa: F401
    strings,
    formatting,
    regex,
    collections,
    conversion,
    numbers,
    encoding,
    yaml,
    crypto,
    cidr,
    filesystem,
    templates,
    dates,
    not_computed,
)
from .arguments import set_of
from .registry import FUNCTIONS, FunctionContext, call

__all__ = ["FUNCTIONS", "FunctionContext", "call", "set_of"]
