"""Markdown → standalone HTML pages, with JSON data made safe inside a <script> element."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from .render import PAGE_TEMPLATE, Renderer
from .slugs import HeadingSlugs

#: Characters that could end a <script> element or start markup, escaped inside JSON.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True)
class Page:
    """What the page template needs: everything already escaped or safe."""

    lang: str
    title: str
    site_name: str
    summary: str
    canonical: str | None
    body: Markup  #: HTML from the Markdown; raw HTML in the Markdown is escaped, never passed on
    json_ld: Markup | None  #: JSON made safe to sit inside a <script> element
    index_href: str | None = None  #: the careers index relative to this page, for the back link
    robots: str | None = None  #: e.g. "noindex" for a page sent by link and not meant for search engines


def markdown_to_html(markdown: str, heading_ids: bool = False) -> str:
    """Render Markdown to HTML; raw HTML in it is shown as text, never interpreted.

    With `heading_ids`, every heading gets the id that links such as the kit's coverage table
    point at; a posting goes without, as job boards take its HTML as the description.
    """
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(markdown)
    slugs = HeadingSlugs()
    for index, block in enumerate(tokens):
        if heading_ids and block.type == "heading_open":
            block.attrSet("id", slugs.next(plain_text(tokens[index + 1])))
        # an autolink's text is its URL: class="bare" tells the print stylesheet not to print the URL twice
        for token in block.children or ():
            if token.type == "link_open" and token.markup == "autolink":
                token.attrSet("class", "bare")
    return parser.renderer.render(tokens, parser.options, {})


def plain_text(inline: Token) -> str:
    """Return the text an inline token shows, without its Markdown."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def script_json(data: Any) -> Markup:
    """Serialise data as JSON that cannot end or break out of a <script> element."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Markup(text.translate(_SCRIPT_SAFE))


@dataclass(frozen=True)
class PageContent:
    """One page's own content, before the site's frame goes around it."""

    title: str
    summary: str
    body_html: str  #: from markdown_to_html
    canonical: str | None = None
    json_ld: dict[str, Any] | None = None
    index_href: str | None = None  #: the careers index relative to this page, when there is one
    robots: str | None = None  #: what search engines may do with the page, when not everything


@dataclass(frozen=True)
class SiteInfo:
    """What every page of the site shares."""

    language: str  #: the pages' `lang`
    name: str  #: the company, as the site's name


def render_page(renderer: Renderer, site: SiteInfo, content: PageContent) -> str:
    """Render a standalone page around HTML produced from Markdown."""
    page = Page(
        lang=site.language,
        title=content.title,
        site_name=site.name,
        summary=content.summary,
        canonical=content.canonical,
        body=Markup(content.body_html),
        json_ld=script_json(content.json_ld) if content.json_ld else None,
        index_href=content.index_href,
        robots=content.robots,
    )
    return renderer.render_html(PAGE_TEMPLATE, page=page)


def page_url(base_url: str | None, relative: str) -> str | None:
    """Return the public URL of an output file, when the site's base URL is known."""
    if not base_url:
        return None
    return base_url.rstrip("/") + "/" + relative
