"""Headless Chromium for the tests that look at pages in a real browser."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def needs_chromium(what: str) -> pytest.MarkDecorator:
    """Skip, saying `what` is not checked, where Chromium is missing.

    .ci/run installs Chromium and sets JDGEN_REQUIRE_CHROMIUM, so CI never skips these quietly.
    """
    return pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("JDGEN_REQUIRE_CHROMIUM"),
        reason=f"no /usr/bin/chromium: {what} (apt-get install chromium)",
    )


def dump_dom(url: str, profile: Path, *options: str, timeout: float = 60) -> str:
    """Load `url` in headless Chromium with a fresh profile; return the DOM once the page has run."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *options,
        "--dump-dom",
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True).stdout
