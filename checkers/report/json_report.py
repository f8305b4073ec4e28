"""The JSON document of a run (schema in docs/json.md), its comparable form (timings stripped) and the SMT-LIB2 texts."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from checkers.claims import Result
from checkers.report.outputs import write_text_atomic
from checkers.verdict import Level, Trial

__all__ = [
    "SCHEMA",
    "GAUNTLET_SCHEMA",
    "to_json",
    "gauntlet_summary",
    "gauntlet_json",
    "write_gauntlet_json",
    "TIME_IN_TEXT",
    "TIME_UNITS",
    "is_timing_key",
    "strip_timings",
    "comparable_json",
    "differences",
    "write_smt_dir",
    "write_json",
]


SCHEMA = "autoregressive-limits/verdicts/1"
GAUNTLET_SCHEMA = "autoregressive-limits/gauntlet/1"


def gauntlet_summary(trials: Sequence[Trial], level: Level) -> dict[str, object]:
    """The gauntlet in a few fields: its level, how many twins ran, how many were caught, whether all were."""
    caught = sum(t.caught for t in trials)
    return {"level": level.value, "twins": len(trials), "caught": caught, "passed": caught == len(trials)}


def to_json(results: Sequence[Result], level: Level, *, gauntlet: Sequence[Trial] | None = None,
            gauntlet_level: Level | None = None) -> dict[str, object]:
    """The machine-readable document (schema SCHEMA, documented in docs/json.md); with the gauntlet's summary
    (`gauntlet_summary`) when the gauntlet ran."""
    summary = {"gauntlet": gauntlet_summary(gauntlet, gauntlet_level or level)} if gauntlet is not None else {}
    return {
        "schema": SCHEMA,
        "level": level.value,
        "passed": all(r.matches for r in results),
        **summary,
        "claims": [
            {
                "id": r.claim.id,
                "section": r.claim.section,
                "claim": r.claim.quote,
                "method": r.verdict.method,
                "scope": r.verdict.scope,
                "verdict": r.verdict.outcome.value,
                "label": r.verdict.label,
                "expected": r.claim.expected.value,
                "matches": r.matches,
                "seconds": round(r.verdict.seconds, 3),
                "evidence": list(r.verdict.evidence),
                "counterexample": r.verdict.counterexample,
                "uses": list(r.claim.uses),
                "rests_on": list(r.verdict.rests_on),
                "statements": [st.to_json() for st in r.verdict.statements],
                # the SMT-LIB2 text itself is long: the JSON keeps its SHA-256, --smt-dir writes the text
                "obligations": [{k: v for k, v in o.items() if k != "smtlib"} for o in r.verdict.obligations],
                "steps": [st.to_json() for st in r.verdict.steps],
                "data": r.verdict.data,
            }
            for r in results
        ],
    }


# a decimal or scientific number of seconds or milliseconds: "0.123 s", "3.9e-06s", "12.5 ms"
TIME_IN_TEXT = re.compile(r"(?<![\w.])\d+(?:\.\d+(?:e[-+]?\d+)?|e[-+]?\d+) ?(?:s|ms|seconds)\b")

TIME_UNITS = frozenset({"seconds", "ms"})


def is_timing_key(key: str) -> bool:
    """A data column that holds a wall time: "seconds", "*_seconds", "*_s", or a "ms" unit word."""
    words = key.split("_")
    return key == "seconds" or words[-1] in ("s", "seconds") or bool(TIME_UNITS & set(words))


def strip_timings(doc: object, *, in_data: bool = False) -> object:
    """The JSON document with every timing removed (keys) or masked as <time> (inside text)."""
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if k == "seconds" or (in_data and is_timing_key(k)):
                continue
            out[k] = strip_timings(v, in_data=in_data or k == "data")
        return out
    if isinstance(doc, list):
        return [strip_timings(v, in_data=in_data) for v in doc]
    if isinstance(doc, str):
        return TIME_IN_TEXT.sub("<time>", doc)
    return doc


def comparable_json(results: Sequence[Result], level: Level) -> object:
    """to_json(...) as written to disk (Fractions as text), with its timings stripped: equal across runs."""
    return strip_timings(json.loads(json.dumps(to_json(results, level), ensure_ascii=False, default=str)))


def differences(a: object, b: object, where: str = "") -> list[str]:
    """Paths at which two stripped JSON documents differ, each with both values (cut to 80 characters)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=lambda k: (str(k), type(k).__name__)):
            out += differences(a.get(k), b.get(k), f"{where}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {str(a)[:80]!r} != {str(b)[:80]!r}"]


def write_smt_dir(results: Sequence[Result], directory: Path) -> int:
    """Write the SMT-LIB2 text of every obligation as `<claim>-<sha256>.smt2`; the number of files written.

    Each file is the exact text z3 read (cvc5 read the same block between push and pop), so
    anyone can re-run a solver on it and compare its SHA-256 with the report's.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for r in results:
        for o in r.verdict.obligations:
            text, hashes = o.get("smtlib"), o.get("smtlib_sha256")
            if not isinstance(text, str) or not text or not isinstance(hashes, dict) or not hashes:
                continue
            digest = next(iter(hashes.values()))
            target = directory / f"{r.claim.id}-{digest}.smt2"
            if not target.exists():
                write_text_atomic(target, text)
                written += 1
    return written


def write_json(results: Sequence[Result], level: Level, path: Path, *, gauntlet: Sequence[Trial] | None = None,
               gauntlet_level: Level | None = None) -> None:
    """Write to_json(...) to path."""
    doc = to_json(results, level, gauntlet=gauntlet, gauntlet_level=gauntlet_level)
    write_text_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def gauntlet_json(trials: Sequence[Trial], level: Level) -> dict[str, object]:
    """The gauntlet's document (`python -m checkers gauntlet --json`): its summary, then every twin's verdict."""
    return {
        "schema": GAUNTLET_SCHEMA,
        **gauntlet_summary(trials, level),
        "trials": [
            {"claim": t.claim, "twin": t.description, "expected": t.expected.value, "verdict": t.verdict.outcome.value,
             "caught": t.caught, "scope": t.verdict.scope, "method": t.verdict.method,
             "evidence": list(t.verdict.evidence), "counterexample": t.verdict.counterexample}
            for t in trials
        ],
    }


def write_gauntlet_json(trials: Sequence[Trial], level: Level, path: Path) -> None:
    """Write gauntlet_json(...) to path (plain JSON values only: texts, counts, flags)."""
    write_text_atomic(path, json.dumps(gauntlet_json(trials, level), indent=2, ensure_ascii=False) + "\n")
