"""The child process that runs cvc5: `python -P cvc5_child.py --serve`, one JSON job per line of stdin.

cvc5 runs in a child so that a solver stuck past its limits can be killed. The child is this file
run as a script, not a module of the package: it imports only the standard library and cvc5, so it
starts in about a tenth of a second rather than paying for z3 and the checkers; it then serves job
after job (a run asks cvc5 dozens of times). A request is {"mode": "one" | "many", "job": {"smtlib",
"seed", "rlimit_per", "tlimit_per_ms", "nl_cov"}}; the answer is one line, RESULT_TAG and the JSON
answer (one record, or a list for "many").
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Mapping
from typing import Any

RESULT_TAG = "CVC5-RESULT "


def solve(job: Mapping[str, Any]) -> dict[str, Any]:
    """cvc5 on the job's text with fixed seeds and limits; a JSON-able result."""
    import cvc5  # here, not at the top: the parent imports this module for RESULT_TAG only

    solver = cvc5.Solver(tm := cvc5.TermManager())
    options = {
        "produce-models": "true",
        "seed": str(job["seed"]),
        "sat-random-seed": str(job["seed"]),
        "rlimit-per": str(job["rlimit_per"]),  # deterministic resource limit per check
        "tlimit-per": str(job["tlimit_per_ms"]),  # wall-clock backstop (not honoured in every step)
    }
    if job["nl_cov"]:
        options["nl-cov"] = "true"  # cylindrical algebraic coverings: complete for nonlinear reals
    for option, value in options.items():
        solver.setOption(option, value)
    symbols = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, job["smtlib"], "problem")
    result = None
    while not (command := parser.nextCommand()).isNull():
        if command.getCommandName() == "check-sat":
            result = solver.checkSat()
        else:
            output = command.invoke(solver, symbols)
            if "error" in output:
                raise RuntimeError(output.strip())
    if result is None:
        raise RuntimeError("the text has no (check-sat)")
    if result.isUnsat():
        return {"answer": "unsat", "reason": "", "model": None, "odd": []}
    if not result.isSat():
        explanation = str(result.getUnknownExplanation()).removeprefix("UnknownExplanation.")
        return {"answer": "unknown", "reason": explanation, "model": None, "odd": []}
    model: dict[str, str] = {}
    odd: list[str] = []
    for term in symbols.getDeclaredTerms():
        value = solver.getValue(term)
        if value.isBooleanValue():
            model[term.getSymbol()] = str(int(value.getBooleanValue()))
        elif value.isIntegerValue():
            model[term.getSymbol()] = str(value.getIntegerValue())
        elif value.isRealValue():
            model[term.getSymbol()] = str(value.getRealValue())  # a fractions.Fraction
        else:
            odd.append(term.getSymbol())
    return {"answer": "sat", "reason": "", "model": model, "odd": sorted(odd)}


def solve_many(job: Mapping[str, Any]) -> list[dict[str, Any]]:
    """cvc5 (incremental) on the script; one JSON-able answer per check-sat."""
    import cvc5

    solver = cvc5.Solver(tm := cvc5.TermManager())
    options = {
        "incremental": "true",
        "seed": str(job["seed"]),
        "sat-random-seed": str(job["seed"]),
        "rlimit-per": str(job["rlimit_per"]),
        "tlimit-per": str(job["tlimit_per_ms"]),
    }
    if job["nl_cov"]:
        options["nl-cov"] = "true"
    for option, value in options.items():
        solver.setOption(option, value)
    symbols = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, job["smtlib"], "problem")
    results: list[dict[str, Any]] = []
    try:
        while not (command := parser.nextCommand()).isNull():
            if command.getCommandName() == "check-sat":
                start = time.perf_counter()
                result = solver.checkSat()
                answer = "unsat" if result.isUnsat() else "sat" if result.isSat() else "unknown"
                reason = "" if answer != "unknown" else str(result.getUnknownExplanation()).removeprefix("UnknownExplanation.")
                results.append({"answer": answer, "reason": reason, "seconds": time.perf_counter() - start})
            else:
                output = command.invoke(solver, symbols)
                if "error" in output:
                    raise RuntimeError(output.strip())
    except Exception as error:  # noqa: BLE001 - the blocks not reached stay unknown in the parent
        results.append({"answer": "unknown", "reason": f"{type(error).__name__}: {error}", "seconds": 0.0})
    return results


def answer(mode: str, job: Mapping[str, Any]) -> object:
    """The answer to one job: "one" is a single check-sat (an error is an unknown record), "many" each block's."""
    if mode == "many":
        return solve_many(job)
    if mode != "one":
        raise ValueError(f"unknown mode {mode!r}, expected 'one' or 'many'")
    try:
        return solve(job)
    except Exception as error:  # noqa: BLE001 - reported to the parent as an UNKNOWN run
        return {"answer": "unknown", "reason": f"{type(error).__name__}: {error}", "model": None, "odd": []}


def _exit_when_orphaned(parent: int) -> None:
    """Exit once the parent is gone: a killed parent may leave stdin open in processes that inherited it."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main(argv: list[str]) -> int:
    """--serve: answer each line of stdin, a JSON {"mode", "job"}, with one line RESULT_TAG + JSON, until EOF."""
    if argv != ["--serve"]:
        sys.stderr.write("usage: python -P cvc5_child.py --serve (run by checkers.smt.solvers)\n")
        return 2
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    for line in sys.stdin.buffer:
        request = json.loads(line.decode("utf-8"))
        sys.stdout.write(RESULT_TAG + json.dumps(answer(request["mode"], request["job"])) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
