"""The command line: parse options, call the pipeline, print. Nothing else lives here."""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING, NamedTuple

import click

from . import __version__
from .errors import CheckFailedError, CommandLineError, InternalError, JdgenError, LintFailedError
from .formats import DOCUMENT_FORMATS

# `jdgen --help` imports only this module, click and the error classes: logging, pathlib,
# dataclasses and the option classes load inside the commands that use them
if TYPE_CHECKING:
    from pathlib import Path

    from .options import WorkspaceOptions
    from .outlock import Notify
    from .output import WriteReport

FORMATS = tuple(DOCUMENT_FORMATS)


class _State(NamedTuple):
    workspace: WorkspaceOptions
    quiet: bool
    verbose: bool


class _Group(click.Group):
    """A group that turns an unexpected exception (a bug) into one line, unless --verbose."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise  # a closed pipe (`jdgen list | head -1`): click ends quietly
        except Exception as err:
            if _STOP_REQUESTED:
                # a library turned the stop request into an error of its own (pydantic reports a
                # KeyboardInterrupt raised while it builds a model as a SchemaError): it is still a stop
                raise click.exceptions.Abort from err
            if isinstance(err, OSError) and _raised_while_printing(err):
                raise JdgenError(f"jdgen: cannot print the output: {err.strerror or err}") from err
            state = ctx.find_object(_State)
            if state is not None and state.verbose:
                import traceback

                traceback.print_exc()
            raise InternalError(
                f"jdgen: internal error ({type(err).__name__}: {err}); rerun with --verbose for the traceback"
            ) from err


def _raised_while_printing(err: OSError) -> bool:
    """Return whether `err` came from writing to standard output or error (a full disk, a dead terminal)."""
    from pathlib import Path

    tb = err.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "echo" and Path(code.co_filename).parent.name == "click":
            return True
        tb = tb.tb_next
    return False


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    type=click.Path(file_okay=False),
    callback=lambda ctx, param, value: _as_path(value),
    help="Workspace folder (default: $JDGEN_WORKSPACE, the nearest folder with jdgen.yaml, else the built-in one).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--verbose", "-v", is_flag=True, help="Print debugging detail and tracebacks of internal errors.")
@click.version_option(__version__, "--version", prog_name="jdgen")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, quiet: bool, verbose: bool) -> None:
    """Turn competency lists into job postings and structured interview kits."""
    import logging

    from .options import WorkspaceOptions

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(name)s: %(message)s")
    # --verbose is jdgen's own account; markdown-it logs every rule it tries (14,000 lines a build)
    logging.getLogger("markdown_it").setLevel(logging.WARNING)
    ctx.obj = _State(WorkspaceOptions(workspace), quiet, verbose)


def _out_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    # Path("") would quietly mean the current folder
    if value is not None and not value.strip():
        raise CommandLineError("jdgen: --out is empty; name the folder for the outputs, e.g. --out out")
    return _as_path(value)


def _as_path(value: str | None) -> Path | None:
    from pathlib import Path

    return None if value is None else Path(value)


@cli.command()
@click.argument("roles", nargs=-1)
@click.option("--all", "all_roles", is_flag=True, help="Build every role of the workspace.")
@click.option("--level", help="Build at this level (default: each role's default level).")
@click.option(
    "--format", "formats", multiple=True, type=click.Choice(FORMATS), help="Output format; repeat for several."
)
@click.option("--out", "out_dir", type=click.Path(), callback=_out_dir, help="Output folder (default: out/).")
@click.option("--clean", is_flag=True, help="Also remove files jdgen wrote for roles and levels that no longer exist.")
@click.option("--location", help="Build only this place (a jdgen.yaml `locations` id) of a role posted in several.")
@click.pass_obj
def build(
    state: _State,
    roles: tuple[str, ...],
    all_roles: bool,
    level: str | None,
    formats: tuple[str, ...],
    out_dir: Path | None,
    clean: bool,
    location: str | None,
) -> None:
    """Write the posting, interview kit and candidate guide of each ROLE (id or alias) under out/."""
    from .options import BuildOptions
    from .pipeline import build as run_build

    options = BuildOptions(roles, all_roles, level, formats, out_dir, state.workspace, clean, location)
    # a bar only where someone watches: a terminal, not a CI log
    with _ProgressBar(enabled=not state.quiet and _is_terminal()) as progress:
        result = run_build(options, progress, _notify(state))
    _warn(state, (*result.warnings, *result.report.warnings))
    if not state.quiet:
        for role_id, level_id in result.targets:
            click.echo(f"built {role_id} ({level_id})")
        for line in (*result.lint, *result.notes):
            click.echo(line)
        _echo_cleaned(result.report, result.cwd)
        click.echo(
            f"{len(result.report.written)} written, {len(result.report.unchanged)} unchanged in {result.out_dir}"
        )


@cli.command()
@click.argument("role_a")
@click.argument("role_b", required=False)
@click.option(
    "--format", "formats", multiple=True, type=click.Choice(FORMATS), help="Output format; repeat for several."
)
@click.option("--out", "out_dir", type=click.Path(), callback=_out_dir, help="Output folder (default: out/).")
@click.option("--levels", is_flag=True, help="Compare each level of ROLE_A with the next one up.")
@click.pass_obj
def compare(
    state: _State, role_a: str, role_b: str | None, formats: tuple[str, ...], out_dir: Path | None, levels: bool
) -> None:
    """Write two roles (tpm pm) or two levels of one role (tpm@mid tpm@senior) side by side under out/compare/."""
    from .comparing import compare as run_compare
    from .options import CompareOptions

    options = CompareOptions(role_a, role_b, formats, out_dir, state.workspace, levels)
    result = run_compare(options, _notify(state))
    _warn(state, (*result.warnings, *result.report.warnings))
    if not state.quiet:
        for path in (*result.report.written, *result.report.unchanged):
            click.echo(f"wrote {path}" if path in result.report.written else f"unchanged {path}")


@cli.command(name="lint")
@click.argument("roles", nargs=-1)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="Report format.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "notice"]),
    help="Exit 1 when a finding reaches this level (default: lint.fail_on in jdgen.yaml, else error).",
)
@click.option("--level", help="Check the posting at this level (default: each role's default level).")
@click.pass_obj
def lint_command(state: _State, roles: tuple[str, ...], output: str, fail_on: str | None, level: str | None) -> None:
    """Check the postings' language: inclusive wording, readability, pay transparency."""
    from .lint.report import format_json, format_text
    from .options import LintOptions
    from .pipeline import lint

    result = lint(LintOptions(roles, level, fail_on, state.workspace))
    reports = list(result.reports)
    click.echo(format_json(reports) if output == "json" else format_text(reports), nl=False)
    if result.failing:
        raise LintFailedError(f"jdgen: {result.failing} findings at or above '{result.fail_on}'")


@cli.command(name="laws")
@click.argument("roles", nargs=-1)
@click.option("--location", help="Judge only this place (a jdgen.yaml `locations` id) of the roles.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="Report format.")
@click.pass_obj
def laws_command(state: _State, roles: tuple[str, ...], location: str | None, output: str) -> None:
    """Say which pay-transparency laws bind each posting of ROLE (default: every role), and what they need."""
    from .laws_report import format_json, format_text, laws
    from .options import LawsOptions

    postings = laws(LawsOptions(roles, location, state.workspace))
    click.echo(format_json(postings) if output == "json" else format_text(postings), nl=False)
    failing = sum(posting.failing for posting in postings)
    if failing:
        noun = "posting breaks" if failing == 1 else "postings break"
        raise LintFailedError(f"jdgen: {failing} {noun} a pay-transparency law in force")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(), callback=_out_dir, help="The outputs to compare (default: out/).")
@click.pass_obj
def check(state: _State, out_dir: Path | None) -> None:
    """The CI gate: validate, check wording, and, when out/ exists, check it is up to date."""
    from .lint.report import format_findings
    from .options import CheckOptions
    from .pipeline import check as run_check

    result = run_check(CheckOptions(out_dir, state.workspace))
    _warn(state, result.warnings)
    for line in format_findings(result.lint_failures):
        click.echo(line, err=True)
    for path in result.stale:
        click.echo(f"{path}: stale; rebuild with `jdgen build --all`", err=True)
    for path in result.missing:
        click.echo(f"{path}: missing; rebuild with `jdgen build --all`", err=True)
    for line in result.unapproved:
        click.echo(line, err=True)
    if not result.passed:
        lint_count, outdated = len(result.lint_failures), len(result.stale) + len(result.missing)
        unsigned = f", {len(result.unapproved)} postings not signed off as they are" if result.unapproved else ""
        raise CheckFailedError(
            f"jdgen: check failed: {lint_count} lint findings at or above '{result.fail_on}', "
            f"{outdated} outputs out of date{unsigned}"
        )
    if not state.quiet:
        outputs = f"{result.compared} outputs up to date" if result.compared else "no built outputs to compare"
        click.echo(f"check passed: valid, no lint findings at or above '{result.fail_on}', {outputs}")


@cli.command()
@click.argument("roles", nargs=-1, required=True)
@click.option("--by", "by", required=True, help="Who signs off, as it goes on record, e.g. --by 'Dana Reyes'.")
@click.option("--location", help="Sign off only this place (a jdgen.yaml `locations` id) of the roles.")
@click.option("--level", help="Sign off the postings at this level (default: each role's default level).")
@click.pass_obj
def approve(state: _State, roles: tuple[str, ...], by: str, location: str | None, level: str | None) -> None:
    """Record that BY signed off the postings of each ROLE as they are now, in approvals.yaml."""
    from .options import ApproveOptions
    from .signoff import approve as run_approve

    result = run_approve(ApproveOptions(roles, by, location, level, state.workspace))
    if not state.quiet:
        for record in result.added:
            click.echo(f"approved {record.posting} by {record.by} at {record.at}")
        for record in result.repeated:
            click.echo(f"already approved {record.posting} by {record.by} as it is now")
        if result.added:
            click.echo(f"recorded in {result.path}; commit it with the change it signs off")
        else:
            click.echo(f"{result.path} is unchanged: every posting named was already approved as it is now")


@cli.command()
@click.argument("directory", type=click.Path(), callback=lambda ctx, param, value: _as_path(value))
@click.option("--name", help="The company's name, as postings show it.")
@click.option("--website", help="The company's website, https://...")
@click.option("--headquarters", help="Where the company is: 'City, Region, Country', e.g. 'Pittsburgh, PA, US'.")
@click.option("--employees", type=click.IntRange(min=1), help="Headcount, for the pay laws' employer-size thresholds.")
@click.option("--about", help="What the company does, in a sentence or two.")
@click.option("--role", "roles", multiple=True, help="A built-in starting role to include (repeatable), e.g. tpm.")
@click.option("--no-input", is_flag=True, help="Never ask; take only the options given (for scripts).")
@click.option("--example", is_flag=True, help="Copy the example company (Northwind Analytics) whole instead.")
@click.pass_obj
def init(
    state: _State,
    directory: Path,
    name: str | None,
    website: str | None,
    headquarters: str | None,
    employees: int | None,
    about: str | None,
    roles: tuple[str, ...],
    no_input: bool,
    example: bool,
) -> None:
    """Start a company's workspace in DIRECTORY, on jdgen's built-in competency library.

    Asks for the company's name, website, headquarters and headcount unless given as options
    (or --no-input). `jdgen init acme --no-input --name "Acme Robotics" --role tpm`
    """
    from .scaffold import CompanyFacts, check_new_folder, init_workspace

    given = [
        flag
        for flag, value in (
            ("--name", name),
            ("--website", website),
            ("--headquarters", headquarters),
            ("--employees", employees),
            ("--about", about),
            ("--role", roles),
        )
        if value
    ]
    if example and given:
        raise CommandLineError(f"jdgen: --example copies the example company whole; leave out {given[0]}")
    check_new_folder(directory)  # before any question is asked
    facts = None
    if not example:
        # never wait on a pipe: a script without --no-input still runs to the end
        if not no_input and _interactive():
            name = name or click.prompt("Company name")
            website = website or click.prompt("Website (optional)", default="", show_default=False) or None
            headquarters = headquarters or (
                click.prompt("Headquarters, as City, Region, Country (optional)", default="", show_default=False)
                or None
            )
            while employees is None:
                answer = click.prompt("Headcount (optional)", default="", show_default=False).strip()
                if not answer:
                    break
                if answer.isdigit() and int(answer) > 0:
                    employees = int(answer)
                else:  # asked again rather than dropped without a word
                    click.echo("Error: the headcount is a whole number above 0, or nothing", err=True)
        if not name:
            raise CommandLineError(
                "jdgen: init needs the company's name: pass --name NAME (or --example for the example company)"
            )
        facts = CompanyFacts(name, website, headquarters, employees, about)
    files = init_workspace(directory, facts, roles)
    if not state.quiet:
        click.echo(f"created {directory} with {len(files)} files")
        if example or roles:
            click.echo(f"next: cd {directory} && jdgen build --all")
        else:
            click.echo(f"next: cd {directory} && jdgen new role ID (or start from a built-in role: --from tpm)")


def _interactive() -> bool:
    """Say whether someone is at the keyboard to answer questions."""
    return sys.stdin.isatty()


@cli.group()
def new() -> None:
    """Start a role or a competency from a commented file; `jdgen validate` then says what is left."""


@new.command("role")
@click.argument("role_id", metavar="ID")
@click.option("--from", "from_role", metavar="ROLE", help="Copy this role (the workspace's, else a built-in one).")
@click.pass_obj
def new_role_command(state: _State, role_id: str, from_role: str | None) -> None:
    """Write competencies/roles/ID.yaml. `jdgen new role data-engineer --from tpm`"""
    from .starters import new_role, workspace_root

    path = new_role(workspace_root(state.workspace), role_id, from_role)
    if not state.quiet:
        click.echo(f"wrote {path}; fill it in, then run `jdgen validate` to see what is left")


@new.command("competency")
@click.argument("comp_id", metavar="ID")
@click.option("--area", required=True, help="The area file to add it to: competencies/AREA.yaml.")
@click.pass_obj
def new_competency_command(state: _State, comp_id: str, area: str) -> None:
    """Add a competency to competencies/AREA.yaml. `jdgen new competency vendor-management --area delivery`"""
    from .starters import new_competency, workspace_root

    path = new_competency(workspace_root(state.workspace), comp_id, area)
    if not state.quiet:
        click.echo(f"added '{comp_id}' to {path}; fill it in, then run `jdgen validate` to see what is left")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(),
    default="schemas",
    show_default=True,
    callback=lambda ctx, param, value: _as_path(value),
)
@click.pass_obj
def schema(state: _State, out_dir: Path) -> None:
    """Write JSON Schemas for jdgen.yaml, area files and role files, for editors and CI."""
    from .scaffold import write_schemas

    for path in write_schemas(out_dir):
        if not state.quiet:
            click.echo(f"wrote {path}")


@cli.command(name="list")
@click.pass_obj
def list_command(state: _State) -> None:
    """List every role: id, title, levels, competencies and interview stages."""
    from .catalog import list_roles

    roles = list_roles(state.workspace)
    if not roles:  # a workspace fresh from `jdgen init`
        click.echo("no roles yet; start one with `jdgen new role ID`, or `jdgen new role ID --from tpm`")
        return
    rows = [("ID", "TITLE", "LEVELS", "COMPETENCIES", "STAGES", "CAREER PATH")]
    for role in roles:
        levels = ", ".join(f"{lv}*" if lv == role.default_level else lv for lv in role.levels)
        path = " → ".join(part for part in (", ".join(role.comes_from), role.id, ", ".join(role.leads_to)) if part)
        rows.append((role.id, role.title, levels, f"{role.competencies} ({role.core} core)", str(role.stages), path))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if not state.quiet:
        click.echo("* default level")
        _echo_postings(state)


def _echo_postings(state: _State) -> None:
    """Print every posting a full build publishes, with its closing date and sign-off."""
    from .signoff import posting_overview

    rows = [("POSTING", "TITLE", "OPEN", "SIGN-OFF")]
    for line in posting_overview(state.workspace):
        until = f"closed on {line.open_until.isoformat()}" if line.closed else f"until {line.open_until.isoformat()}"
        rows.append((line.folder, line.title, until, line.sign_off))
    click.echo("")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@cli.command()
@click.argument("role")
@click.option("--kit", is_flag=True, help="Show the interview kit instead of the posting.")
@click.option("--level", help="Show this level (default: the role's default level).")
@click.pass_obj
def show(state: _State, role: str, kit: bool, level: str | None) -> None:
    """Print the Markdown posting (or interview kit) of ROLE."""
    from .options import ShowOptions
    from .pipeline import show as run_show

    click.echo(run_show(ShowOptions(role, kit, level, state.workspace)), nl=False)


@cli.command()
@click.pass_obj
def validate(state: _State) -> None:
    """Check every file of the workspace and print each problem found."""
    from .pipeline import validate_workspace
    from .text import counted

    workspace = validate_workspace(state.workspace)
    _warn(state, tuple(map(str, workspace.warnings)))
    if not state.quiet:
        click.echo(
            f"{workspace.dirs.root}: valid; {counted(len(workspace.roles), 'role')}, "
            f"{len(workspace.competencies)} competencies, {counted(len(workspace.warnings), 'warning')}"
        )


class _ProgressBar:
    """A click progress bar on standard error, started on the first report."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _is_terminal() -> bool:
    return sys.stderr.isatty()


def _notify(state: _State) -> Notify | None:
    """Return how the pipeline tells the user it is waiting, or None under --quiet."""
    return None if state.quiet else lambda line: click.echo(line, err=True)


def _echo_cleaned(report: WriteReport, cwd: Path | None) -> None:
    """Print what --clean removed and what it left in place, and why."""
    from .files import shown_path

    for path in report.removed:
        click.echo(f"removed {shown_path(path, cwd)}")
    for path, why in report.kept:
        click.echo(f"kept {shown_path(path, cwd)}: {why}")


def _warn(state: _State, warnings: tuple[str, ...]) -> None:
    if not state.quiet:
        for warning in warnings:
            click.echo(warning, err=True)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; any other than this machine's own shows the preview to the network.",
)
@click.pass_obj
def serve(state: _State, port: int, host: str) -> None:
    """Preview postings, kits and guides with their lint findings in a browser; pages reload on save."""
    from .serve import ServeOptions, Serving
    from .serve import serve as run_serve

    def ready(serving: Serving) -> None:
        if serving.exposed:  # a warning even under --quiet: interview kits are not for everyone to read
            click.echo(f"jdgen: warning: listening on {host}; anyone on the network can read the preview", err=True)
        if not state.quiet:
            click.echo(f"serving {serving.root} at {serving.url} (Ctrl-C stops)")

    run_serve(ServeOptions(state.workspace, host, port), ready)
    if not state.quiet:
        click.echo("stopped")


def main() -> None:
    """Run the jdgen command line."""
    # a terminal whose encoding lacks '→' or '’' (ASCII, Latin-1) gets \u2192, never a crash
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    # a stop request (CI cancelling a job) ends the run the way Ctrl-C does, through the same
    # clean-up: DOCX workers stopped, temporary files removed; the writer holds both while swapping
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    cli(prog_name="jdgen")


#: Set once a stop request (Ctrl-C, SIGTERM) has arrived, whatever a library made of its KeyboardInterrupt.
_STOP_REQUESTED = False


def _stop(signum: int, frame: object) -> None:
    global _STOP_REQUESTED  # a signal handler has nowhere else to leave its mark
    _STOP_REQUESTED = True
    raise KeyboardInterrupt
