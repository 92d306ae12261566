"""Every test runs without the user's own rdspolicy configuration
(~/.config/rdspolicy/config.hcl): XDG_CONFIG_HOME points at an empty folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _no_user_config(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
        yield
