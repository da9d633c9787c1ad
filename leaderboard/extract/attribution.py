"""Who a number belongs to, and on what: model, dataset and context.

The model is the subject of the clause that carries the number ("Imagen
achieves ..."); when the subject is "we", "our method" or "this approach", it
is the method's name, declared in the abstract ("we propose X", "called X")
or standing before the colon of a short title. The dataset of a score is the
known dataset named next to it; for efficiency numbers it is the base model
the method was applied to.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .tokens import Token

__all__ = ["method_name", "subject_model", "base_models", "context_words", "is_name"]

_GENERIC = {
    "we", "our", "it", "this", "these", "that", "the", "a", "an", "its", "their", "they", "method", "approach", "model",
    "models", "framework", "system", "experiments", "results", "extensive", "notably", "moreover", "furthermore",
    "specifically", "finally", "additionally", "in", "on", "for", "with", "by", "when", "compared", "experimental",
    "comprehensive", "evaluation", "evaluations", "empirically", "overall", "however", "also", "further", "meanwhile",
    "importantly", "remarkably", "besides", "thus", "hence", "as", "to", "first", "second", "third", "using",
}
_NOT_NAMES = {"survey", "review", "position", "tutorial", "editorial", "erratum", "commentary", "perspective"}
_VERBS = {
    "achieves", "achieve", "achieved", "achieving", "reaches", "reach", "obtains", "obtain", "attains", "attain", "sets",
    "set", "establishes", "reduces", "reduce", "improves", "improve", "outperforms", "outperform", "surpasses", "surpass",
    "yields", "yield", "delivers", "deliver", "results", "accelerates", "accelerate", "speeds", "is", "are", "can",
    "stands", "requires", "runs", "enjoys", "scores", "gets", "provides", "offers", "boosts", "records", "shows", "has",
    "exhibits", "demonstrates", "lowers", "cuts", "brings", "matches", "performs", "leads", "translate", "translates",
    "reduced", "improved", "will", "could", "may", "does", "also", "consistently", "significantly",
}
_BOUNDARIES = {",", ";", ":", "that", "(", ")", "where", "whereas", "while"}
_NAME = re.compile(r"^[A-Za-z][\w.\-^+']*$")
_DECLARED = re.compile(
    r"\b(?:(?:propose|introduce|present|develop|design|call|name|dub|term|build|devise|release)s?(?: our method)?|"
    r"(?:called|named|dubbed|termed|coined))\s+(?:a |an |the |our |it |them )?(?:[\w-]+,?\s+){0,6}?"
    r"(?:(?P<name>[A-Z][\w.\-^+]*(?:[ -][A-Z0-9][\w.\-^+]*){0,4})(?:\s*\((?P<short>[A-Z][\w.\-^+]*)\))?|"
    r"\((?P<paren>[A-Z][\w.\-^+]*)\))"
)
_CONTEXTS = (("prefill", "prefilling"), ("decoding", "decoding"), ("pre-train", "training"), ("pretrain", "training"),
             ("training", "training"), ("inference", "inference"))
_NAME_WORDS = r"[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*"
_BASE_BEFORE = re.compile(
    r"(?:applied to|applying it to|integrated (?:with|into)|plugged into|on top of|implementing [\w ]{0,40}? in|"
    r"(?:inference|training|running) time of|latency of|results with|when used with|equipped|(?:accelerat\w*|speed\w* up)[\w ,]{0,30}?(?:e\.g\.|such as|including|like),?)\s+"
    rf"(?P<names>{_NAME_WORDS}(?:(?:,|,? and| and| or)\s+{_NAME_WORDS})*)"
)
_BASE_AFTER = re.compile(r"(?P<names>[A-Z][\w.\-]*) (?:equipped|enhanced|augmented) with\b")


def is_name(word: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` looks like a system's name: inner capitals or digits, or seen as one.

    >>> is_name("TexTok"), is_name("LLaVA-1.5"), is_name("Experiments"), is_name("Imagen", frozenset({"Imagen"}))
    (True, True, False, True)
    """
    if not _NAME.match(word) or word.lower() in _GENERIC:
        return False
    inner = word[1:]
    return any(ch.isupper() or ch.isdigit() for ch in inner) or word in known


@lru_cache(maxsize=4096)
def method_name(title: str, abstract: str) -> str | None:
    """The paper's own name for its method, or None."""
    head, colon, _ = title.partition(":")
    words = head.split()
    if colon and 0 < len(words) <= 5 and head.strip()[:1].isupper() and head.strip().lower() not in _NOT_NAMES:
        return head.strip()
    for match in _DECLARED.finditer(abstract):
        name = match["paren"] or match["short"] or match["name"]
        if name and (is_name(name.split()[0], _capitalised(abstract)) or match["short"] or match["paren"] or " " in name):
            return name
    return None


@lru_cache(maxsize=4096)
def _capitalised(abstract: str) -> frozenset[str]:
    """Capitalised words seen away from a sentence start: names, in this abstract."""
    words = re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w.\-^+]*", abstract)
    return frozenset(word.rstrip(".") for word in words)


def subject_model(tokens: list[Token], index: int, abstract: str, fallback: str | None, skip: set[str]) -> str | None:
    """The named subject of the clause that holds token ``index``, else ``fallback``."""
    known = _capitalised(abstract)
    verb = _verb_before(tokens, index)
    if verb is not None:
        subject = _subject_tokens(tokens, verb)
        owned = [b for a, b in zip(subject, subject[1:]) if a.is_word("our") and is_name(b.text, known) and b.text not in skip]
        if owned:
            return owned[0].text
        if any(t.is_word("we", "our", "us") for t in subject):
            return fallback
        for token in subject:
            if token.kind != "n" and is_name(token.text, known) and token.text not in skip and not _is_mention(token):
                return token.text.rstrip(".,")
        if subject and not any(t.lower in {"we", "our", "it", "this", "these"} for t in subject) and not _generic_subject(subject):
            return fallback
    for position in range(index - 1, 0, -1):
        if tokens[position - 1].is_word("our") and is_name(tokens[position].text, known) and tokens[position].text not in skip:
            return tokens[position].text
    return fallback


def _generic_subject(subject: list[Token]) -> bool:
    return all(t.kind == "w" and (t.lower in _GENERIC or not t.text[:1].isupper()) for t in subject)


def _is_mention(token: Token) -> bool:
    return token.kind == "m" and any(m.role in ("name", "metric", "dataset") for m in token.mentions)


def _verb_before(tokens: list[Token], index: int) -> int | None:
    for position in range(index - 1, -1, -1):
        token = tokens[position]
        if token.is_word(*_VERBS) and position > 0:
            return position
    return None


def _subject_tokens(tokens: list[Token], verb: int) -> list[Token]:
    """Tokens from the clause start to ``verb``, adverbs and modals dropped."""
    start = verb
    while start > 0 and not tokens[start - 1].is_word(*_BOUNDARIES):
        start -= 1
    subject = [t for t in tokens[start:verb] if not t.is_word(*_VERBS)]
    if not subject and start >= 2:  # "a new activation, StarReLU, reduces"
        previous = start - 1
        begin = previous
        while begin > 0 and not tokens[begin - 1].is_word(*_BOUNDARIES):
            begin -= 1
        subject = tokens[begin:previous]
    if any(t.is_word("equipped", "enhanced", "augmented") for t in subject):
        after = [i for i, t in enumerate(subject) if t.is_word("with")]
        if after:
            subject = subject[after[0] + 1 :]
    return subject


def base_models(sentence: str, model: str | None) -> str | None:
    """Base models a method was applied to, joined with ', ' in the order written."""
    names: list[str] = []
    for pattern in (_BASE_BEFORE, _BASE_AFTER):
        for match in pattern.finditer(sentence):
            position = match.start("names")
            for name in re.split(r",?\s+(?:and|or)\s+|,\s*", match["names"]):
                position = sentence.find(name, position) + len(name)
                if _starts_with_verb(sentence[position:]):
                    break  # "applied to X, VScan achieves": VScan is the subject, not a base
                name = name.strip().rstrip(".")
                words = name.split("'")[0].split()
                if name and name != model and name not in names and words and all(_NAME.match(w) for w in words) and (
                    len(words) > 1 or is_name(words[0])
                ):
                    names.append(name)
    return ", ".join(names) if names else None


def _starts_with_verb(text: str) -> bool:
    words = text.split(None, 2)
    return bool(words) and (words[0].lower() in _VERBS or (len(words) > 1 and words[1].lower() in _VERBS))


def context_words(sentence: str) -> str | None:
    """The setting an efficiency number is measured in (inference, training, ...)."""
    lower = sentence.lower()
    found = [label for key, label in _CONTEXTS if key in lower]
    return found[0] if found else None
