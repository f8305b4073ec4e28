"""`python -m checkers audit-model`: the exact answer law of a local language model against a task's target.

The model's probabilities are enumerated, not sampled: for a small support, the probability of each
answer (every tokenization, then the end-of-turn token), the mass outside the support and the TVD;
for a large support (6-digit numbers), the law of the first k characters and the TVD between those
marginals, a lower bound on the whole TVD by the data-processing inequality (the first k
characters, or "not a valid start", are a function of the answer). All of it is float64 (the
model's own arithmetic), labelled so, with a bound on the rounding of the sums; it never makes a
PROVED/HOLDS verdict.

Exit status: 0 on success, 2 on bad input (options, a model that cannot be found or loaded).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from checkers.audit.lm import SCOPE, CharacterModel, LoadedModel, U, load_model
from spec.dist import Dist
from spec.errors import InvalidArgument, SpecError, require_int
from spec.tasks.primes import is_n_digit_prime

__all__ = ["ModelTask", "MODEL_TASKS", "EXACT_LIMIT", "SCHEMA", "ModelAudit", "Marginal", "run_audit",
           "model_task", "main"]

SCHEMA = "autoregressive-limits/audit-model/1"
EXACT_LIMIT = 200
"""Supports up to this size are enumerated answer by answer (exact TVD); larger ones by prefix marginals."""


@dataclass(frozen=True)
class ModelTask:
    """A prompt, its exact target law over answer texts, the answer alphabet and the longest answer."""

    name: str
    prompt: str
    target: Dist[str]
    alphabet: str
    max_len: int
    describe: str


def model_task(name: str, digits: int | None = None, prompt: str | None = None) -> ModelTask:
    """The named task (digits: its size where it has one); `prompt` replaces the default prompt."""
    if digits is not None:
        require_int(digits, "--digits", least=1, most=7)
    if name == "random-integer":
        t = ModelTask(name, "Pick a random integer from 1 to 10. Answer with the number only.",
                      Dist.uniform(str(i) for i in range(1, 11)), "0123456789", 2, "Unif{1..10}")
    elif name == "uniform-number":
        d = 6 if digits is None else digits
        t = ModelTask(name, f"Give me a random {d}-digit number. Answer with the number only.",
                      Dist.uniform(str(x) for x in range(10 ** (d - 1), 10**d)), "0123456789", d,
                      f"Unif{{{10 ** (d - 1)}..{10**d - 1}}}")
    elif name == "random-prime":
        d = 2 if digits is None else digits
        primes = [str(x) for x in range(10 ** (d - 1), 10**d) if is_n_digit_prime(x, d)]
        t = ModelTask(name, f"Give me a random {d}-digit prime number. Answer with the number only.",
                      Dist.uniform(primes), "0123456789", d, f"uniform over the {len(primes)} {d}-digit primes")
    else:
        raise InvalidArgument(f"unknown task {name!r}; known: {', '.join(MODEL_TASKS)}")
    if prompt is not None:
        if not prompt.strip():
            raise InvalidArgument("--prompt is empty")
        t = ModelTask(t.name, prompt, t.target, t.alphabet, t.max_len, t.describe)
    return t


MODEL_TASKS = ("random-integer", "uniform-number", "random-prime")


@dataclass(frozen=True)
class Marginal:
    """The law of the first k characters: model (float64) vs target (exact), and the TVD between them."""

    k: int
    rows: tuple[tuple[str, float, Fraction], ...]  # (first k characters, model, target)
    outside: float  # model mass on responses that do not start with a valid k-prefix
    tvd: float  # TVD of the two marginals: a lower bound on the whole TVD
    error: float  # bound on the rounding of `tvd`


@dataclass(frozen=True)
class ModelAudit:
    """What audit-model found: exact answer probabilities (small support) or prefix marginals."""

    task: ModelTask
    model_name: str
    sha256: str | None
    chat_prompt: str
    exact: bool
    rows: tuple[tuple[str, float, Fraction], ...]  # (answer, model, target); exact mode only
    outside: float | None
    tvd: float | None  # exact mode
    error: float  # bound on the float64 rounding of the TVD (and of each printed probability's sum)
    marginals: tuple[Marginal, ...]
    forward_passes: int
    seconds: float

    @property
    def tvd_lower_bound(self) -> float | None:
        return max((m.tvd for m in self.marginals), default=None)

    def to_json(self) -> dict[str, object]:
        def rows(rs: tuple[tuple[str, float, Fraction], ...], key: str) -> list[dict[str, object]]:
            return [{key: a, "model": p, "target": float(q), "target_exact": str(q)} for a, p, q in rs]

        out: dict[str, object] = {
            "schema": SCHEMA, "task": self.task.name, "target": self.task.describe, "prompt": self.task.prompt,
            "chat_prompt": self.chat_prompt, "model": self.model_name, "gguf_sha256": self.sha256,
            "scope": SCOPE, "exact": self.exact, "rounding_bound": self.error,
            "forward_passes": self.forward_passes, "seconds": self.seconds,
        }
        if self.exact:
            out.update({"answers": rows(self.rows, "answer"), "outside": self.outside, "tvd": self.tvd})
        else:
            out.update({
                "tvd_lower_bound": self.tvd_lower_bound,
                "marginals": [{"k": m.k, "rows": rows(m.rows, "prefix"), "outside": m.outside,
                               "tvd_lower_bound": m.tvd, "rounding_bound": m.error} for m in self.marginals],
            })
        return out

    def render(self) -> str:
        lines = [f"model: {self.model_name}" + (f" (GGUF sha256 {self.sha256[:16]}…)" if self.sha256 else ""),
                 f"prompt: {self.task.prompt!r} ("
                 + ("in the model's chat template" if self.chat_prompt != self.task.prompt
                    else "as is: the tokenizer has no chat template")
                 + "; answer = the text before the end-of-turn token, summed over every tokenization)",
                 f"task: {self.task.name}, target {self.task.describe} ({len(self.task.target)} answers)",
                 f"scope: {SCOPE}; float64 rounding bound {self.error:.1e}; {self.forward_passes} forward passes"]
        if self.exact:
            lines.append(f"{'answer':<8} {'model':>12} {'target':>10}")
            lines += [f"{a:<8} {p:>12.6g} {float(q):>10.4g}" for a, p, q in self.rows]
            lines.append(f"outside the support: {self.outside:.6g}")
            lines.append(f"TVD(model, target) = {self.tvd:.6f} (exact enumeration, float64, ± {self.error:.1e})")
        else:
            for m in self.marginals:
                shown = m.rows if len(m.rows) <= 10 else tuple(sorted(m.rows, key=lambda r: -r[1])[:10])
                lines.append(f"first {m.k} character{'s' if m.k > 1 else ''}"
                             + ("" if shown is m.rows else f" (the 10 likeliest of {len(m.rows)})")
                             + f": {'prefix':<8} {'model':>12} {'target':>10}")
                lines += [f"  {a:<8} {p:>12.6g} {float(q):>10.4g}" for a, p, q in shown]
                lines.append(f"  not starting with a valid {m.k}-prefix: {m.outside:.6g}")
                lines.append(f"  TVD(model, target) >= {m.tvd:.6f} (TVD of the first-{m.k} marginals, "
                             f"data-processing inequality; float64, ± {m.error:.1e})")
        return "\n".join(lines)


def _tvd(rows: list[tuple[str, float, Fraction]], outside: float) -> float:
    return 0.5 * math.fsum([abs(p - float(q)) for _, p, q in rows] + [outside])


def run_audit(loaded: LoadedModel, task: ModelTask, *, prefix_digits: int = 2,
              progress: Callable[[str], None] | None = None) -> ModelAudit:
    """Enumerate the model's answer law for `task` and compare it with the target."""
    require_int(prefix_digits, "--prefix-digits", least=1, most=3)
    start = time.perf_counter()
    say = progress or (lambda s: None)
    cm, chat = loaded.character_model(task.prompt, task.alphabet, task.max_len,
                                      progress=lambda n: say(f"forward pass {n}"))
    target = task.target
    if len(target) <= EXACT_LIMIT:
        rows = [(a, cm.answer_mass(a), target[a]) for a in sorted(target.support, key=lambda s: (len(s), s))]
        inside = math.fsum(p for _, p, _ in rows)
        outside = max(0.0, 1.0 - inside)
        err = _error(cm, len(rows))
        return ModelAudit(task, loaded.name, loaded.sha256, chat, True, tuple(rows), outside,
                          _tvd(rows, outside), err, (), cm.nodes, time.perf_counter() - start)
    marginals = []
    for k in range(1, min(prefix_digits, task.max_len) + 1):
        law = target.map(lambda x: x[:k])
        mrows = [(w, cm.prefix_mass(w), law[w]) for w in sorted(law.support)]
        outside = max(0.0, 1.0 - math.fsum(p for _, p, _ in mrows))
        marginals.append(Marginal(k, tuple(mrows), outside, _tvd(mrows, outside), _error(cm, len(mrows))))
    return ModelAudit(task, loaded.name, loaded.sha256, chat, False, (), None, None,
                      max(m.error for m in marginals), tuple(marginals), cm.nodes, time.perf_counter() - start)


def _error(cm: CharacterModel, n: int) -> float:
    """A bound on the rounding of a TVD from n float64 masses of relative error <= cm.rel_error():
    each |p - q| and the outside mass move by at most that much, plus one rounding per operation."""
    return 2 * cm.rel_error() + 4 * (n + 2) * U


def plot(audit: ModelAudit, folder: Path) -> list[Path]:
    """Bar charts of the model's law against the target (one per table); returns the PNG paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    tables: list[tuple[str, tuple[tuple[str, float, Fraction], ...], float, str]] = []
    if audit.exact:
        assert audit.outside is not None and audit.tvd is not None
        tables.append(("", audit.rows, audit.outside, f"TVD = {audit.tvd:.4f}"))
    else:
        tables += [(f"-first{m.k}", m.rows, m.outside, f"first {m.k} characters: TVD >= {m.tvd:.4f}")
                   for m in audit.marginals]
    paths = []
    for suffix, rows, outside, title in tables:
        labels = [a for a, _, _ in rows] + ["other"]
        model = [p for _, p, _ in rows] + [outside]
        target = [float(q) for _, _, q in rows] + [0.0]
        fig, ax = plt.subplots(figsize=(max(6.0, 0.12 * len(labels) + 2), 4))
        xs = range(len(labels))
        ax.bar([x - 0.2 for x in xs], model, width=0.4, label=f"{audit.model_name} (float64)")
        ax.bar([x + 0.2 for x in xs], target, width=0.4, label=f"target {audit.task.describe}")
        ax.set_xticks(list(xs))
        ax.set_xticklabels(labels, rotation=90 if len(labels) > 20 else 0, fontsize=6 if len(labels) > 20 else 9)
        ax.set_ylabel("probability")
        ax.set_title(f"{audit.task.name}: {title}", fontsize=10)
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = folder / f"audit-model-{audit.task.name}{suffix}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers audit-model",
        description="The exact answer law of a local causal language model (enumerated over every "
        "tokenization, float64) against a task's target: each answer's probability, the mass outside the "
        "support, and the TVD (small supports) or a lower bound from the first k characters (large ones). "
        "Needs the lm extra. Exit status 0 on success, 2 on bad input.",
    )
    p.add_argument("--task", required=True, choices=MODEL_TASKS,
                   help="random-integer: 'Pick a random integer from 1 to 10…' vs Unif{1..10}; uniform-number: "
                   "'Give me a random 6-digit number…' vs uniform; random-prime: a random 2-digit prime")
    p.add_argument("--model", type=Path, metavar="PATH",
                   help="a checkpoint directory or a .gguf file (default: the shipped SmolLM2-135M-Instruct)")
    p.add_argument("--prompt", metavar="TEXT", help="replace the task's prompt")
    p.add_argument("--digits", type=int, help="digits of the number (uniform-number, default 6) or prime (default 2)")
    p.add_argument("--prefix-digits", type=int, default=2, metavar="K",
                   help="for large supports, marginals of the first 1..K characters (default 2, at most 3)")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the result as JSON")
    p.add_argument("--plots", type=Path, metavar="DIR", help="write bar charts (PNG) of model vs target here")
    return p


def main(argv: list[str]) -> int:
    """Run audit-model; return the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else 2
    started = time.perf_counter()

    def say(s: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {s}", file=sys.stderr, flush=True)

    try:
        task = model_task(args.task, args.digits, args.prompt)
        say("loading the model")
        loaded = load_model(args.model, threads=args.threads, note=say)
        say(f"loaded {loaded.name} in {loaded.seconds:.1f} s")
        result = run_audit(loaded, task, prefix_digits=args.prefix_digits, progress=say)
    except SpecError as e:
        print(f"audit-model: {e}", file=sys.stderr)
        return 2
    print(result.render())
    if args.json is not None:
        args.json.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"JSON written to {args.json}")
    if args.plots is not None:
        for path in plot(result, args.plots):
            print(f"plot written to {path}")
    return 0
