"""HTML pages on a phone and on paper: no sideways scroll, a stacked index, print CSS, a way back to the index."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import browser
import pytest
from browser import dump_dom
from click.testing import CliRunner
from conftest import REPO, copy_builtin

from generator.cli import cli
from generator.html_writer import markdown_to_html
from generator.render import PAGE_TEMPLATE, Renderer

PAGES = ("index.html", "pm/posting.html", "tpm/columbus/posting.html", "tpm/candidate-guide.html")
WIDTHS = (320, 414, 1280)  #: the narrowest phone, a large phone, a desktop

needs_chromium = browser.needs_chromium("the layout is not measured")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the built-in workspace's postings and index as HTML, once for this module."""
    workspace = copy_builtin(tmp_path_factory.mktemp("builtin"))
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "build", "--all", "--format", "html"])
    assert result.exit_code == 0, result.output
    return workspace / "out"


def _probe(page_html: str, width: int) -> str:
    """Return an iframe of `width` px showing the page, with a script that records the page's widths."""
    # headless Chromium will not make its window narrower than 500 px, so the page is laid out in an
    # iframe of the width under test; srcdoc keeps it same-origin, so the parent can measure it
    return (
        f'<iframe id="f{width}" width="{width}" height="800" style="border:0;display:block" '
        f'srcdoc="{html.escape(page_html, quote=True)}"></iframe>'
    )


_MEASURE = """<script>
window.addEventListener("load", () => {
  for (const frame of document.querySelectorAll("iframe")) {
    const out = document.createElement("output");
    out.id = "m-" + frame.id;
    const root = frame.contentDocument.documentElement;
    out.textContent = [root.scrollWidth, root.clientWidth, frame.contentWindow.innerWidth].join(" ");
    document.body.append(out);
  }
});
</script>"""


def _measure(page_html: str, tmp_path: Path) -> dict[int, tuple[int, ...]]:
    """Lay the page out in headless Chromium at each width; return (scrollWidth, clientWidth, innerWidth)."""
    probe = tmp_path / "probe.html"
    frames = "".join(_probe(page_html, width) for width in WIDTHS)
    probe.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{frames}{_MEASURE}</body></html>")
    dom = dump_dom(probe.as_uri(), tmp_path / "profile", "--window-size=1400,900", "--virtual-time-budget=3000",
                   timeout=120)  # fmt: skip
    found = dict(re.findall(r'<output id="m-f(\d+)">(\d+ \d+ \d+)</output>', dom))
    assert set(found) == {str(width) for width in WIDTHS}, dom[-2000:]
    return {int(width): tuple(int(n) for n in text.split()) for width, text in found.items()}


@needs_chromium
@pytest.mark.parametrize("page", PAGES)
def test_pages_have_no_horizontal_scroll_from_phone_to_desktop(site: Path, page: str, tmp_path: Path) -> None:
    for width, (scroll_width, client_width, inner_width) in _measure((site / page).read_text(), tmp_path).items():
        assert inner_width == width
        # clientWidth leaves out a vertical scrollbar, so this is stricter than scrollWidth <= innerWidth
        assert scroll_width <= client_width <= inner_width, f"{page} at {width} px is {scroll_width} px wide"


@needs_chromium
def test_the_measurement_sees_a_page_that_is_too_wide(tmp_path: Path) -> None:
    measured = _measure("<!DOCTYPE html><html><body><div style='width:600px'>wide</div></body></html>", tmp_path)
    assert measured[320][0] > measured[320][1] and measured[1280][0] <= measured[1280][1]


def test_the_page_css_stacks_tables_on_narrow_screens_and_wraps_long_words(site: Path) -> None:
    page = (site / "index.html").read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # break-word wraps a long URL that would overflow; `anywhere` would also shrink table columns
    # below their longest word, so a desktop index showed "Associa" / "te"
    assert "overflow-wrap: break-word" in page
    assert "overflow-wrap: anywhere" not in page
    narrow = page.split("@media (max-width: 600px) {", 1)[1].split("\n  }", 1)[0]
    assert "table, thead, tbody, tr, th, td { display: block; }" in narrow


def test_print_css_adds_a_url_only_to_links_whose_text_is_not_the_url(site: Path) -> None:
    page = (site / "pm/posting.html").read_text()
    printed = page.split("@media print {", 1)[1].split("\n  }", 1)[0]
    assert 'a[href^="http"]:not(.bare)::after { content: " (" attr(href) ")"' in printed
    # the posting's "apply at <url>" is an autolink: marked bare, so it is printed once
    bare = re.findall(r'<a href="([^"]+)" class="bare">([^<]+)</a>', page)
    assert bare and all(href == text for href, text in bare)


def test_autolinks_are_marked_bare_and_other_links_are_not() -> None:
    text = markdown_to_html("Apply at <https://example.com/jobs>, or read [our story](https://example.com/about).")
    assert '<a href="https://example.com/jobs" class="bare">https://example.com/jobs</a>' in text
    assert '<a href="https://example.com/about">our story</a>' in text


@dataclass(frozen=True)
class _Page:
    """The page template's view, with the index's relative path that the build is to pass."""

    lang: str = "en"
    title: str = "Project Manager"
    site_name: str = "Acme"
    summary: str = "Run projects."
    canonical: str | None = None
    body: str = "<h1>Project Manager</h1>"
    json_ld: str | None = None
    index_href: str | None = None


@pytest.mark.parametrize("href", ["../index.html", "../../index.html"])
def test_the_page_template_links_back_to_the_index_when_given_its_path(href: str) -> None:
    page = Renderer(REPO).render_html(PAGE_TEMPLATE, page=_Page(index_href=href))
    assert f'<nav class="back" aria-label="Back"><a href="{href}">All open roles</a></nav>' in page
    assert "<nav" not in Renderer(REPO).render_html(PAGE_TEMPLATE, page=_Page())
