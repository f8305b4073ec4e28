"""`python -m checkers.smt --cvc5-child[-many]`: the child process that runs cvc5 (killable on timeout)."""

import sys

from checkers.smt.solvers import _cvc5_child_main, _cvc5_many_child_main

if sys.argv[1:] == ["--cvc5-child"]:
    _cvc5_child_main()
elif sys.argv[1:] == ["--cvc5-child-many"]:
    _cvc5_many_child_main()
else:
    sys.exit("usage: python -m checkers.smt --cvc5-child | --cvc5-child-many (internal: run by checkers.smt.solvers)")
