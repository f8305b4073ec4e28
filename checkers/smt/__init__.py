"""The SMT machinery, in one small package.

- `solvers`: the one place that builds z3 and cvc5 (fixed seeds, resource limits) and runs them on
  one SMT-LIB2 text; answers are an enum where unknown is its own case. Which solvers run is one
  `Solvers` value, passed as `solvers=` or set with `using_solvers(...)`.
- `exact`: exact evaluation of z3 terms in Fractions, the one re-checker of solver models.
- `proof`: proof obligations and the kernel that checks every link of a proof.
- `symbolic`: sympy identities certified by `expand`/`cancel` reaching exactly 0.
"""

from checkers.smt.exact import (
    Interpretation,
    evaluate,
    evaluate_all,
    refutes,
    subterms,
)
from checkers.smt.solvers import (
    DEFAULT_RLIMIT,
    DEFAULT_SEED,
    ProofAttempt,
    SolverAnswer,
    SolverRun,
    Solvers,
    check_sat,
    current_solvers,
    exact_model,
    format_model,
    memo_per_solvers,
    prove,
    prove_many,
    remembering_answers,
    sha256,
    stop_cvc5_children,
    sum_terms,
    using_solvers,
)

__all__ = [
    "DEFAULT_RLIMIT",
    "DEFAULT_SEED",
    "Interpretation",
    "ProofAttempt",
    "SolverAnswer",
    "SolverRun",
    "Solvers",
    "check_sat",
    "current_solvers",
    "evaluate",
    "evaluate_all",
    "exact_model",
    "format_model",
    "memo_per_solvers",
    "prove",
    "prove_many",
    "refutes",
    "remembering_answers",
    "sha256",
    "stop_cvc5_children",
    "subterms",
    "sum_terms",
    "using_solvers",
]
