"""Where a posting may be published: the table of pay-transparency laws and the engine that applies it.

An aid for the people who write postings, not legal advice. `evaluate(facts)` judges one posting at one
location against the packaged laws (`load_laws()`); `places` resolves free-text places to ISO 3166 codes.
"""

from __future__ import annotations

from .engine import COMING_DAYS, LawVerdict, PayRange, PostingFacts, RequirementCheck, TextField, evaluate
from .laws import REQUIREMENTS, Law, LawDataError, load_laws, read_laws

__all__ = [
    "COMING_DAYS",
    "REQUIREMENTS",
    "Law",
    "LawDataError",
    "LawVerdict",
    "PayRange",
    "PostingFacts",
    "RequirementCheck",
    "TextField",
    "evaluate",
    "load_laws",
    "read_laws",
]
