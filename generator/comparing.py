"""`jdgen compare`: two roles side by side, or two levels of one role; rendered and written like a build."""

from __future__ import annotations

from .assemble import assemble_comparison
from .context import read_context
from .core import Workspace
from .errors import CommandLineError
from .level_compare import adjacent_levels, assemble_level_comparison
from .options import CompareOptions
from .outlock import Notify
from .output import choose_out_dir, write_outputs
from .pipeline import (
    BuildResult,
    EncodeRequest,
    RenderedDoc,
    encode_documents,
    open_workspace,
    resolve_level,
    resolve_role,
)
from .render import COMPARE_LEVELS_TEMPLATE, COMPARE_TEMPLATE, Renderer
from .workspace import TEMPLATES_DIR

#: A comparison to write: (role A, level A or None, role B, level B or None).
_Pair = tuple[str, str | None, str, str | None]


def compare(options: CompareOptions, notify: Notify | None = None) -> BuildResult:
    """Write each requested comparison to out/compare/ as Markdown and DOCX."""
    context = read_context()
    workspace = open_workspace(options.workspace, context)
    pairs = _pairs(workspace, options)
    formats = options.formats or tuple(workspace.config.build.formats)
    out_dir = choose_out_dir(options.out_dir, workspace.dirs, context.cwd)
    renderer = Renderer(workspace.dirs.root)
    placed = [(out_dir / "compare", _render(workspace, renderer, pair)) for pair in pairs]
    files = encode_documents(workspace, renderer, placed, EncodeRequest(tuple(formats), context))
    report = write_outputs(out_dir, files, None, notify, context.cwd)
    targets = tuple(
        dict.fromkeys(
            (role_id, level or workspace.roles[role_id].default_level)
            for a, la, b, lb in pairs
            for role_id, level in ((a, la), (b, lb))
        )
    )
    return BuildResult(out_dir, targets, report, tuple(map(str, workspace.warnings)))


def _pairs(workspace: Workspace, options: CompareOptions) -> list[_Pair]:
    """Turn the names on the command line into the comparisons to write."""
    if options.levels:
        if options.role_b is not None:
            raise CommandLineError("jdgen: --levels compares the levels of one role; name only that role")
        role_id = resolve_role(workspace, options.role_a.partition("@")[0])
        steps = adjacent_levels(workspace, role_id)
        if not steps:
            level = next(iter(workspace.roles[role_id].levels))
            raise CommandLineError(f"jdgen: role '{role_id}' has one level only ('{level}'); nothing to compare")
        return [(role_id, a, role_id, b) for a, b in steps]
    if options.role_b is None:
        raise CommandLineError(
            "jdgen: name two roles (jdgen compare tpm pm), two levels of one role (jdgen compare tpm@mid tpm@senior) "
            "or one role with --levels"
        )
    if "@" not in options.role_a and "@" not in options.role_b:
        a_id, b_id = (resolve_role(workspace, name) for name in (options.role_a, options.role_b))
        if a_id == b_id:
            raise CommandLineError(f"jdgen: compare two different roles, not '{a_id}' with itself")
        return [(a_id, None, b_id, None)]
    (a_id, a_level), (b_id, b_level) = (_role_at_level(workspace, name) for name in (options.role_a, options.role_b))
    if a_id != b_id:
        raise CommandLineError(
            f"jdgen: compare levels of one role (tpm@mid tpm@senior), not '{a_id}' with '{b_id}'; "
            "to compare two roles, leave out the levels"
        )
    if a_level == b_level:
        raise CommandLineError(f"jdgen: compare two different levels of '{a_id}', not '{a_level}' with itself")
    return [(a_id, a_level, b_id, b_level)]


def _role_at_level(workspace: Workspace, name: str) -> tuple[str, str]:
    """Resolve `role@level` (or a bare role, at its default level)."""
    role_name, _, level = name.partition("@")
    role_id = resolve_role(workspace, role_name)
    if "@" in name and not level:
        raise CommandLineError(f"jdgen: '{name}' names no level after '@'; write it as {role_id}@LEVEL")
    return role_id, resolve_level(workspace, role_id, level or None)


def _render(workspace: Workspace, renderer: Renderer, pair: _Pair) -> RenderedDoc:
    a_id, a_level, b_id, b_level = pair
    if a_level is None or b_level is None:
        doc = assemble_comparison(workspace, a_id, b_id)
        return RenderedDoc(
            f"{a_id}-vs-{b_id}",
            renderer.render(COMPARE_TEMPLATE, doc=doc),
            f"{doc.a.title} and {doc.b.title}",
            "Role comparison",
            f"{TEMPLATES_DIR}/{COMPARE_TEMPLATE}",
            f"{a_id}, {b_id}",
            kind="comparison",
        )
    levels = assemble_level_comparison(workspace, a_id, a_level, b_level)
    return RenderedDoc(
        f"{a_id}-{a_level}-vs-{b_level}",
        renderer.render(COMPARE_LEVELS_TEMPLATE, doc=levels),
        f"{levels.role_title}: {levels.a.name} and {levels.b.name}",
        "Level comparison",
        f"{TEMPLATES_DIR}/{COMPARE_LEVELS_TEMPLATE}",
        f"{a_id}, {a_level}, {b_level}",
        kind="comparison",
    )
