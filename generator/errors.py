"""The exception hierarchy: each error owns its message format and exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import click


class Problem(NamedTuple):
    """One finding about the workspace, located in a file and, where known, a line."""

    path: str  #: path shown to the user, relative to the workspace
    line: int | None  #: 1-based line, or None when the finding is about the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class JdgenError(click.ClickException):
    """Base of every error jdgen reports to the user; exit code 1 unless said otherwise."""

    exit_code = 1

    def show(self, file=None) -> None:
        # click would prefix "Error: "; our messages already start with the file they blame.
        click.echo(self.format_message(), err=True)


class WorkspaceError(JdgenError):
    """The workspace cannot be found or is missing a required part."""


class InvalidWorkspaceError(JdgenError):
    """The workspace's files break the data model; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines.append(f"jdgen: {count} {noun} in the workspace; nothing was written.")
        super().__init__("\n".join(lines))


class TemplateError(JdgenError):
    """A template failed to load or render."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.problem = Problem(path, line, message)
        super().__init__(str(self.problem))


class OutputError(JdgenError):
    """An output file or folder cannot be written."""

    def __init__(self, path: str, message: str) -> None:
        self.problem = Problem(path, None, message)
        super().__init__(f"{self.problem}; nothing was written.")


class CommandLineError(JdgenError):
    """The command line names something that does not exist, or asks for nothing (a usage error)."""

    exit_code = 2


class MissingExtraError(CommandLineError):
    """A command or format needs an optional part of jdgen that is not installed; says how to install it."""


class InternalError(JdgenError):
    """A bug in jdgen: an exception nothing else accounted for."""


class LintFailedError(JdgenError):
    """The language checks found something at or above the level that fails the run."""


class CheckFailedError(JdgenError):
    """`jdgen check` found content or outputs that need work."""


class UnreadableFileError(JdgenError):
    """A workspace file jdgen will not read: outside the workspace, not a regular file, or too large."""

    def __init__(self, path: str, reason: str) -> None:
        self.problem = Problem(path, None, reason)
        super().__init__(str(self.problem))


class WriteInterruptedError(JdgenError):
    """SIGINT or SIGTERM stopped a write; exits with the shell's convention, 128 + the signal number."""

    def __init__(self, signum: int, outcome: str) -> None:
        self.exit_code = 128 + signum
        super().__init__(f"jdgen: interrupted; {outcome}")


class PartialWriteError(JdgenError):
    """Swapping staged files into place failed after some were swapped: rare, and said plainly."""

    def __init__(self, path: str, message: str) -> None:
        self.problem = Problem(path, None, message)
        super().__init__(f"{self.problem}; some outputs were replaced, so build again once it is fixed.")
