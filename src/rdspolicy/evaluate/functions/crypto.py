"""Hash and crypto functions over strings, and ``uuidv5`` (the ``file...`` hashes are in
:mod:`.filesystem`; ``uuid`` and ``bcrypt`` are not computed, see :mod:`.not_computed`).
"""

from __future__ import annotations

import base64
import hashlib
import uuid as _uuid
from typing import Any, Callable

from .arguments import string_arg
from .registry import fail, register


def hash_digest(algorithm: str, data: bytes) -> bytes:
    return hashlib.new(algorithm, data).digest()


for _algorithm in ("md5", "sha1", "sha256", "sha512"):
    def _make_hex(algorithm: str) -> Callable[[Any], str]:
        def hex_digest(str_):
            return hash_digest(algorithm, string_arg(str_, "str").encode("utf-8")).hex()
        return hex_digest
    register(_algorithm)(_make_hex(_algorithm))

for _algorithm in ("sha256", "sha512"):
    def _make_b64(algorithm: str) -> Callable[[Any], str]:
        def b64_digest(str_):
            return base64.b64encode(hash_digest(algorithm, string_arg(str_, "str").encode("utf-8"))).decode("ascii")
        return b64_digest
    register("base64" + _algorithm)(_make_b64(_algorithm))

_UUID_NAMESPACES = {"dns": _uuid.NAMESPACE_DNS, "url": _uuid.NAMESPACE_URL, "oid": _uuid.NAMESPACE_OID,
                    "x500": _uuid.NAMESPACE_X500}


@register("uuidv5")
def _uuidv5(namespace, name):
    space = string_arg(namespace, "namespace")
    ns = _UUID_NAMESPACES.get(space)
    if ns is None:
        try:
            ns = _uuid.UUID(space)
        except ValueError:
            fail(f"uuidv5() doesn't support namespace {space}")
    return str(_uuid.uuid5(ns, string_arg(name, "name")))
