"""Every test run gets its own cache folder: tests never read or fill the user's cache."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory):
    saved = os.environ.get("RDSPOLICY_CACHE_DIR")
    os.environ["RDSPOLICY_CACHE_DIR"] = str(tmp_path_factory.mktemp("rdspolicy-cache"))
    yield
    if saved is None:
        os.environ.pop("RDSPOLICY_CACHE_DIR", None)
    else:
        os.environ["RDSPOLICY_CACHE_DIR"] = saved
