"""Keep secrets out of every report.

Secrets are the values of variables declared ``sensitive = true`` or named like a
secret (``db_password``), whatever their source (defaults, tfvars, ``--var``,
``TF_VAR_``), and the values of arguments named like one (``password``,
``master_password``).  Two layers keep them out:

1. where a value is shown on purpose (``Attr.display``, variable type errors), a
   sensitive one is replaced by :data:`REDACTED` and the message names the attribute;
2. :class:`Secrets` collects every such value during the run and
   :meth:`Secrets.scrub_report` removes any that still reached a finding's or a
   diagnostic's message (an error quoting a value, a rule from a plug-in).

A value shorter than :data:`MIN_RAW` characters, or made of letters only (a word such
as ``password``), is removed only where it is printed as a value, inside a quoted
string (``"abc"``, ``"prefix-password"``): removing every occurrence of a word would
rewrite rdspolicy's own wording ("only long-lived database passwords can sign in").
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from . import syntax as S

REDACTED = "(sensitive value)"
MIN_RAW = 6

_SECRET_WORDS = frozenset({"password", "passwd", "passphrase", "secret", "token"})


def is_sensitive_name(name: str) -> bool:
    """``password``, ``master_password``, ``db_password``, ``api_token``,
    ``client_secret``, ``private_key``: the last part or any "password" part.
    (``manage_master_user_password`` is a bool and ``master_user_secret_kms_key_id`` a
    key id: only string values are ever treated as secrets.)"""
    known = _SENSITIVE_NAMES.get(name)
    if known is None:
        parts = name.lower().replace("-", "_").split("_")
        known = ("password" in parts or "passwd" in parts or parts[-1] in _SECRET_WORDS
                 or name.lower().endswith("private_key"))
        if len(_SENSITIVE_NAMES) < 65536:  # argument names repeat: asked once per argument of every resource
            _SENSITIVE_NAMES[name] = known
    return known


_SENSITIVE_NAMES: dict[str, bool] = {}


def is_sensitive_variable(name: str, block: Any) -> bool:
    """A ``variable`` block declared ``sensitive = true``, or named like a secret."""
    if is_sensitive_name(name):
        return True
    body = getattr(block, "body", None)
    attr = body.attributes.get("sensitive") if body is not None else None
    return attr is not None and isinstance(attr.expr, S.Literal) and attr.expr.value is True


def string_leaves(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from string_leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from string_leaves(item)


def _literal_strings(expr: Any) -> Iterable[str]:
    """Every literal string written inside an expression (a tfvars value)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, S.Literal):
            if isinstance(node.value, str):
                yield node.value
        elif isinstance(node, S.Template):  # its text parts are strings; names elsewhere are not
            for part in node.parts:
                if isinstance(part, str):
                    yield part
                else:
                    stack.append(part)
        elif isinstance(node, S.Node):
            stack.extend(getattr(node, f) for f in node._fields())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')  # a quoted string, as messages print a text value


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Secrets:
    """The secret values seen during one run."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def add(self, value: Any) -> None:
        for text in string_leaves(value):
            if text.strip():
                self.values.add(text)

    def add_variables(self, evaluation: Any) -> None:
        """The values of a module's sensitive variables in one environment."""
        for name, located in evaluation.decls.variables.items():
            if is_sensitive_variable(name, located.node):
                self.add(evaluation.inputs.get(name))
                self.add(evaluation.variable(name))
                default = located.node.body.attributes.get("default")
                if default is not None:  # also when it does not match the type
                    self.add(list(_literal_strings(default.expr)))

    def add_instances(self, instances: Iterable[Any]) -> None:
        """The values of secret-named arguments of resource instances."""
        known = _SENSITIVE_NAMES.get  # is_sensitive_name's answers, without a call per argument
        for instance in instances:
            stack = [instance.body]
            while stack:
                block = stack.pop()
                for name, value in block.attrs.items():
                    sensitive = known(name)
                    if sensitive is None:
                        sensitive = is_sensitive_name(name)
                    if sensitive:
                        self.add(value.value)
                stack.extend(block.blocks)

    def add_files(self, files: Iterable[S.File]) -> None:
        """Literal strings written for secret-named arguments anywhere (a resource's
        ``password``, a module call's ``db_password``) and in the defaults of variables
        declared sensitive, in parsed Terraform files."""
        stack: list = [file.body for file in files]
        while stack:
            body = stack.pop()
            for name, attr in body.attributes.items():
                if is_sensitive_name(name):
                    self.add(list(_literal_strings(attr.expr)))
            for block in body.blocks:
                if block.type == "variable" and block.labels and is_sensitive_variable(block.labels[0], block):
                    default = block.body.attributes.get("default")
                    if default is not None:
                        self.add(list(_literal_strings(default.expr)))
                stack.append(block.body)

    def add_var_file(self, file: S.File, sensitive: Any) -> None:
        """Values written in a tfvars file for variables ``sensitive(name)`` calls secret."""
        for name, attr in file.body.attributes.items():
            if sensitive(name):
                self.add(list(_literal_strings(attr.expr)))

    def add_raw(self, name: str, text: str, sensitive: Any) -> None:
        """``--var name=text`` or ``TF_VAR_name``."""
        if sensitive(name) and text.strip():
            self.values.add(text)
            self.values.add(text.strip().strip('"'))

    def add_module(self, result: Any, var_files: list[S.File], settings: Any) -> None:
        """Everything secret in one evaluated module: sensitive variables' values in
        each environment, their values in var-files, ``--var`` and ``TF_VAR_``, and
        secret-named arguments of every resource instance."""
        decls = result.environments[0].evaluation.decls if result.environments else None

        def sensitive(name: str) -> bool:
            located = decls.variables.get(name) if decls is not None else None
            return is_sensitive_variable(name, located.node) if located is not None else is_sensitive_name(name)

        for file in var_files:
            self.add_var_file(file, sensitive)
        for text in settings.cli_vars:
            name, _, value = text.partition("=")
            self.add_raw(name.strip(), value, sensitive)
        for key, value in settings.env.items():
            if key.startswith("TF_VAR_"):
                self.add_raw(key[len("TF_VAR_"):], value, sensitive)
        for env in result.environments:
            self.add_variables(env.evaluation)
            self.add_instances(env.instances)

    def scrub(self, text: str) -> str:
        if not self.values or not text:
            return text
        for secret in sorted(self.values, key=len, reverse=True):
            quoted = _quoted(secret)
            if quoted in text:
                text = text.replace(quoted, REDACTED)
            escaped = quoted[1:-1]
            if len(secret) < MIN_RAW or secret.isalpha():
                # a short value or a word: only inside the values printed (quoted strings)
                if escaped in text:
                    text = _QUOTED.sub(lambda m: m.group().replace(escaped, REDACTED), text)
                continue
            if secret in text:
                text = text.replace(secret, REDACTED)
            if escaped != secret and escaped in text:
                text = text.replace(escaped, REDACTED)
        return text

    def scrub_report(self, findings: list, diagnostics: list) -> tuple[list, list]:
        """Findings and diagnostics with every secret removed from their messages."""
        if not self.values:
            return findings, diagnostics
        out_findings = []
        for finding in findings:
            message = self.scrub(finding.message)
            out_findings.append(finding if message == finding.message
                                else finding.model_copy(update={"message": message}))
        out_diags = [d._replace(message=self.scrub(d.message)) for d in diagnostics]
        return out_findings, out_diags

