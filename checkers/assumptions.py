"""The named assumptions a verdict may rest on: cited, never checked.

The post leans on two of its own (in the registry as claims whose verdict is ASSUMED); the suite
names one more, outside the post (an "H-..." id, listed in HYPOTHESES). A checker whose verdict
rests on one of them imports its constant here and names it in the verdict's `rests_on`, so the
id of an assumption is written in this module only.
"""

from __future__ import annotations

__all__ = [
    "FACTORING_IS_HARD",
    "HYPOTHESES",
    "POST_ASSUMPTIONS",
    "PRIME_PROPORTIONS_ARE_HARD",
    "SHA256_IS_UNPREDICTABLE",
]

FACTORING_IS_HARD = "X1"
"""The post's assumption that factoring semiprimes is hard on average (Factoring; the appendix's ε → 0)."""

PRIME_PROPORTIONS_ARE_HARD = "X2"
"""The post's assumption that exact prefix proportions of primes are not poly-time computable unless P = #P."""

SHA256_IS_UNPREDICTABLE = "H-SHA256"
"""The suite's assumption that SHA-256 bits of a hidden object cannot be predicted faster than by trying objects."""

POST_ASSUMPTIONS: dict[str, str] = {
    FACTORING_IS_HARD: "factoring semiprimes is hard on average",
    PRIME_PROPORTIONS_ARE_HARD: "it's impossible to compute the exact proportion of n-digit primes ... unless P=#P",
}
"""The post's own assumptions, in its words (the registry quotes them; checkers resting on them quote them too)."""

HYPOTHESES: dict[str, str] = {
    SHA256_IS_UNPREDICTABLE: "SHA-256 bits of a hidden object cannot be predicted faster than by trying objects "
                             "(cited, not checked)",
}
"""Named assumptions outside the post's own claims that a verdict may rest on ("H-..." ids in a claim's `uses`)."""
