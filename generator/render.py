"""The one Jinja environment, and rendering view models to Markdown within fixed limits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from .errors import TemplateError, UnreadableFileError
from .files import read_workspace_file, shown_path
from .sandbox import MAX_RENDER_MEMORY, BoundedEnvironment, LimitError, collect_output, render_limits
from .workspace import TEMPLATES_DIR

POSTING_TEMPLATE = "posting.md.j2"
KIT_TEMPLATE = "interview-kit.md.j2"
GUIDE_TEMPLATE = "candidate-guide.md.j2"
COMPARE_TEMPLATE = "compare.md.j2"
COMPARE_LEVELS_TEMPLATE = "compare-levels.md.j2"
INDEX_TEMPLATE = "index.md.j2"
PAGE_TEMPLATE = "page.html.j2"

#: A template file larger than this is refused before Jinja compiles it.
MAX_TEMPLATE_BYTES = 1_000_000

# Characters that carry meaning anywhere in a Markdown line, and those that do at its start.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")
#: Characters XML 1.0 cannot hold, so neither can the DOCX or HTML made from a document.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_REFERENCE_TAG = re.compile(r"\{%-?\s*(?:include|import|from|extends)\b.*?%\}")


class Raw(str):
    """Text a template filter has already made safe for Markdown; finalize leaves it alone."""


def escape_markdown(value: Any) -> Any:
    """Escape plain data text so it shows literally in Markdown (the templates own formatting)."""
    if isinstance(value, Raw) or not isinstance(value, str):
        return value
    text = _INLINE_SPECIAL.sub(r"\\\1", value)
    text = _ENTITY.sub("&amp;", text)
    return _escape_line_starts(text)


def _escape_line_starts(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        indent, marker = match.group(1), match.group(2)
        if marker[0].isdigit():
            return f"{indent}{marker}\\"  # '1.' → '1\.' keeps the number, drops the list
        return f"{indent}\\{marker}"

    return _LINE_START_SPECIAL.sub(fix, text)


def _url(value: str) -> Raw:
    """Make a URL safe inside a Markdown link target."""
    table = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}
    return Raw("".join(table.get(ch, ch) for ch in value))


def _code(value: Any, language: Any = "") -> Raw:
    """Fence code so it shows exactly as written: the fence is longer than any run of backticks in it."""
    text = str(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    info = language if isinstance(language, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", language) else ""
    return Raw(f"{fence}{info}\n{text}\n{fence}")


def _cell(value: Any) -> Raw:
    """Escape text for a table cell: Markdown escapes plus no line breaks."""
    return Raw(" ".join(str(escape_markdown(value)).split()))


class WorkspaceLoader(jinja2.BaseLoader):
    """Load templates from templates/, reading only regular files inside the workspace."""

    def __init__(self, templates_dir: Path, root: Path) -> None:
        self.templates_dir = templates_dir
        self.root = root
        self.sources: dict[str, str] = {}  #: file name given to Jinja → the template's text

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """Return a template's text; a name with `..` in it is not found, as with Jinja's own loader."""
        if not isinstance(template, str):  # `{% extends posting %}`: a value, not a name
            raise jinja2.TemplateNotFound(template)
        path = self.templates_dir.joinpath(*split_template_path(template))
        if not path.is_symlink() and not path.exists():
            raise jinja2.TemplateNotFound(template)
        data = read_workspace_file(path, self.root, MAX_TEMPLATE_BYTES, "templates")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as err:
            rel = shown_path(path, self.root)
            raise UnreadableFileError(rel, "the template is not UTF-8 text; save it with UTF-8 encoding") from err
        self.sources[str(path)] = source
        return source, str(path), lambda: True  # a build is too short for templates to change under it

    def rel(self, filename: str) -> str:
        """Return a loaded template's path as messages show it."""
        return shown_path(Path(filename), self.root)


def make_environment(loader: jinja2.BaseLoader, html: bool = False) -> BoundedEnvironment:
    """Create the Jinja environment templates render in: Markdown escaping, or HTML autoescaping."""
    env = BoundedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=None if html else escape_markdown,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["url"] = _url
    env.filters["cell"] = _cell
    env.filters["code"] = _code
    return env


class Renderer:
    """Render documents with a workspace's templates, within limits, translating template errors."""

    def __init__(self, workspace_root: Path) -> None:
        self.templates_dir = workspace_root / TEMPLATES_DIR
        self.loader = WorkspaceLoader(self.templates_dir, workspace_root)
        self.env = make_environment(self.loader)
        self._html_env: BoundedEnvironment | None = None

    def render(self, template_name: str, **context: Any) -> str:
        """Render one Markdown template to normalised Markdown text."""
        return normalise_markdown(self._render(self.env, template_name, context))

    def render_html(self, template_name: str, **context: Any) -> str:
        """Render one HTML template, every value autoescaped."""
        if self._html_env is None:
            self._html_env = make_environment(self.loader, html=True)
        return self._render(self._html_env, template_name, context).rstrip("\n") + "\n"

    def _render(self, env: BoundedEnvironment, template_name: str, context: dict[str, Any]) -> str:
        rel = f"{TEMPLATES_DIR}/{template_name}"
        env.start_document()
        try:
            with render_limits():
                template = self._get_template(env, template_name, rel)
                text = collect_output(template.generate(**context))
        except TemplateError:
            raise
        except Exception as err:
            translated = self._translate(err, rel)
            if translated is None:
                raise
            raise translated from err
        if bad := _XML_INVALID.search(text):
            line = text.count("\n", 0, bad.start()) + 1
            raise TemplateError(
                rel,
                None,
                f"the rendered document holds the control character U+{ord(bad.group()):04X} (line {line} of the "
                "output), which DOCX and HTML cannot hold; remove it from the template",
            )
        return text

    def _get_template(self, env: BoundedEnvironment, template_name: str, rel: str) -> jinja2.Template:
        """Load the document's own template; a problem with it is located at its file, not at a line."""
        try:
            return env.get_template(template_name)
        except jinja2.TemplateNotFound as err:
            where = self.templates_dir if self.templates_dir.is_dir() else f"{self.templates_dir} (missing)"
            raise TemplateError(
                rel, None, f"template not found in {where}; copy it from the built-in workspace"
            ) from err
        except UnreadableFileError as err:
            raise TemplateError(err.problem.path, None, err.problem.message) from err

    def _translate(self, err: Exception, rel: str) -> TemplateError | None:
        """Turn an error raised while rendering into one located line; None for a bug in jdgen."""
        if isinstance(err, jinja2.TemplateSyntaxError):
            where = self.loader.rel(err.filename) if err.filename in self.loader.sources else rel
            return TemplateError(where, err.lineno, f"template syntax error: {err.message}")
        found = self._location(err)
        where, line = (self.loader.rel(found[0]), found[1]) if found else (rel, None)
        if isinstance(err, jinja2.TemplateNotFound | UnreadableFileError):
            return TemplateError(where, line, self._reference_problem(err, found))
        message = _describe(err)
        return None if message is None else TemplateError(where, line, message)

    def _reference_problem(self, err: Exception, found: tuple[str, int] | None) -> str:
        """Describe an include, import or extends that cannot be read, quoting the tag."""
        if isinstance(err, jinja2.TemplateNotFound):
            name = err.name
        else:
            name = err.problem.path.removeprefix(f"{TEMPLATES_DIR}/")
        named = isinstance(name, str) and bool(name)
        tag = f"'{name}'" if named else "the tag"
        if found is not None:
            lines = self.loader.sources[found[0]].splitlines()
            text = lines[found[1] - 1] if 0 < found[1] <= len(lines) else ""
            tags = [m.group() for m in _REFERENCE_TAG.finditer(text)]
            # a value given as the name (`{% extends posting %}`) is not in the text: the line's tag is
            tag = next((t for t in tags if str(name) in t), tag) if named else (tags[0] if tags else tag)
        if isinstance(err, UnreadableFileError):
            return f"{tag}: {err.problem.path}: {err.problem.message}"
        if not named:  # `{% include none %}`, `{% include [] %}`, a view
            return f"{tag}: needs the name of a template in quotes, e.g. {{% include 'part.md.j2' %}}"
        if ".." in str(name).replace("\\", "/").split("/"):
            return f"{tag}: '{name}' points outside {TEMPLATES_DIR}/; name a template inside it"
        return f"{tag}: {TEMPLATES_DIR}/{str(name).lstrip('/')} does not exist; create it or fix the name"

    def _location(self, err: BaseException) -> tuple[str, int] | None:
        """Find the innermost template line an error passed through, from Jinja's rewritten traceback."""
        found = None
        tb = err.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename in self.loader.sources:
                found = (filename, tb.tb_lineno)
            tb = tb.tb_next
        return found


def _describe(err: Exception) -> str | None:
    """Say what went wrong in a template, or None when the error is not the template's doing."""
    if isinstance(err, LimitError):
        return str(err)
    if isinstance(err, RecursionError):
        return "the template includes or calls itself without end; stop the recursion"
    if isinstance(err, MemoryError):
        return f"the template needs more than {MAX_RENDER_MEMORY // 1_000_000} MB of memory to render; make it simpler"
    if isinstance(err, SecurityError):
        reason = str(err).rstrip(".")
        return f"the sandbox refused the template: {reason}; templates may use only the document's fields"
    if isinstance(err, jinja2.UndefinedError):
        return f"undefined variable: {err.message}"
    if isinstance(err, jinja2.TemplateError):
        return f"template error: {err}"
    if isinstance(err, ArithmeticError | TypeError | ValueError | LookupError):
        return f"the template cannot compute a value: {err}"
    return None


def normalise_markdown(text: str) -> str:
    """Drop trailing spaces and repeated blank lines; end with exactly one newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"
