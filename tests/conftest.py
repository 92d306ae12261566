"""Every test runs without the user's own rdspolicy configuration
(~/.config/rdspolicy/config.hcl): XDG_CONFIG_HOME points at an empty folder; and with a
cache folder of its own: tests never read or fill the user's cache.

Tests marked ``slow`` (the corpus acceptance test, a minute or more) run only when asked
for: ``pytest -m slow`` (or any ``-m`` expression naming ``slow``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _no_user_config(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
        mp.setenv("RDSPOLICY_CACHE_DIR", str(tmp_path_factory.mktemp("rdspolicy-cache")))
        yield


def pytest_collection_modifyitems(config, items):
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with pytest -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
