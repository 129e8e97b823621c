"""jdgen: job postings and interview kits from one competency source."""

from __future__ import annotations

# not typing's: importing typing would cost `jdgen --help`, which loads this package first, a
# fifth of its time; type checkers read a module's own TYPE_CHECKING = False the same way
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .options import BuildOptions
    from .pipeline import BuildResult

__version__ = "0.1.0"


def build(options: BuildOptions) -> BuildResult:
    """Build postings and kits as `jdgen build` does; for use from Python."""
    from .pipeline import build as run_build

    return run_build(options)
