"""Phrase matching: the gate's matchers against one compiled ``re`` and Aho-Corasick.

    .venv/bin/python benchmarks/bench_phrases.py [--rounds 200]

Issue 11 asks whether each tenant's phrase lists should be compiled once into one
automaton or one alternation. For the phrase sets the gate really uses — the topic
index of ``examples/acme`` and of ``tests/corpus/telecom`` (built as
``Grounder.__init__`` builds it: the golden set's topic phrases plus the absence and
unbounded cue words) and the routing trigger phrase lists of
``examples/acme/guardrail.toml`` (forbidden phrases, the disparagement cue words, the
brand names) — it times, on the W1 reply of ``bench_gate.py`` and the 150-word draft of
``bench_grounding.py``:

1. **current** — what the gate runs today (``TopicIndex.mentions``; the forbidden-phrase
   pass of ``TriggerLayer.forbidden_hits``; the cue-word test of ``PhraseSet.may_match``);
2. **re** — one compiled alternation of every key, longest first;
3. **pyahocorasick** — ``ahocorasick.Automaton`` (skipped with a note if not installed);
4. **ahocorasick-rs** — ``ahocorasick_rs.AhoCorasick`` (likewise).

Word boundaries are the gate's: a text is read as its ``[a-z0-9]+`` words (lower-cased,
every other character a separator), a phrase matches whole words, and a topic word
matches its inflections (:func:`~guardrail.text.stem`; the alternation and the automata
hold every inflection a stem has, see :func:`inflections`). Every variant returns the
same hits — checked before timing — and does the whole job from the raw text, so the
per-text preparation (words and their offsets) is inside its time.

Samples are interleaved (one call of each variant in turn, per round) and timed by the
thread's CPU clock; the table prints the median and p99 in µs and the ratio of each
median to plain ``re``'s.
"""

from __future__ import annotations

import argparse
import importlib
import re
import statistics
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from itertools import accumulate, compress, count
from pathlib import Path
from typing import Any

from guardrail.config import BrandConfig
from guardrail.grounding._absence import CUE_PHRASES
from guardrail.knowledge import GoldenSet
from guardrail.routing._detect import _DISPARAGE_CUE
from guardrail.text import TopicIndex, flat, stem, trie
from guardrail.text._phrases import inflections

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_gate import W1_TEXT  # noqa: E402
from bench_grounding import draft  # noqa: E402

#: bytes.translate table: a-z and 0-9 kept, every other byte → space (the gate's words)
_ALNUM = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))
_WORD = re.compile(r"[a-z0-9]+")

Hits = list[tuple[int, int, str]]
#: a text's words (``" w1 w2 … "``), its parts between separators, each word's
#: part, the parts' running lengths
Words = tuple[str, list[str], list[int], list[int]]


# -- the phrase sets ----------------------------------------------------------------------


def topic_pairs(config: Path) -> list[tuple[str, str]]:
    """``(phrase, key)`` pairs of a tenant's topic index, as ``Grounder.__init__`` builds
    them (the golden set's topics, plus the cue words of absence and unbounded)."""
    conf = tomllib.loads(config.read_text())
    golden = GoldenSet.load(config.parent / conf["grounding"]["golden_set"])
    return [(t, f.key) for f in golden.all_facts() for t in f.topic] + list(CUE_PHRASES)


class Keys:
    """A phrase set as surface keys over a text's words: ``" w1 w2 "`` for whole words
    (each word any inflection of its stem when ``stemmed``), ``" w"`` for a word that
    starts with ``w``. ``name[key]`` is what a key reports (the stemmed phrase, the
    forbidden phrase, the cue word)."""

    def __init__(self, phrases: Iterable[tuple[str, str]], *, whole: bool, stemmed: bool):
        self.name: dict[str, str] = {}
        for phrase, label in phrases:
            words = phrase.split()
            if not words:
                continue
            options: list[list[str]] = [
                sorted(inflections(stem(w))) if stemmed else [w] for w in words
            ]
            combos = [""]
            for opts in options:
                combos = [c + " " + w for c in combos for w in opts]
            for c in combos:
                self.name[c + " " if whole else c] = label


def words_of(text: str) -> Words:
    """``" w1 w2 … "`` (the text's words, single-spaced, lower-cased) and what maps a
    word back to ``text``: the parts of ``text`` split at each separator, each word's
    part and the parts' running lengths. All built in C: a Python loop over the words
    would cost more than any matcher."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    parts = low.encode("ascii", "replace").translate(_ALNUM).decode("ascii").split(" ")
    joined = " " + " ".join(filter(None, parts)) + " "
    return joined, parts, list(compress(count(), parts)), list(accumulate(map(len, parts)))


def span(keys: Keys, key: str, space: int, words: Words) -> tuple[int, int, str]:
    """The hit of ``key`` found with its leading space at ``space``: the word index is
    the number of spaces before it; part ``k`` ends at ``ends[k] + k`` (one separator
    after each part)."""
    joined, parts, where, ends = words
    first = joined.count(" ", 0, space)
    n = key.count(" ") - 1 if key.endswith(" ") else key.count(" ")
    k, last = where[first], where[first + n - 1]
    return ends[k] - len(parts[k]) + k, ends[last] + last, keys.name[key]


# -- the variants ---------------------------------------------------------------------------


def regex_variant(keys: Keys) -> Callable[[str], Hits]:
    """One compiled alternation (as a trie), tried after each space; it finds the
    longest key there, and the shorter keys that match there are its prefixes."""
    rx = re.compile(" (?=(" + trie(k[1:] for k in keys.name) + "))")
    name = keys.name

    def run(text: str) -> Hits:
        tw = words_of(text)
        out: Hits = []
        for m in rx.finditer(tw[0]):
            longest = " " + m.group(1)
            for cut in range(len(longest), 1, -1):
                if longest[:cut] in name:
                    out.append(span(keys, longest[:cut], m.start(), tw))
        return out

    return run


def pyahocorasick_variant(keys: Keys) -> Callable[[str], Hits] | None:
    try:
        ahocorasick: Any = importlib.import_module("ahocorasick")
    except ImportError:
        return None
    automaton = ahocorasick.Automaton()
    for key in keys.name:
        automaton.add_word(key, key)
    automaton.make_automaton()

    def run(text: str) -> Hits:
        tw = words_of(text)
        return [span(keys, key, end - len(key) + 1, tw) for end, key in automaton.iter(tw[0])]

    return run


def ahocorasick_rs_variant(keys: Keys) -> Callable[[str], Hits] | None:
    try:
        ahocorasick_rs: Any = importlib.import_module("ahocorasick_rs")
    except ImportError:
        return None
    patterns = list(keys.name)
    automaton = ahocorasick_rs.AhoCorasick(patterns)

    def run(text: str) -> Hits:
        tw = words_of(text)
        return [
            span(keys, patterns[i], start, tw)
            for i, start, _ in automaton.find_matches_as_indexes(tw[0], overlapping=True)
        ]

    return run


# -- the gate's matchers, as hits ---------------------------------------------------------


def current_topics(pairs: list[tuple[str, str]]) -> Callable[[str], Hits]:
    index = TopicIndex(pairs)
    return lambda text: [(m.start, m.end, m.phrase) for m in index.mentions(text)]


def current_forbidden(phrases: list[str]) -> Callable[[str], Hits]:
    """``TriggerLayer.forbidden_hits`` (one alternation, then each phrase), as hits."""
    rxs = [" " + " ".join(map(re.escape, flat(p).split())) + " " for p in phrases]
    each = [(p, re.compile(rx)) for p, rx in zip(phrases, rxs, strict=True)]
    any_ = re.compile("|".join(rxs))

    def run(text: str) -> Hits:
        flat_text = flat(text)
        if not any_.search(flat_text):
            return []
        out: Hits = []
        for p, rx in each:  # every occurrence, to compare positions too
            out += [(m.start(), m.end(), p) for m in rx.finditer(flat_text)]
        return out

    return run


def current_cues(words: list[str]) -> Callable[[str], Hits]:
    """``PhraseSet.may_match``: a cue word at the start of a word of ``flat(text)``."""
    cue_words = tuple(f" {w}" for w in words)

    def run(text: str) -> Hits:
        flat_text = flat(text)
        return [(0, 0, w[1:]) for w in cue_words if w in flat_text]

    return run


def as_set(hits: Hits, kind: str) -> object:
    """What must agree: topic hits exactly; forbidden phrases and cue words as the set
    of phrases found (the gate reports which, not where in the flat text)."""
    return sorted(hits) if kind == "topics" else sorted({h[2] for h in hits})


# -- the run ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="samples per variant")
    args = parser.parse_args()

    acme = ROOT / "examples" / "acme" / "guardrail.toml"
    brand = BrandConfig(**tomllib.loads(acme.read_text()).get("brand", {}))
    cues = _DISPARAGE_CUE.split("|")
    sets: list[tuple[str, str, Keys, Callable[[str], Hits]]] = []
    for label, config in (
        ("acme", acme),
        ("telecom", ROOT / "tests/corpus/telecom/guardrail.toml"),
    ):
        pairs = topic_pairs(config)
        keys = Keys(((p, stem_phrase(p)) for p, _ in pairs), whole=True, stemmed=True)
        sets.append((f"topics {label}", "topics", keys, current_topics(pairs)))
    forbidden = list(brand.forbidden)
    sets.append(
        (
            "forbidden acme",
            "phrases",
            Keys(((flat(p).strip(), p) for p in forbidden), whole=True, stemmed=False),
            current_forbidden(forbidden),
        )
    )
    sets.append(
        (
            "disparage cues",
            "phrases",
            Keys(((w, w) for w in cues), whole=False, stemmed=False),
            current_cues(cues),
        )
    )
    names = [flat(n).strip() for n in brand.names]
    sets.append(
        (
            "brand names",
            "phrases",
            Keys(((n, n) for n in names), whole=True, stemmed=False),
            lambda text: [(0, 0, n) for n in names if f" {n} " in flat(text)],
        )
    )
    texts = {"W1": W1_TEXT, "150-word": draft(150)}

    makers: dict[str, Callable[[Keys], Callable[[str], Hits] | None]] = {
        "re": regex_variant,
        "pyahocorasick": pyahocorasick_variant,
        "ahocorasick-rs": ahocorasick_rs_variant,
    }
    print(
        f"{'set':16} {'text':9} {'variant':15} {'keys':>5} {'hits':>4} "
        f"{'median µs':>10} {'p99 µs':>8} {'÷ re':>6}"
    )
    skipped: set[str] = set()
    for set_name, kind, keys, current in sets:
        variants: dict[str, Callable[[str], Hits]] = {"current": current}
        for name, make in makers.items():
            fn = make(keys)
            if fn is None:
                skipped.add(name)
            else:
                variants[name] = fn
        for text_name, text in texts.items():
            want = as_set(current(text), kind)
            for name, fn in variants.items():
                got = as_set(fn(text), kind)
                if got != want:
                    raise SystemExit(f"{set_name} / {text_name}: {name} differs: {got} != {want}")
            samples = interleaved(variants, text, args.rounds)
            base = statistics.median(samples["re"])
            for name, xs in samples.items():
                xs.sort()
                med = statistics.median(xs)
                p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))]
                print(
                    f"{set_name:16} {text_name:9} {name:15} {len(keys.name):5} "
                    f"{len(want):4} {med:10.2f} {p99:8.2f} {med / base:6.2f}"
                )
    for name in sorted(skipped):
        print(f"({name} is not installed: skipped; pip install {name})")


def stem_phrase(phrase: str) -> str:
    return " ".join(stem(w) for w in phrase.split(" "))


def interleaved(
    variants: dict[str, Callable[[str], Hits]], text: str, rounds: int
) -> dict[str, list[float]]:
    """``rounds`` CPU-time samples (µs, mean of 5 calls) per variant, in turn, after a
    few calls of each (warm caches: the stem cache)."""
    for fn in variants.values():
        for _ in range(20):
            fn(text)
    out: dict[str, list[float]] = {name: [] for name in variants}
    clock = time.thread_time_ns
    for _ in range(rounds):
        for name, fn in variants.items():
            t0 = clock()
            for _ in range(5):
                fn(text)
            out[name].append((clock() - t0) / 5000)
    return out


if __name__ == "__main__":
    main()
