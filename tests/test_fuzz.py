"""Property: whatever YAML the workspace holds, loading ends in a valid workspace or a JdgenError."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import FIXTURES, copy_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import JdgenError
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

ROLE = "competencies/roles/coordinator.yaml"
AREA = "competencies/delivery.yaml"
BASE_ROLE = yaml.safe_load((FIXTURES / "minimal" / ROLE).read_text())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["mid", "senior", "core", "plans-projects", "NO", "1.10", "2026-11-02", "~", "? x", "*a"]),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
#: the real role with some of its fields replaced, so validation runs deep, not only at the top
mutated_roles = st.dictionaries(st.sampled_from([*sorted(BASE_ROLE), "extra"]), values, max_size=4).map(
    lambda changes: {**BASE_ROLE, **changes}
)
SETTINGS = settings(
    max_examples=int(os.environ.get("JDGEN_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _load_with(relative: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        workspace = copy_workspace(FIXTURES / "minimal", Path(scratch) / "ws")
        (workspace / relative).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_workspace(WorkspaceDirs(workspace, builtin=False))
        except JdgenError as err:
            message = err.format_message()
            assert message and "Traceback" not in message
        finally:
            shutil.rmtree(workspace, ignore_errors=True)


@SETTINGS
@given(mutated_roles)
def test_mutated_role_files_give_a_workspace_or_a_clear_error(role: dict) -> None:
    _load_with(ROLE, yaml.safe_dump(role, allow_unicode=True))


@SETTINGS
@given(values)
def test_arbitrary_yaml_documents_give_a_workspace_or_a_clear_error(document) -> None:
    _load_with(AREA, yaml.safe_dump(document, allow_unicode=True))


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_workspace_or_a_clear_error(text: str) -> None:
    _load_with("jdgen.yaml", text)
