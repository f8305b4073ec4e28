"""spec: exact, typed models of the objects of "Theoretical Limitations of Autoregressive Models"."""

from spec.coins import RandomCoins, Runs, enumerate_runs
from spec.constructions import (
    ChainRule,
    Derandomized,
    HiddenTokens,
    RandomSeed,
    SeedExhausted,
    chain_rule,
    derandomize,
    with_hidden_tokens,
    with_random_seed,
)
from spec.dist import Dist, Weight, overlap, tvd
from spec.errors import (
    InvalidArgument,
    InvalidDistribution,
    InvalidModel,
    InvalidText,
    NonTerminating,
    SpecError,
    ZeroMass,
)
from spec.induced import check_law, induced, induced_hidden, induced_public, sample
from spec.signatures import (
    Autoregressive,
    Coins,
    HiddenAutoregressive,
    Move,
    RandomizedAutoregressive,
    Stream,
    TextToText,
)
from spec.text import STOP, Alphabet, alphabet, check_text, is_token

__all__ = [
    "Alphabet",
    "Autoregressive",
    "ChainRule",
    "Coins",
    "Derandomized",
    "Dist",
    "HiddenAutoregressive",
    "HiddenTokens",
    "InvalidArgument",
    "InvalidDistribution",
    "InvalidModel",
    "InvalidText",
    "Move",
    "NonTerminating",
    "RandomCoins",
    "RandomSeed",
    "RandomizedAutoregressive",
    "Runs",
    "STOP",
    "SeedExhausted",
    "SpecError",
    "Stream",
    "TextToText",
    "Weight",
    "ZeroMass",
    "alphabet",
    "chain_rule",
    "check_law",
    "check_text",
    "derandomize",
    "enumerate_runs",
    "induced",
    "induced_hidden",
    "induced_public",
    "is_token",
    "overlap",
    "sample",
    "tvd",
    "with_hidden_tokens",
    "with_random_seed",
]
