"""Run the steps in order: load → validate → assemble → render → write."""

from __future__ import annotations

import contextlib
import logging
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path

from .assemble import assemble_guide, assemble_kit, assemble_posting
from .context import BuildContext, read_context
from .core import Workspace
from .documents import Place, RenderedDoc
from .encoding import Encoding
from .errors import CommandLineError
from .files import shown_path
from .folders import output_folder_name
from .formats import DOCUMENT_FORMATS
from .formats.base import EncodeContext
from .lint.report import summary_line
from .lint.rules import LEVEL_RANK
from .options import BuildOptions, CheckOptions, LintOptions, ShowOptions, WorkspaceOptions
from .outlock import Notify
from .outpaths import inspect_output
from .output import WriteReport, choose_out_dir, write_outputs
from .places import check_location_option, role_places
from .render import GUIDE_TEMPLATE, KIT_TEMPLATE, POSTING_TEMPLATE, Renderer
from .schema_errors import suggest
from .spool import SpooledFiles
from .validate import load_workspace
from .workspace import TEMPLATES_DIR, WorkspaceDirs, find_workspace

#: Roles rendered per batch: the DOCX workers write one batch while the parent renders the next.
BATCH_ROLES = 16
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    out_dir: Path
    targets: tuple[tuple[str, str], ...]  #: (role id, level id) pairs built
    report: WriteReport
    warnings: tuple[str, ...]
    lint: tuple[str, ...] = ()  #: one summary line per posting built
    notes: tuple[str, ...] = ()  #: postings a full build left out of the index and feeds, and why
    cwd: Path | None = None  #: the folder paths are shown relative to


@dataclass(frozen=True)
class LintResult:
    """What `jdgen lint` found."""

    reports: tuple  #: LintReport per posting
    fail_on: str
    failing: int  #: findings at or above `fail_on`


def resolve_role(workspace: Workspace, name: str) -> str:
    """Return the role id for an id or alias given on the command line."""
    if name in workspace.roles:
        return name
    if name in workspace.aliases:
        return workspace.aliases[name]
    hint = suggest(name, [*workspace.roles, *workspace.aliases])
    raise CommandLineError(f"jdgen: unknown role '{name}'{hint}; `jdgen list` shows every role")


def resolve_level(workspace: Workspace, role_id: str, level: str | None) -> str:
    """Return the level to build a role at: the one asked for, or the role's default."""
    role = workspace.roles[role_id]
    if level is None:
        return role.default_level
    if level not in role.levels:
        hint = suggest(level, role.levels)
        known = ", ".join(role.levels)
        raise CommandLineError(f"jdgen: role '{role_id}' has no level '{level}'{hint}; its levels: {known}")
    return level


def open_workspace(options: WorkspaceOptions, context: BuildContext) -> Workspace:
    """Find, load and validate the workspace."""
    return load_workspace(find_workspace(options.workspace, context.cwd, context.workspace_variable))


def validate_workspace(options: WorkspaceOptions) -> Workspace:
    """Load and validate the workspace, for `jdgen validate`."""
    return open_workspace(options, read_context())


#: Called with (documents done, documents in all) as a build goes; for progress bars.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class EncodeRequest:
    """Which formats to write, in which build, and whom to tell how far it got."""

    formats: tuple[str, ...]
    context: BuildContext
    progress: Progress | None = None


def build(options: BuildOptions, progress: Progress | None = None, notify: Notify | None = None) -> BuildResult:
    """Build the requested roles and write only the files whose bytes changed."""
    context = read_context()
    dirs = find_workspace(options.workspace.workspace, context.cwd, context.workspace_variable)
    wanted = options.all_roles and "docx" in (options.formats or DOCUMENT_FORMATS)
    # PDF only when asked for on the command line: loading WeasyPrint first costs about half a
    # second that a build whose formats come from jdgen.yaml, without PDF, should not pay
    with _early_docx_workers(dirs, context, wanted), _early_pdf_workers(options.all_roles and "pdf" in options.formats):
        return _build(options, context, load_workspace(dirs), progress, notify)


@contextlib.contextmanager
def _early_docx_workers(dirs: WorkspaceDirs, context: BuildContext, wanted: bool) -> Iterator[None]:
    """For a build of every role, fork the DOCX workers before the workspace loads (see docx_batch)."""
    if not wanted:
        yield
        return
    from .docx_batch import early_workers

    # forked while the parent holds only code, the workers never hold a copy of the workspace
    with early_workers(dirs.root / TEMPLATES_DIR, context.moment):
        yield


@contextlib.contextmanager
def _early_pdf_workers(wanted: bool) -> Iterator[None]:
    """For a build of every role as PDF, fork the PDF workers before the workspace loads (see pdf_batch)."""
    if not wanted:
        yield
        return
    from .pdf_batch import early_workers

    with early_workers():
        yield


def _build(
    options: BuildOptions, context: BuildContext, workspace: Workspace, progress: Progress | None, notify: Notify | None
) -> BuildResult:
    targets = _targets(workspace, options)
    placed_targets = _with_places(workspace, targets, options.location)
    request = EncodeRequest(options.formats or tuple(workspace.config.build.formats), context, progress)
    out_dir = choose_out_dir(options.out_dir, workspace.dirs, context.cwd)
    log.debug("writing to %s", out_dir)
    with SpooledFiles() as files:
        # a role built alone links to the index a full build left, so its pages are the full build's bytes
        link_index = options.all_roles or _has_index(out_dir)
        plan = _plan_build(workspace, placed_targets, out_dir, request, options.all_roles, files, link_index)
        produced = _producible_outputs(workspace) if options.clean else None
        report = write_outputs(out_dir, plan.files, produced, notify, shown_relative_to=context.cwd)
    log.debug("wrote %d files, %d unchanged", len(report.written), len(report.unchanged))
    warnings = tuple(map(str, workspace.warnings))
    return BuildResult(out_dir, tuple(targets), report, warnings, plan.lint_summaries, plan.notes, context.cwd)


def _has_index(out_dir: Path) -> bool:
    """Say whether out/ holds the index page of an earlier full build (a regular file, not a link)."""
    from .publish import INDEX_HTML

    try:
        return stat.S_ISREG((out_dir / INDEX_HTML).lstat().st_mode)
    except OSError:
        return False


@dataclass(frozen=True)
class _BuildPlan:
    """Every file a build would write, rendered in memory, and its lint summaries."""

    files: MutableMapping[Path, bytes]  #: held in memory or spooled to disk: see spool.SpooledFiles
    lint_summaries: tuple[str, ...]
    lint_reports: tuple
    notes: tuple[str, ...] = ()  #: postings a full build leaves out of the index and feeds, and why
    postings: tuple = ()  #: (folder, RenderedDoc) of every posting, with its page facts


#: A role at a level, with the places its postings are built for.
_Target = tuple[str, str, tuple[Place, ...]]


def _with_places(workspace: Workspace, targets: list[tuple[str, str]], location: str | None = None) -> list[_Target]:
    """Add to each (role, level) the places to post it in: every place of the role, or the one asked for."""
    placed = []
    for role_id, level_id in targets:
        places = role_places(workspace.config, workspace.roles[role_id])
        if location is not None:
            places = tuple(place for place in places if place.id == location)
        placed.append((role_id, level_id, places))
    return placed


def _plan_build(
    workspace: Workspace,
    targets: list[_Target],
    out_dir: Path,
    request: EncodeRequest,
    with_index: bool,
    files: MutableMapping[Path, bytes],
    link_index: bool | None = None,
) -> _BuildPlan:
    """Render every document of the targets, in every format, into `files`, without touching out/.

    The roles go through in batches: each batch is rendered and linted, then handed to the
    formats, and the previous batch's files are collected while the DOCX workers write this one.
    """
    from .publish import with_page_facts

    renderer = Renderer(workspace.dirs.root)
    postings: list[tuple[str, RenderedDoc]] = []
    reports: list = []
    kinds: Counter[str] = Counter()
    for _, _, places in targets:
        kinds.update({"posting": len(places), "interview-kit": 1, "candidate-guide": 1})
    link = with_index if link_index is None else link_index  # posting pages link to the index
    encoding = Encoding(_encode_context(workspace, renderer, request.context), request.formats, kinds, request.progress)
    with encoding:
        collect_previous = None
        for start in range(0, len(targets), BATCH_ROLES):
            batch = targets[start : start + BATCH_ROLES]
            placed: list[tuple[Path, RenderedDoc]] = []
            linted: list[str] = []
            for role_id, level_id, places in batch:
                folder = output_folder(workspace, role_id, level_id)
                # the kit and guide are one per role and level: the loop does not depend on the place
                first, kit, guide = render_role(workspace, renderer, role_id, level_id, places[0])
                others = [render_posting(workspace, renderer, role_id, level_id, place) for place in places[1:]]
                role_postings = [
                    (posting_folder(workspace, role_id, level_id, place), doc)
                    for place, doc in zip(places, [first, *others], strict=True)
                ]
                role_postings = with_page_facts(workspace, role_postings, request.context, link)
                # the index, the feeds and sign-off need each posting's view and page facts to the
                # end of the build, but not its Markdown: 2,000 postings held 10 MB of it
                postings += [(folder, replace(doc, markdown="")) for folder, doc in role_postings]
                placed += [(out_dir / posting_folder, doc) for posting_folder, doc in role_postings]
                placed += [(out_dir / folder, kit), (out_dir / folder, guide)]
                linted.append(first.markdown)
            collect = encoding.submit(placed)
            # lint reports but never fails a build. It runs while the DOCX workers write the batch,
            # and before anything is written to out/, so bad settings change nothing.
            pairs = [(role_id, level_id) for role_id, level_id, _ in batch]
            reports += _lint_targets(workspace, pairs, linted, request.context)
            if collect_previous is not None:
                collect_previous(files)
            collect_previous = collect
        if collect_previous is not None:
            collect_previous(files)
    notes: list[str] = []
    if with_index:
        from .publish import feed_files, index_files

        listed, notes = _listed_postings(workspace, postings)
        files.update(index_files(workspace, renderer, listed, out_dir, request.formats))
        files.update(feed_files(workspace, listed, out_dir, request.context))
    return _BuildPlan(
        files, tuple(summary_line(report) for report in reports), tuple(reports), tuple(notes), tuple(postings)
    )


def _encode_context(workspace: Workspace, renderer: Renderer, context: BuildContext) -> EncodeContext:
    """Return what the formats may know of the build: its settings, never the workspace."""
    return EncodeContext(
        templates_dir=workspace.dirs.root / TEMPLATES_DIR,
        renderer=renderer,
        author=workspace.config.company.name,
        language=workspace.config.publish.language,
        moment=context.moment,
    )


def _listed_postings(
    workspace: Workspace, postings: list[tuple[str, RenderedDoc]]
) -> tuple[list[tuple[str, RenderedDoc]], list[str]]:
    """Return the postings the index and feeds list (open, and approved when required), and why others are not."""
    notes = [
        f"{folder}: closed on {doc.page.valid_through.isoformat()}; marked closed on its page, left out of the "
        "index and feeds"
        for folder, doc in postings
        if doc.page is not None and doc.page.closed
    ]
    listed = [(folder, doc) for folder, doc in postings if doc.page is None or not doc.page.closed]
    if workspace.config.publish.require_approval:
        from .signoff import posting_states

        states = {state.folder: state for state in posting_states(workspace, listed)}
        for folder, _ in listed:
            if states[folder].status != "approved":
                notes.append(f"{folder}: not approved as it is now; left out of the index and feeds")
        listed = [(folder, doc) for folder, doc in listed if states[folder].status == "approved"]
    return listed, notes


@dataclass(frozen=True)
class CheckResult:
    """What `jdgen check` found: nothing means the gate is open."""

    lint_failures: tuple  #: findings at or above lint.fail_on
    fail_on: str
    stale: tuple[str, ...]  #: outputs whose bytes differ from what a build would write
    missing: tuple[str, ...]  #: outputs a build would write that are not there
    compared: int  #: outputs compared; 0 when out/ does not exist
    warnings: tuple[str, ...]
    unapproved: tuple[str, ...] = ()  #: with publish.require_approval: postings not signed off as they are

    @property
    def passed(self) -> bool:
        """Return whether nothing failed."""
        return not (self.lint_failures or self.stale or self.missing or self.unapproved)


def check(options: CheckOptions) -> CheckResult:
    """The CI gate: validate, lint, and compare out/ (when it exists) with what build --all would write."""
    context = read_context()
    dirs = find_workspace(options.workspace.workspace, context.cwd, context.workspace_variable)
    out_dir = choose_out_dir(options.out_dir, dirs, context.cwd)
    with _early_docx_workers(dirs, context, out_dir.is_dir()):  # out/ there: check builds every role
        return _check(options, context, load_workspace(dirs), out_dir)


def _check(options: CheckOptions, context: BuildContext, workspace: Workspace, out_dir: Path) -> CheckResult:
    targets = [(role_id, role.default_level) for role_id, role in workspace.roles.items()]
    cwd = context.cwd
    fail_on = workspace.config.lint.fail_on
    stale: list[str] = []
    missing: list[str] = []
    formats = tuple(workspace.config.build.formats)
    if out_dir.is_dir():
        request = EncodeRequest(formats, context)
        with SpooledFiles() as files:
            plan = _plan_build(workspace, _with_places(workspace, targets), out_dir, request, True, files)
            # looked at with lstat, never through a link: a FIFO or folder at an output path is stale, not
            # opened; one output's bytes at a time, as `files` may keep them on disk
            present = False  # whether out/ holds any of the outputs as a file
            for path, data in plan.files.items():
                found = inspect_output(out_dir, path)
                present = present or found.kind == "file"
                if found.kind == "missing":
                    missing.append(shown_path(path, cwd))
                elif found.data != data:
                    stale.append(shown_path(path, cwd))
            compared = len(plan.files)
        rendered: list[tuple[str, RenderedDoc]] | None = list(plan.postings)
        reports = plan.lint_reports
        # an out/ holding none of the outputs (only its README) belongs to a repository that
        # does not commit them: nothing to compare
        if not present:
            compared, stale, missing = 0, [], []
    else:
        reports = _lint_postings(workspace, targets, context)
        compared = 0
        rendered = None
    failures = tuple(f for r in reports for f in r.findings if LEVEL_RANK[f.level] >= LEVEL_RANK[fail_on])
    unapproved: list[str] = []
    if workspace.config.publish.require_approval:
        from .signoff import default_postings, posting_states, stale_approval_messages

        # with out/ there, the build plan has already rendered every posting
        postings = rendered if rendered is not None else default_postings(workspace)
        unapproved = stale_approval_messages(posting_states(workspace, postings))
    warnings = tuple(map(str, workspace.warnings))
    return CheckResult(failures, fail_on, tuple(stale), tuple(missing), compared, warnings, tuple(unapproved))


def lint(options: LintOptions) -> LintResult:
    """Check the language of the postings of the requested roles (every role when none)."""
    context = read_context()
    workspace = open_workspace(options.workspace, context)
    targets = _resolve_targets(workspace, options.roles or tuple(workspace.roles), options.level)
    reports = _lint_postings(workspace, targets, context)
    fail_on = options.fail_on or workspace.config.lint.fail_on
    failing = sum(1 for r in reports for f in r.findings if LEVEL_RANK[f.level] >= LEVEL_RANK[fail_on])
    return LintResult(tuple(reports), fail_on, failing)


def _lint_postings(workspace: Workspace, targets: list[tuple[str, str]], context: BuildContext) -> list:
    """Render only the postings of the targets and lint them."""
    renderer = Renderer(workspace.dirs.root)
    postings = [renderer.render(POSTING_TEMPLATE, posting=assemble_posting(workspace, r, lv)) for r, lv in targets]
    return _lint_targets(workspace, targets, postings, context)


def _lint_targets(workspace: Workspace, targets, postings: list[str], context: BuildContext) -> list:
    from .lint import lint_role  # lint.disable and lint.allow were checked with the workspace

    return [
        lint_role(workspace, role_id, level_id, count_words(markdown), context.today)
        for (role_id, level_id), markdown in zip(targets, postings, strict=True)
    ]


def count_words(markdown: str) -> int:
    """Count the words a reader sees in a Markdown document."""
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", markdown))


def encode_documents(
    workspace: Workspace, renderer: Renderer, placed: list[tuple[Path, RenderedDoc]], request: EncodeRequest
) -> dict[Path, bytes]:
    """Turn rendered documents into the bytes of every requested format that applies to them."""
    files: dict[Path, bytes] = {}
    kinds = Counter(doc.document for _, doc in placed)
    with Encoding(_encode_context(workspace, renderer, request.context), request.formats, kinds) as encoding:
        encoding.submit(placed)(files)
    return files


def render_posting(
    workspace: Workspace, renderer: Renderer, role_id: str, level_id: str, place: Place | None = None
) -> RenderedDoc:
    """Render a role's posting in one place (by default its first) to Markdown."""
    posting = assemble_posting(workspace, role_id, level_id, place)
    # a posting of one of several places names it, so each place's DOCX says which it is
    keywords = ", ".join(part for part in (role_id, level_id, posting.place.folder) if part)
    return RenderedDoc(
        "posting",
        renderer.render(POSTING_TEMPLATE, posting=posting),
        posting.title,
        "Job posting",
        f"{TEMPLATES_DIR}/{POSTING_TEMPLATE}",
        keywords,
        posting,
    )


def render_role(
    workspace: Workspace, renderer: Renderer, role_id: str, level_id: str, place: Place | None = None
) -> list[RenderedDoc]:
    """Render a role's posting (in `place`, by default its first), interview kit and candidate guide."""
    keywords = f"{role_id}, {level_id}"
    kit = assemble_kit(workspace, role_id, level_id)
    guide = assemble_guide(workspace, role_id, level_id)
    return [
        render_posting(workspace, renderer, role_id, level_id, place),
        RenderedDoc(
            "interview-kit",
            renderer.render(KIT_TEMPLATE, kit=kit),
            f"Interview kit: {kit.title}",
            "Interview kit",
            f"{TEMPLATES_DIR}/{KIT_TEMPLATE}",
            keywords,
            view=kit,
        ),
        RenderedDoc(
            "candidate-guide",
            renderer.render(GUIDE_TEMPLATE, guide=guide),
            f"Your interviews: {guide.title}",
            "Candidate interview guide",
            f"{TEMPLATES_DIR}/{GUIDE_TEMPLATE}",
            keywords,
            view=guide,
        ),
    ]


def show(options: ShowOptions) -> str:
    """Return the Markdown of a role's posting or kit."""
    workspace = open_workspace(options.workspace, read_context())
    role_id = resolve_role(workspace, options.role)
    level_id = resolve_level(workspace, role_id, options.level)
    renderer = Renderer(workspace.dirs.root)
    if options.kit:
        return renderer.render(KIT_TEMPLATE, kit=assemble_kit(workspace, role_id, level_id))
    return renderer.render(POSTING_TEMPLATE, posting=assemble_posting(workspace, role_id, level_id))


def _producible_outputs(workspace: Workspace) -> frozenset[str]:
    """Return every path under out/ some build of this workspace could write; --clean spares them."""
    from .formats import DOCUMENT_FORMATS, document_format, feed_format
    from .publish import INDEX_HTML, INDEX_MD, JOBS_JSON

    formats = [document_format(name) for name in DOCUMENT_FORMATS]

    def names(kind: str) -> set[str]:
        return {fmt.file_name(kind) for fmt in formats if kind in fmt.documents}

    postings, role_names = names("posting"), names("interview-kit") | names("candidate-guide")
    roles = workspace.roles
    files: set[str] = set()
    for role_id, role in roles.items():
        places = [place.folder for place in role_places(workspace.config, role) if place.folder]
        for level_id in role.levels:
            folder = output_folder(workspace, role_id, level_id)
            files |= {f"{folder}/{name}" for name in role_names}
            # posted in several places: each posting is in its place's folder, none in the role's own
            subfolders = [f"{folder}/{sub}" for sub in places] or [folder]
            files |= {f"{sub}/{name}" for sub in subfolders for name in postings}
    stems = {f"{a}-vs-{b}" for a in roles for b in roles if a != b}
    stems |= {f"{r}-{a}-vs-{b}" for r, role in roles.items() for a in role.levels for b in role.levels if a != b}
    files |= {f"compare/{stem}{suffix}" for stem in stems for suffix in {fmt.suffix for fmt in formats}}
    files |= {feed_format(name).file_name for name in workspace.config.publish.feeds}
    return frozenset({*files, INDEX_MD, INDEX_HTML, JOBS_JSON})


def output_folder(workspace: Workspace, role_id: str, level_id: str) -> str:
    """Return the folder name under out/: the role id, suffixed by a non-default level."""
    return output_folder_name(role_id, level_id, workspace.roles[role_id].default_level)


def posting_folder(workspace: Workspace, role_id: str, level_id: str, place: Place) -> str:
    """Return a posting's folder under out/: its role's, or a subfolder per place of a role posted in several."""
    folder = output_folder(workspace, role_id, level_id)
    return f"{folder}/{place.folder}" if place.folder else folder


def _targets(workspace: Workspace, options: BuildOptions) -> list[tuple[str, str]]:
    if options.all_roles and options.roles:
        raise CommandLineError("jdgen: name roles or use --all, not both")
    if options.location is not None and options.all_roles:
        raise CommandLineError("jdgen: --location builds one place of the roles named; name them instead of --all")
    if not options.all_roles and not options.roles:
        raise CommandLineError("jdgen: name at least one role (see `jdgen list`) or use --all")
    if options.all_roles and options.level:
        # --all --level senior means every role that has a senior level
        having = [role_id for role_id, role in workspace.roles.items() if options.level in role.levels]
        if not having:
            levels = sorted({level for role in workspace.roles.values() for level in role.levels})
            hint = suggest(options.level, levels)
            raise CommandLineError(
                f"jdgen: no role has level '{options.level}'{hint}; levels in use: {', '.join(levels)}"
            )
        return [(role_id, options.level) for role_id in having]
    targets = _resolve_targets(workspace, tuple(workspace.roles) if options.all_roles else options.roles, options.level)
    for role_id, _ in targets if options.location is not None else ():
        check_location_option(role_id, workspace.roles[role_id], options.location)
    return targets


def _resolve_targets(workspace: Workspace, names: tuple[str, ...], level: str | None) -> list[tuple[str, str]]:
    """Turn role names and aliases into (role id, level) pairs, each role once, in order."""
    role_ids = dict.fromkeys(resolve_role(workspace, name) for name in names)
    return [(role_id, resolve_level(workspace, role_id, level)) for role_id in role_ids]
