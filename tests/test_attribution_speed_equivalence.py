"""The fast paths of attribution and sentence splitting give what the plain patterns give.

`base_models`, `method_name`, `context_words` and `split_sentences` try their patterns only where a match can
start, or skip them when a cheap test proves there is none; `_capitalised`, `is_name` and `_verb_before` test in
a cheaper order, and `subject_model` reads its subject's words once. Each is compared here with the plain form it replaced, on the corpus and on random splices of its
sentences with the cue words the fast paths look for.
"""

from __future__ import annotations

import random
import re

import pytest

from leaderboard.extract import attribution
from leaderboard.extract.sentences import _ABBREVIATIONS, _WORD_CHARS, split_sentences
from leaderboard.sources import read_papers

_CUES = [
    "applied to", "Applied To", "applying it to", "integrated with", "integrated into", "plugged into", "on top of",
    "implementing", "inference time of", "training time of", "latency of", "FLOPs of", "GFLOPs of", "cost of",
    "throughput of", "results with", "when used with", "equipped with", "enhanced with", "augmented with",
    "accelerates", "speeds up", "replacing", "models such as", "LLMs including", "VLMs like", "e.g.", "e.g.,", "i.e.",
    "et al.", "Fig.", "vs.", "a.k.a.", "approx.", "U.S.", "x.", "..e.g.", "abcdefghij.e.g.", "!", "?", "\n", "\n\n",
    "(", ")", '"', "GPT-4", "LLaVA-1.5", "3.5", "2x", "(DiT)", "Diffusion Transformer (DiT)", "the original DiT",
    "we propose", "called", "named", "dubbed", "coined", "introduce", "presents", "prefill", "decoding",
    "pre-training", "pretrain", "trains", "inference", "appl\u0130ed to", "appl\u0131ed to", "é", "Σ", "\ud800",
]


@pytest.fixture(scope="module")
def abstracts() -> list[str]:
    return [paper.abstract for paper in read_papers(["corpus"])]


@pytest.fixture(scope="module")
def texts(abstracts: list[str]) -> list[str]:
    """Corpus sentences, and random splices of their words with the cues."""
    sentences = [s.text for abstract in abstracts for s in split_sentences(abstract)]
    words = [word for sentence in sentences for word in sentence.split()]
    rng = random.Random(7)
    spliced = []
    for _ in range(3000):
        parts = [rng.choice(_CUES) if rng.random() < 0.4 else rng.choice(words) for _ in range(rng.randint(3, 30))]
        spliced.append("".join(rng.choice([" ", " ", "", "\n", ". ", ", "]) + part for part in parts)[1:])
    return sentences + spliced


def _plain_base_matches(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in (attribution._BASE_BEFORE, attribution._BASE_AFTER) for m in pattern.finditer(sentence)]


def test_base_model_matches_are_the_plain_patterns_matches(texts: list[str]) -> None:
    for text in texts:
        assert [m.span() for m in attribution._base_matches(text)] == _plain_base_matches(text), text


def test_declarations_are_the_plain_patterns_matches(abstracts: list[str], texts: list[str]) -> None:
    for text in abstracts + texts:
        fast = attribution._matches_from(attribution._DECLARED, text, attribution._declaration_starts(text))
        assert [m.span() for m in fast] == [m.span() for m in attribution._DECLARED.finditer(text)], text


def test_capitalised_words(abstracts: list[str], texts: list[str]) -> None:
    for text in abstracts + texts:
        plain = frozenset(w.rstrip(".") for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w.\-^+]*", text))
        assert attribution._capitalised.__wrapped__(text) == plain, text


def _plain_context(sentence: str, declared: str | None, near: int) -> str | None:
    lower = sentence.lower()
    found = [(abs(m.start() - near), label) for key, label, _ in attribution._CONTEXTS for m in key.finditer(lower)]
    setting = min(found)[1] if found else None
    if declared is None or setting == declared:
        return setting
    return f"{declared}, training" if setting == "training" else declared


def test_context_words(texts: list[str]) -> None:
    for text in texts:
        for declared, near in ((None, 0), ("compute", len(text) // 2), ("training", len(text))):
            assert attribution.context_words(text, declared, near) == _plain_context(text, declared, near), text


def _plain_is_name(word: str, known: frozenset[str]) -> bool:
    if not attribution._NAME.match(word) or word.lower() in attribution._GENERIC or attribution.is_modifier(word):
        return False
    if attribution._PLURAL_ACRONYM.match(word):
        return False
    return any(ch.isupper() or ch.isdigit() for ch in word[1:]) or word in known


def test_is_name(texts: list[str]) -> None:
    known = frozenset({"Imagen", "Vary"})
    words = {word for text in texts for word in text.split()} | {"Ǆa", "aǅ", "a²", "a\U0001d400", "Ab\n", "x٣"}
    for word in words:
        assert attribution.is_name(word, known) == _plain_is_name(word, known), word


_PLAIN_BOUNDARY = re.compile(r"[.!?](?:[\"')\]]+)?(?=\s+[\"'(\[]?[A-Z0-9$\\])|\n\s*\n")


def _plain_split(text: str) -> list[tuple[str, int, int]]:
    """The splitter without its fast paths: one pattern, each word read back one character at a time."""
    spans, start = [], 0
    for match in _PLAIN_BOUNDARY.finditer(text):
        if text[match.start()] == ".":
            begin = match.start()
            while begin > start and text[begin - 1] in _WORD_CHARS:
                begin -= 1
            word = text[begin : match.start() + 1].strip(".").lower()
            if word and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for begin, end in spans:
        chunk = text[begin:end]
        if chunk.strip():
            first = begin + len(chunk) - len(chunk.lstrip())
            out.append((chunk.strip(), first, first + len(chunk.strip())))
    return out


def test_split_sentences(abstracts: list[str], texts: list[str]) -> None:
    for text in abstracts + texts:
        assert [(s.text, s.start, s.end) for s in split_sentences(text)] == _plain_split(text), text


# `subject_model` reads the subject's words once (for "we"/"our" and back references) and `_verb_before` skips
# the words that are neither a listed verb nor end in "s" before its other tests. The plain forms they replace:


def _plain_verb_before(tokens: list, index: int) -> int | None:
    for position in range(index - 1, 0, -1):
        token = tokens[position]
        if not token.text[:1].islower():
            continue
        if (token.kind == "w" and token.lower in attribution._VERBS) or (
            token.text.endswith(attribution._THIRD_PERSON_ENDS) and attribution._named_subject_verb(tokens, position)
        ):
            previous = tokens[position - 1]
            if not (previous.kind == "w" and previous.lower == "to"):
                return position
    return None


def _plain_subject_model(tokens: list, index: int, abstract: str, fallback: object, skip: set, scored: set) -> object:
    a = attribution
    owner = a._parenthesis_owner(tokens, index, abstract) if scored and min(scored) < index else None
    if owner is not None:
        return owner
    verb = _plain_verb_before(tokens, index)
    while verb is not None and (
        (tokens[verb].lower.endswith("ing") and tokens[verb - 1].is_word(","))
        or (tokens[verb - 1].is_word("and", "or") and tokens[verb - 2].is_word(",") if verb >= 2 else False)
    ):
        main = _plain_verb_before(tokens, verb - 1)
        if main is None:
            break
        verb = main
    if verb is not None:
        subject = a._with_apposition(tokens, verb, a._subject_tokens(tokens, verb), abstract)
        owned = [y for x, y in zip(subject, subject[1:]) if x.is_word("our") and a._is_name_in(y.text, abstract) and y.text not in skip]
        if owned:
            return owned[0].text
        if any(t.is_word("we", "our", "us") for t in subject):
            return fallback
        for position, token in enumerate(subject):
            if token.kind != "n" and a._is_name_in(token.text, abstract) and token.text not in skip and not a._is_mention(token):
                return a._with_version(token.text.rstrip(".,"), subject[position + 1 : position + 2])
        if len(subject) == 1 and a._proper_noun(subject[0]) and subject[0].text not in skip:
            return subject[0].text
        refers_back = any(t.is_word("this", "these", "it", "proposed", "such") for t in subject)
        evaluated = None if refers_back else a._evaluated_object(tokens, verb, abstract, skip)
        if evaluated is not None:
            return evaluated
        if subject and not any(t.lower in a._OWN_WORDS for t in subject) and not a._generic_subject(subject):
            return fallback
    for position in range(index - 1, 0, -1):
        previous = tokens[position - 1]
        if previous.is_word("our") and a._is_name_in(tokens[position].text, abstract) and tokens[position].text not in skip:
            return tokens[position].text
    return fallback


_SUBJECT_WORDS = [
    "our", "Our", "we", "We", "us", "this", "This", "it", "these", "proposed", "such", ",", ", and", "and", "or", "to",
    "achieves", "Achieves", "IS", "reaching", "reaches", "obtains", "equipped with", "enhanced with", "a 7B model,",
    "TexTok", "QuartzVL", "Imagen", "Monkey", "LLaVA-1.5", "MiniCPM-V 2.5", "on", "than", "surpassing", "GlideX (FID",
    ")", "(", "gives", "raises", "TundraDiff", "runs", "class", "bus", "this", "method", "the", "approach", "generates",
]


@pytest.fixture(scope="module")
def tokenized(abstracts: list[str], texts: list[str]) -> list[tuple[str, list, str]]:
    """(sentence, tokens, abstract) of corpus sentences, with their rules' mentions, and of random subject phrases."""
    from leaderboard.extract import Extractor
    from leaderboard.extract.numbers import find_numbers
    from leaderboard.extract.tokens import tokenize
    from leaderboard.rulebook import load_rules

    extractor = Extractor(load_rules("rules"))
    found = []
    for abstract in abstracts:
        scan = extractor.select(abstract)
        for sentence in split_sentences(abstract):
            mentions = (scan.sentence(sentence.start, sentence.end) if scan else None) or []
            found.append((sentence.text, tokenize(sentence.text, find_numbers(sentence.text), mentions), abstract))
    rng = random.Random(11)
    words = [word for text in texts[:2000] for word in text.split()]
    for _ in range(3000):
        parts = [rng.choice(_SUBJECT_WORDS) if rng.random() < 0.5 else rng.choice(words) for _ in range(rng.randint(3, 16))]
        parts.insert(rng.randint(1, len(parts)), rng.choice(["78.4%", "1.46", "2x", "5.3 FID", "by 40%"]))
        text = " ".join(parts)
        found.append((text, tokenize(text, find_numbers(text), []), rng.choice(abstracts) + " " + text))
    return found


def test_verb_before(tokenized: list[tuple[str, list, str]]) -> None:
    for text, tokens, _ in tokenized:
        for index in range(len(tokens) + 1):
            assert attribution._verb_before(tokens, index) == _plain_verb_before(tokens, index), (text, index)


def test_subject_model(tokenized: list[tuple[str, list, str]]) -> None:
    fallback = object()
    checked = 0
    for text, tokens, abstract in tokenized:
        numbers = [i for i, t in enumerate(tokens) if t.kind == "n"]
        for index in numbers or range(len(tokens)):
            names = {t.text for t in tokens if attribution.is_name(t.text)}
            for skip, scored in ((set(), set()), (names, set()), (set(), {0}), (set(list(names)[:1]), set(numbers) - {index})):
                fast = attribution.subject_model(tokens, index, abstract, fallback, skip, scored)
                assert fast == _plain_subject_model(tokens, index, abstract, fallback, skip, scored), (text, index)
                checked += fast is not fallback
    assert checked > 1000
