"""Questions that touch a topic interviewers must never raise are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InvalidWorkspaceError
from generator.off_limits import builtin_topics, find_off_limits
from generator.validate import load_workspace
from generator.workspace import WorkspaceDirs

AREA = "competencies/delivery.yaml"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How old are you?", "age"),
        ("What is your date of birth?", "age"),
        ("What year did you graduate from high school?", "age"),
        ("Are you married?", "marital or family status"),
        ("What does your wife do?", "marital or family status"),
        ("Do you have children?", "pregnancy or children"),
        ("Are you pregnant or planning to start a family?", "pregnancy or children"),
        ("Who looks after your kids while you work?", "pregnancy or children"),
        ("Which church do you go to?", "religion"),
        ("Will your religious holidays clash with launches?", "religion"),
        ("Where are you from originally?", "national origin or citizenship"),
        ("Are you a US citizen?", "national origin or citizenship"),
        ("Is English your native language?", "national origin or citizenship"),
        ("Do you have a disability we should know about?", "disability or health"),
        ("Any medical conditions that affect your work?", "disability or health"),
        ("How is your health these days?", "disability or health"),
        ("What is your sexual orientation?", "sexual orientation"),
        ("Have you ever been arrested?", "arrests"),
        ("Do you have a criminal record?", "arrests"),
        ("What is your current salary?", "salary history"),
        ("Tell me about your salary history.", "salary history"),
        ("How much did you make at your last job?", "salary history"),
    ],
)
def test_each_forbidden_topic_is_found(question: str, topic: str) -> None:
    found = find_off_limits(question, builtin_topics())
    assert found is not None and found.topic == topic


@pytest.mark.parametrize(
    "question",
    [
        "Tell me about the history of the project and how it changed.",
        "How do you split a parent ticket into subtasks?",
        "What goes into your health check of a project?",
        "How do you report project health to a client?",
        "Describe a cloud-native migration you planned.",
        "What would you do if the sprint pay-off was unclear?",
        "How did you decide which data to retire from the warehouse?",
        "Are you authorized to work in the United States?",
        "Walk me through how you estimate the cost of a query.",
        "How do you keep a distributed team together across time zones?",
        "Which dependencies did the child tasks have?",
    ],
)
def test_innocent_look_alikes_pass(question: str) -> None:
    assert find_off_limits(question, builtin_topics()) is None


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text()
    assert old in text
    (root / rel).write_text(text.replace(old, new, 1))


def _messages(root: Path) -> list[str]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace(WorkspaceDirs(root, builtin=False))
    return [str(p) for p in caught.value.problems]


def test_a_question_about_children_fails_with_file_and_line(minimal: Path) -> None:
    _edit(
        minimal, AREA, "        text: Question 1 about plans projects?", "        text: Do you have children at home?"
    )
    assert _messages(minimal) == [
        f"{AREA}:16: question 'plans-projects-q1' touches an off-limits topic, pregnancy or children "
        "('Do you have children'); interviewers must never raise it: reword or remove it"
    ]


def test_a_probe_about_age_fails_too(minimal: Path) -> None:
    _edit(minimal, AREA, "          - Who else was involved?", "          - How old were you then?")
    assert _messages(minimal)[0].startswith(f"{AREA}:20: question 'plans-projects-q1' touches an off-limits topic, age")


def test_a_workspace_can_add_topics(minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(
        config.read_text()
        + "interview:\n  off_limits:\n    - topic: union membership\n      patterns:\n        - '\\bunion\\b'\n"
    )
    _edit(minimal, AREA, "        text: Question 1 about plans projects?", "        text: Would you join a union?")
    assert "touches an off-limits topic, union membership ('union')" in _messages(minimal)[0]


def test_a_broken_pattern_in_the_workspace_is_located(minimal: Path) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(
        config.read_text() + "interview:\n  off_limits:\n    - topic: x\n      patterns:\n        - '(unclosed'\n"
    )
    message = _messages(minimal)[0]
    assert message.startswith(
        "jdgen.yaml:20: interview.off_limits[0].patterns[0]: '(unclosed' is not a valid regular expression"
    )


def test_a_pattern_python_warns_about_is_a_located_problem_not_a_warning_on_stderr(minimal: Path, capfd) -> None:
    config = minimal / "jdgen.yaml"
    config.write_text(
        config.read_text() + "interview:\n  off_limits:\n    - topic: x\n      patterns:\n        - '[[:alpha:]]'\n"
    )
    message = _messages(minimal)[0]
    assert message.startswith(
        "jdgen.yaml:20: interview.off_limits[0].patterns[0]: '[[:alpha:]]' may change meaning in a later Python "
        "(Possible nested set at position 1)"
    )
    assert "FutureWarning" not in capfd.readouterr().err


def test_the_kit_lists_the_topics_to_avoid(minimal: Path) -> None:
    from generator.assemble import assemble_kit

    kit = assemble_kit(load_workspace(WorkspaceDirs(minimal, builtin=False)), "coordinator", "mid")
    assert "age or birth year" in kit.off_limits
    assert "pay history (what they earn or earned)" in kit.off_limits


def test_the_joined_screen_of_shipped_patterns_changes_no_verdict() -> None:
    # one search over every shipped pattern decides whether each must run: the topic and the words
    # reported must be those the patterns give one by one, first topic first
    import random

    import yaml

    topics = builtin_topics()
    library = Path(__file__).resolve().parent.parent / "generator" / "data" / "library"
    texts: list[str] = []

    def strings(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    for path in sorted(library.rglob("*.yaml")):
        strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    hits = [
        "How old are you?",
        "Which church do you go to?",
        "How is your health these days?",
        "How is your health check going?",  # the look-ahead lets this one pass
        "What is your current salary?",
        "Are you a US citizen?",
        "Do you have a criminal record?",
    ]
    rng = random.Random(7)
    words = " ".join(hits).split()
    texts += hits + [" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(500)]
    screened = 0
    for text in texts:
        expected = next(
            ((topic.topic, found.group()) for topic in topics for p in topic.patterns if (found := p.search(text))),
            None,
        )
        found = find_off_limits(text, topics)
        assert (found and (found.topic, found.matched)) == expected, text
        screened += expected is None
    assert len(texts) > 1000 and screened > 800  # most texts are passed by the screen alone
