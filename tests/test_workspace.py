"""Finding the workspace and reading YAML with line marks."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from generator.errors import WorkspaceError
from generator.workspace import MAX_NODES, builtin_workspace_dir, find_workspace, read_yaml


def _read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "file.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return read_yaml(path, tmp_path)


def test_values_keep_the_line_of_their_key_and_list_item(tmp_path: Path) -> None:
    source, problems = _read(tmp_path, "title: A\nitems:\n  - one\n  - two\nnested:\n  deep:\n    leaf: 3\n")
    assert problems == []
    assert source.data == {"title": "A", "items": ["one", "two"], "nested": {"deep": {"leaf": 3}}}
    assert source.lines[("title",)] == 1
    assert source.lines[("items", 1)] == 4
    assert source.lines[("nested", "deep", "leaf")] == 7


def test_a_missing_location_falls_back_to_the_nearest_enclosing_line(tmp_path: Path) -> None:
    source, _ = _read(tmp_path, "a: 1\nb:\n  c: 2\n")
    assert source.line(("b", "missing", "deeper")) == 2
    assert source.problem(("b", "c"), "boom").line == 3


def test_scalars_are_read_as_yaml_types_and_raw_text_is_kept(tmp_path: Path) -> None:
    source, _ = _read(tmp_path, "when: 2026-11-02\ncountry: NO\nversion: 1.10\n")
    assert source.data == {"when": datetime.date(2026, 11, 2), "country": False, "version": 1.1}
    assert source.raw[("country",)] == "NO"
    assert source.raw[("version",)] == "1.10"


def test_duplicate_keys_are_reported_with_both_lines(tmp_path: Path) -> None:
    _, problems = _read(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [(p.line, p.message) for p in problems] == [(3, "duplicate key 'a' (first at line 1); keep one")]


def test_a_question_mark_in_a_flow_list_gets_the_block_list_hint_from_the_fallback_parser(
    tmp_path: Path, monkeypatch
) -> None:
    import yaml

    import generator.workspace

    monkeypatch.setattr(generator.workspace, "_Loader", yaml.SafeLoader)
    _, problems = _read(tmp_path, "probes: [Why?, How?]\n")
    assert problems[0].line == 1
    assert "write the list as a block list" in problems[0].message


def test_libyaml_reads_question_marks_in_a_flow_list_as_text(tmp_path: Path) -> None:
    import yaml

    import generator.workspace

    if generator.workspace._Loader is yaml.SafeLoader:
        pytest.skip("this PyYAML was built without libyaml")
    source, problems = _read(tmp_path, "probes: [Why?, How?]\n")
    assert (source.data, problems) == ({"probes": ["Why?", "How?"]}, [])


def test_an_unclosed_quote_is_blamed_where_it_opens(tmp_path: Path) -> None:
    problem = _read(tmp_path, 'a: "open\nb: 1\nc: 2\n')[1][0]
    assert problem.line == 1
    assert problem.message.startswith("YAML syntax error: while scanning a quoted scalar that starts here")


def test_empty_and_non_utf8_files_are_problems_not_crashes(tmp_path: Path) -> None:
    assert _read(tmp_path, "")[1][0].message == "the file is empty"
    problem = _read(tmp_path, b"a: 1\nb: caf\xe9\n")[1][0]
    assert (problem.line, problem.message) == (2, "the file is not UTF-8 text; save it with UTF-8 encoding")


def test_alias_bombs_are_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    _, problems = _read(tmp_path, "\n".join(lines) + "\n")
    assert problems[0].message == f"the YAML expands to more than {MAX_NODES:,} values (aliases?)"


def test_the_nearest_workspace_above_the_current_folder_is_used(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "jdgen.yaml").write_text("company: {}\n")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    found = find_workspace(None, inner)
    assert (found.root, found.builtin) == (tmp_path.resolve(), False)
    assert found.default_out_dir(inner) == tmp_path.resolve() / "out"


def test_the_environment_variable_comes_before_the_search(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "jdgen.yaml").write_text("x: 1\n")
    assert find_workspace(None, tmp_path, str(tmp_path / "ws")).root == (tmp_path / "ws").resolve()


def test_an_explicit_folder_without_jdgen_yaml_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a jdgen workspace"):
        find_workspace(tmp_path, tmp_path)


def test_outside_any_workspace_the_builtin_one_writes_to_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    found = find_workspace(None, tmp_path)
    assert found.builtin
    assert found.root == builtin_workspace_dir()
    assert found.default_out_dir(tmp_path) == tmp_path / "out"


def test_control_characters_are_refused_with_their_line(tmp_path: Path) -> None:
    raw = _read(tmp_path, b"a: ok\nb: bad\x07char\n")[1][0]
    assert (raw.line, raw.message) == (2, "the control character U+0007 is not allowed; remove it")
    escaped = _read(tmp_path, 'a: ok\nb: "bad\\x07char"\n')[1][0]
    assert (escaped.line, escaped.message) == (
        2,
        "the text holds the control character U+0007, which documents cannot hold; remove it",
    )


def test_values_yaml_cannot_construct_are_problems_with_their_line(tmp_path: Path) -> None:
    problems = _read(tmp_path, "a: =\nb: 2026-13-45\n")[1]
    assert [(p.line, p.message) for p in problems] == [
        (1, "cannot read '=': could not determine a constructor for the tag 'tag:yaml.org,2002:value'; quote it"),
        (2, "cannot read '2026-13-45': month must be in 1..12; quote it"),
    ]


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "folder"])
def test_a_jdgen_yaml_that_is_not_a_plain_file_stops_the_search(tmp_path: Path, monkeypatch, kind: str) -> None:
    config = tmp_path / "jdgen.yaml"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "folder":
        config.mkdir()
    else:
        config.symlink_to("/dev/zero")
    inner = tmp_path / "roles"
    inner.mkdir()
    # the built-in workspace would otherwise be used without a word, and a FIFO never opened
    with pytest.raises(WorkspaceError, match=r"jdgen\.yaml: not a regular file; jdgen reads its settings only"):
        find_workspace(None, inner)
