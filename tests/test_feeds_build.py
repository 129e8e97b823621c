"""Feeds from a full build: one entry per open posting and place, stable identifiers, closed postings left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from generator.cli import cli

#: 2026-12-01: every built-in posting is open (the TPM closes on 31 January 2027).
OPEN_DAY = "1796083200"
#: 2027-03-01: past the TPM's closing date; the other roles are posted that day, so open.
AFTER_TPM_CLOSES = "1803859200"


def _build(runner, root: Path, epoch: str) -> Path:
    result = runner.invoke(
        cli,
        ["--workspace", str(root), "build", "--all", "--format", "md", "--format", "html"],
        env={"SOURCE_DATE_EPOCH": epoch},
    )
    assert result.exit_code == 0, result.output
    return root / "out"


def _postings(out: Path) -> list[str]:
    """Every posting folder of the build, e.g. tpm/columbus and pm."""
    return sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("posting.html"))


@pytest.fixture
def out(runner, builtin_copy: Path) -> Path:
    return _build(runner, builtin_copy, OPEN_DAY)


def test_every_feed_has_one_entry_per_posting_and_place(out: Path) -> None:
    postings = _postings(out)
    assert len(postings) == 8  # six roles, the TPM in three places
    indeed = etree.fromstring((out / "feeds/indeed.xml").read_bytes())
    linkedin = etree.fromstring((out / "feeds/linkedin.xml").read_bytes())
    positions = json.loads((out / "feeds/positions.json").read_text())["positionOpenings"]
    assert len(indeed.findall("job")) == len(linkedin.findall("job")) == len(positions) == 8
    references = [job.findtext("referencenumber") for job in indeed.findall("job")]
    assert len(set(references)) == 8
    assert {"tpm-mid-columbus", "tpm-mid-new-york", "tpm-mid-remote-us", "pm-mid"} <= set(references)
    tpm = next(job for job in indeed.findall("job") if job.findtext("referencenumber") == "tpm-mid-new-york")
    assert tpm.findtext("title") == "Technical Project Manager"  # no pay, no place
    assert tpm.findtext("requisitionid") == "tpm-mid"
    assert tpm.findtext("url") == "https://northwind-analytics.example.com/jobs/tpm/new-york/posting.html"
    assert (tpm.findtext("city"), tpm.findtext("state"), tpm.findtext("country")) == ("New York", "NY", "US")
    assert tpm.findtext("salary") == "$117,000 - $152,000 per year"
    assert tpm.findtext("expirationdate") == "2027-01-31"
    assert tpm.findtext("remotetype") == "Hybrid remote"
    assert "<h2>What you will do</h2>" in tpm.findtext("description")
    assert indeed.findtext("publisher") == "Northwind Analytics"
    assert [job.findtext("partnerJobId") for job in linkedin.findall("job")] == references
    assert [p["documentId"]["value"] for p in positions] == references


def test_identifiers_are_the_same_on_a_rebuild(runner, builtin_copy: Path, out: Path) -> None:
    first = {name: (out / "feeds" / name).read_bytes() for name in ("indeed.xml", "linkedin.xml", "positions.json")}
    again = _build(runner, builtin_copy, OPEN_DAY)
    assert {name: (again / "feeds" / name).read_bytes() for name in first} == first


def test_a_closed_posting_is_in_no_feed_and_marked_closed_on_its_page(runner, builtin_copy: Path) -> None:
    result = runner.invoke(
        cli,
        ["--workspace", str(builtin_copy), "build", "--all", "--format", "md", "--format", "html"],
        env={"SOURCE_DATE_EPOCH": AFTER_TPM_CLOSES},
    )
    assert result.exit_code == 0, result.output
    assert "tpm/columbus: closed on 2027-01-31; marked closed on its page, left out of the index and feeds" in (
        result.output
    )
    out = builtin_copy / "out"
    indeed = (out / "feeds/indeed.xml").read_text()
    linkedin = (out / "feeds/linkedin.xml").read_text()
    positions = (out / "feeds/positions.json").read_text()
    for feed in (indeed, linkedin, positions):
        assert "tpm-mid" not in feed
        assert "pm-mid" in feed
    page = (out / "tpm/columbus/posting.html").read_text()
    assert "Applications for this role have closed." in page
    assert "application/ld+json" not in page
    assert "tpm/columbus" not in (out / "index.md").read_text()
    assert all(job["title"] != "Technical Project Manager" for job in json.loads((out / "jobs.json").read_text()))


def test_a_new_feed_is_one_module_and_one_line_of_registration(runner, minimal: Path, monkeypatch) -> None:
    import sys
    import types

    from generator import formats
    from generator.formats.base import FeedFormat

    module = types.ModuleType("generator.formats.titles")
    module.FORMAT = FeedFormat(  # type: ignore[attr-defined]
        "titles",
        "feeds/titles.txt",
        "Plain list of titles",
        lambda entries, about: "".join(f"{entry.reference}\t{entry.title}\n" for entry in entries).encode(),
    )
    monkeypatch.setitem(sys.modules, "generator.formats.titles", module)
    monkeypatch.setitem(formats.FEED_FORMATS, "titles", "titles")
    # the model reads the registry when it is defined; in real use the line above comes first
    from generator import models

    field = models.PublishSettings.model_fields["feeds"]
    original = field.annotation
    field.annotation = list[str]
    models.PublishSettings.model_rebuild(force=True)
    models.Config.model_rebuild(force=True)
    try:
        _build_titles(runner, minimal)
    finally:
        field.annotation = original
        models.PublishSettings.model_rebuild(force=True)
        models.Config.model_rebuild(force=True)


def _build_titles(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "publish:\n  feeds: [titles]\n")
    result = runner.invoke(cli, ["--workspace", str(minimal), "build", "--all", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (minimal / "out/feeds/titles.txt").read_text() == (
        "coordinator-mid\tDelivery Coordinator\nplanner-mid\tDelivery Planner\n"
    )


def test_an_unknown_feed_is_a_located_error_naming_the_known_ones(runner, minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(config.read_text() + "publish:\n  feeds: [indeed, monster]\n")
    result = runner.invoke(cli, ["--workspace", str(minimal), "validate"])
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith("jdgen.yaml:") and "publish.feeds[1]" in line, line
    assert "'indeed', 'linkedin' or 'hropen'" in line, line
