"""What a careers site needs: posting pages with JobPosting data, the index and jobs.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .assemble import assemble_index
from .clock import posting_date
from .html_writer import PageContent, job_posting, markdown_to_html, page_url, render_page
from .render import INDEX_TEMPLATE, Renderer
from .validate import Workspace

INDEX_MD = "index.md"
INDEX_HTML = "index.html"
JOBS_JSON = "jobs.json"


def posting_pages(
    workspace: Workspace, renderer: Renderer, postings: list, out_dir: Path
) -> tuple[dict[Path, bytes], list[dict[str, Any]]]:
    """Render each posting as a page; return the pages and their JobPosting objects."""
    pages: dict[Path, bytes] = {}
    objects = []
    base_url = workspace.config.publish.base_url
    for folder, doc in postings:
        posting = doc.view
        body = markdown_to_html(doc.markdown)
        url = page_url(base_url, f"{folder}/posting.html")
        date = posting_date(workspace.roles[posting.role_id].date_posted)
        data = job_posting(workspace, posting, body, date, url)
        objects.append(data)
        content = PageContent(posting.title, posting.summary, body, canonical=url, json_ld=data)
        pages[out_dir / folder / "posting.html"] = render_page(renderer, workspace, content).encode("utf-8")
    return pages, objects


def index_files(
    workspace: Workspace,
    renderer: Renderer,
    postings: list,
    job_objects: list[dict[str, Any]],
    out_dir: Path,
    formats: tuple[str, ...],
) -> dict[Path, bytes]:
    """Render the careers index (Markdown always; HTML and jobs.json with the html format)."""
    index = assemble_index(workspace, [(folder, doc.view) for folder, doc in postings])
    files = {out_dir / INDEX_MD: renderer.render(INDEX_TEMPLATE, index=index, link_ext="md").encode("utf-8")}
    if "html" in formats:
        markdown = renderer.render(INDEX_TEMPLATE, index=index, link_ext="html")
        title = f"Open roles at {index.company_name}"
        content = PageContent(
            title, index.intro, markdown_to_html(markdown), page_url(workspace.config.publish.base_url, INDEX_HTML)
        )
        files[out_dir / INDEX_HTML] = render_page(renderer, workspace, content).encode("utf-8")
        text = json.dumps(job_objects, ensure_ascii=False, indent=2) + "\n"
        files[out_dir / JOBS_JSON] = text.encode("utf-8")
    return files
