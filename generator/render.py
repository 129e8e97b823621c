"""The one Jinja environment, and rendering view models to Markdown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import TemplateError
from .workspace import TEMPLATES_DIR

POSTING_TEMPLATE = "posting.md.j2"
KIT_TEMPLATE = "interview-kit.md.j2"
GUIDE_TEMPLATE = "candidate-guide.md.j2"
COMPARE_TEMPLATE = "compare.md.j2"
INDEX_TEMPLATE = "index.md.j2"
PAGE_TEMPLATE = "page.html.j2"

# Characters that carry meaning anywhere in a Markdown line, and those that do at its start.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")


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


def _cell(value: Any) -> Raw:
    """Escape text for a table cell: Markdown escapes plus no line breaks."""
    return Raw(" ".join(str(escape_markdown(value)).split()))


def make_environment(templates_dir: Path, html: bool = False) -> jinja2.Environment:
    """Create the Jinja environment templates render in: Markdown escaping, or HTML autoescaping."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        finalize=None if html else escape_markdown,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["url"] = _url
    env.filters["cell"] = _cell
    return env


class Renderer:
    """Render documents with a workspace's templates, translating template errors."""

    def __init__(self, workspace_root: Path) -> None:
        self.templates_dir = workspace_root / TEMPLATES_DIR
        self.env = make_environment(self.templates_dir)
        self._html_env: jinja2.Environment | None = None

    def render(self, template_name: str, **context: Any) -> str:
        """Render one Markdown template to normalised Markdown text."""
        return normalise_markdown(self._render(self.env, template_name, context))

    def render_html(self, template_name: str, **context: Any) -> str:
        """Render one HTML template, every value autoescaped."""
        if self._html_env is None:
            self._html_env = make_environment(self.templates_dir, html=True)
        return self._render(self._html_env, template_name, context).rstrip("\n") + "\n"

    def _render(self, env: jinja2.Environment, template_name: str, context: dict[str, Any]) -> str:
        rel = f"{TEMPLATES_DIR}/{template_name}"
        try:
            return env.get_template(template_name).render(**context)
        except jinja2.TemplateNotFound as err:
            where = self.templates_dir if self.templates_dir.is_dir() else f"{self.templates_dir} (missing)"
            raise TemplateError(
                rel, None, f"template not found in {where}; copy it from the built-in workspace"
            ) from err
        except UnicodeDecodeError as err:
            raise TemplateError(rel, None, "the template is not UTF-8 text; save it with UTF-8 encoding") from err
        except jinja2.TemplateSyntaxError as err:
            raise TemplateError(rel, err.lineno, f"template syntax error: {err.message}") from err
        except SecurityError as err:
            raise TemplateError(
                rel,
                _template_line(err, template_name),
                f"the sandbox refused the template: {str(err).rstrip('.')}; "
                "templates may use only the document's fields",
            ) from err
        except jinja2.UndefinedError as err:
            raise TemplateError(rel, _template_line(err, template_name), f"undefined variable: {err.message}") from err
        except jinja2.TemplateError as err:
            raise TemplateError(rel, _template_line(err, template_name), f"template error: {err}") from err


def normalise_markdown(text: str) -> str:
    """Drop trailing spaces and repeated blank lines; end with exactly one newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"


def _template_line(err: Exception, template_name: str) -> int | None:
    """Find the template line an error was raised at, from Jinja's rewritten traceback."""
    line = None
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(template_name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
