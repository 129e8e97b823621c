"""jdgen: job postings and interview kits from one competency source."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .options import BuildOptions
    from .pipeline import BuildResult

__version__ = "0.1.0"


def build(options: BuildOptions) -> BuildResult:
    """Build postings and kits as `jdgen build` does; for use from Python."""
    from .pipeline import build as run_build

    return run_build(options)
