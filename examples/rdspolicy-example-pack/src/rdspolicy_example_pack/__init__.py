"""An example rdspolicy rule pack.

rdspolicy loads it through the ``rdspolicy`` entry-point group (see pyproject.toml) and
calls its ``rdspolicy_rules`` hook, which returns the pack's rules."""

from __future__ import annotations

from rdspolicy import hookimpl

from .kms_rotation import RULE as KMS_ROTATION
from .required_tags import RULE as REQUIRED_TAGS


@hookimpl
def rdspolicy_rules():
    return [REQUIRED_TAGS, KMS_ROTATION]
