"""Every test runs without the user's own rdspolicy configuration
(~/.config/rdspolicy/config.hcl): XDG_CONFIG_HOME points at an empty folder; and with a
cache folder of its own: tests never read or fill the user's cache.

The fixtures the test modules share: ``work`` (a scratch current folder) and ``rds``
(the command line, in-process).  The Terraform texts they share are in samples.py."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from rdspolicy import cli


@pytest.fixture(autouse=True, scope="session")
def _no_user_config(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
        mp.setenv("RDSPOLICY_CACHE_DIR", str(tmp_path_factory.mktemp("rdspolicy-cache")))
        yield


@dataclass
class Result:
    """What one in-process ``rdspolicy`` run gave."""

    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)  # the whole of stdout must be one JSON document

    def findings(self) -> list[dict]:
        return self.json()["findings"]

    def env_names(self) -> list[str]:
        return [e["name"] for e in self.json()["environments"]]


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A scratch folder that is the current folder, with no TF_VAR_ from outside."""
    for name in list(os.environ):
        if name.startswith("TF_VAR_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def rds(capsys):
    """Run ``rdspolicy ARGS`` in-process; no output may contain a traceback."""

    def run(*args: str) -> Result:
        code = cli.run([str(a) for a in args])
        captured = capsys.readouterr()
        result = Result(code, captured.out, captured.err)
        assert "Traceback" not in result.out + result.err, result
        return result

    return run
