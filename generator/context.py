"""The outside world a command depends on, read once at its start: working folder, clock, environment.

Every command's entry function calls `read_context()` and hands the result down; no step reads
`Path.cwd()`, `os.environ` or the clock itself, so a step's output depends only on its inputs.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from .clock import source_date_epoch
from .errors import WorkspaceError


@dataclass(frozen=True)
class BuildContext:
    """The working folder, the moment of the build and the environment, as one command saw them."""

    cwd: Path
    now: datetime.datetime  #: SOURCE_DATE_EPOCH's moment when set, else the clock's (UTC)
    reproducible: bool  #: SOURCE_DATE_EPOCH is set, so embedded dates come from it
    workspace_variable: str | None = None  #: JDGEN_WORKSPACE

    @property
    def today(self) -> datetime.date:
        """Return the build's day: SOURCE_DATE_EPOCH's, else today (UTC)."""
        return self.now.date()

    @property
    def moment(self) -> datetime.datetime | None:
        """Return SOURCE_DATE_EPOCH's moment, or None: what documents may embed as their date."""
        return self.now if self.reproducible else None

    def posting_date(self, role_date: datetime.date | None) -> datetime.date:
        """Return a posting's datePosted: the role's own date, else the build's day."""
        return role_date or self.today


def read_context() -> BuildContext:
    """Read the working folder, SOURCE_DATE_EPOCH, the clock and JDGEN_WORKSPACE: the only place that does."""
    try:
        cwd = Path.cwd()
    except FileNotFoundError as err:
        raise WorkspaceError(
            "jdgen: the current folder no longer exists; change to one that does, or pass --workspace"
        ) from err
    moment = source_date_epoch()
    now = moment or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return BuildContext(cwd, now, moment is not None, os.environ.get("JDGEN_WORKSPACE") or None)
