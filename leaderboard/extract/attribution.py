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
from typing import TypeVar

import re2

from .tokens import Token

__all__ = ["method_name", "subject_model", "base_models", "context_words", "is_name", "is_modifier", "reference_level"]

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
    "reduced", "improved", "will", "could", "may", "does", "also", "consistently", "significantly", "gives", "give",
    "helps", "enables", "lifts", "raises", "pushes", "elevates", "exceeds", "produces", "generates", "tops", "ranks",
    "secures", "hits", "beats", "outpaces", "rivals",
}
_BOUNDARIES = {",", ";", ":", "that", "(", ")", "where", "whereas", "while"}
_NAME = re.compile(r"^[A-Za-z][\w.\-^+'/]*$")
_DECLARED = re.compile(
    r"\b(?:(?:propose|introduce|present|develop|design|call|name|dub|term|build|devise|release)s?(?: our method)?|"
    r"(?:called|named|dubbed|termed|coined))\s+(?:a |an |the |our |it |them )?(?:[\w-]+,?\s+){0,6}?"
    r"(?:(?P<name>[A-Z][\w.\-^+]*(?:[ -][A-Z0-9][\w.\-^+]*){0,4})(?:\s*\((?P<short>[A-Z][\w.\-^+]*)\))?|"
    r"\((?P<paren>[A-Z][\w.\-^+]*)\))"
)
#: (pattern, label, the words its matches start with: where to try it)
_CONTEXTS = tuple((re.compile(rf"\b{key}"), label, starts) for key, label, starts in (
    ("prefill", "prefilling", ("prefill",)), ("decod(?:ing|es?)\\b", "decoding", ("decod",)),
    ("pre-?train", "training", ("pretrain", "pre-train")), ("train(?:ing|s)?\\b", "training", ("train",)),
    ("inference", "inference", ("inference",))))
_NAME_WORDS = r"[A-Z][\w.\-/]*(?: (?:[A-Z]|v?\d)[\w.\-/]*)*"
_BASE_BEFORE = re.compile(
    r"(?:(?i:applied to|applying it to|integrated (?:with|into)|plugged into|on top of)|implementing [\w ]{0,40}? in|"
    r"(?:inference|training|running) time of|(?:latency|FLOPs?|GFLOPs|computation|compute|cost|costs|throughput) of|"
    r"results with|when used with|equipped|(?:accelerat\w*|speed\w* up)[\w ,]{0,30}?(?:e\.g\.|such as|including|like),?|"
    r"(?:evaluat|appl|test|validat|us|experiment|integrat|plug)\w*[\w ,]{0,40}? (?:models|VLMs|LLMs|MLLMs|LMMs|LVLMs|backbones|architectures) "
    r"(?:such as|including|like|e\.g\.,?)|"
    r"(?:replacing|replaces|replace) [\w ]{0,30}? in|"
    r"(?:accelerates|accelerating|speeds up|speeding up|speed up)(?= (?:the )?[A-Z][^,;]{0,40}? by (?:[a-z]+ ){0,3}\S*\d))\s+(?:the\s+)?"
    rf"(?P<names>{_NAME_WORDS}(?:(?:,|,? and| and| or)\s+{_NAME_WORDS})*)"
)
_ABBREVIATION = re.compile(r" \((?P<short>[A-Z][\w.\-]*)\)")  # "Diffusion Transformer (DiT)"
_BASE_AFTER = re.compile(r"(?P<names>[A-Z][\w.\-]*) (?:equipped|enhanced|augmented) with\b")
_LIST_SEPARATOR = re.compile(r",?\s+(?:and|or)\s+|,\s*")

# Fast paths. Most sentences name no base model, and running the two patterns above over each of them was the
# cost of `base_models`. Each way `_BASE_BEFORE` can match, but the "evaluated on models such as" one (which needs
# the literal `_LIST_CUE`), has here an RE2 pattern that finds in the lower-cased sentence at least what a match of
# that way starts with, and the words every such match begins with (lower-cased, so that the case-insensitive ones
# are found too). `_BASE_AFTER` needs one of its three verbs followed by " with".
_BASE_WAYS = (
    ("applied to|applying it to|integrated with|integrated into|plugged into|on top of",
     ("applied to", "applying it to", "integrated with", "integrated into", "plugged into", "on top of")),
    (r"implementing [\w ]{0,40}? in", ("implementing",)),
    ("(?:inference|training|running) time of", ("inference time of", "training time of", "running time of")),
    ("(?:latency|flops?|gflops|computation|compute|costs?|throughput) of",
     ("latency of", "flop of", "flops of", "gflops of", "computation of", "compute of", "cost of", "costs of",
      "throughput of")),
    ("results with|when used with|equipped", ("results with", "when used with", "equipped")),
    (r"(?:accelerat\w*|speed\w* up)[\w ,]{0,30}?(?:e\.g\.|such as|including|like)", ("accelerat", "speed")),
    (r"(?:replacing|replaces|replace) [\w ]{0,30}? in", ("replac",)),
    # the last way's look-ahead, matched (RE2 has no look-around), its capital and lower-case words lower-cased
    (r"(?:accelerates|accelerating|speeds up|speeding up|speed up) (?:the )?[a-z][^,;]{0,40}? by (?:[a-z]+ ){0,3}\S*\d",
     ("accelerat", "speed")),
)
#: Every word a match of `_BASE_BEFORE` begins with, but one by `_LIST_CUE`.
_BASE_TRIGGERS = tuple(dict.fromkeys(word for _, words in _BASE_WAYS for word in words))
_LIST_CUE = re.compile(
    r" (?:models|VLMs|LLMs|MLLMs|LMMs|LVLMs|backbones|architectures) (?:such as|including|like|e\.g\.)"
)
_AFTER_CUES = (" equipped with", " enhanced with", " augmented with")


def _cue_set(patterns: list[str]) -> re2.Set:
    """An RE2 set of ASCII ``patterns``: its ``Match`` gives, in one pass over a text, the indexes of those in it."""
    cues = re2.Set.SearchSet()
    for pattern in patterns:
        cues.Add(pattern.encode("ascii"))
    cues.Compile()
    return cues


#: One pass over an ASCII sentence, lower-cased, that finds none of these proves that neither pattern matches
#: (`_LIST_CUE` lower-cased: its only escape is "\\."). It also tells which of them are in the sentence, by their
#: indexes in this order: the ways of `_BASE_WAYS`, the after cues, the list cue.
_BASE_CUES = _cue_set(
    [pattern for pattern, _ in _BASE_WAYS] + [re.escape(cue) for cue in _AFTER_CUES] + [_LIST_CUE.pattern.lower()]
)
_AFTER_CUE_INDEXES = range(len(_BASE_WAYS), len(_BASE_WAYS) + len(_AFTER_CUES))
_LIST_CUE_INDEX = len(_BASE_WAYS) + len(_AFTER_CUES)
#: Letters that a case-insensitive "i" matches but ``str.lower`` does not turn into "i" ("İ" also changes length).
_DOTTED_I = ("\u0130", "\u0131")
#: Every way `_DECLARED` can match begins with one of these words.
_DECLARED_TRIGGERS = (
    "propose", "introduce", "present", "develop", "design", "call", "name", "dub", "term", "build", "devise",
    "release", "coined",
)
#: The same words in one pattern, for an ASCII abstract. It finds them without overlaps, and misses none that
#: `_DECLARED` could start at: a start needs a non-word character before it, so it is inside no other word.
_DECLARED_STARTS = re2.compile("|".join(_DECLARED_TRIGGERS).encode("ascii"))


_REFERENCE = {"human", "humans", "human-level", "annotator", "annotators", "oracle", "crowdworkers", "crowd-workers",
              "expert", "experts", "random", "chance"}


_OTHERS = {"prior", "previous", "existing", "competing", "earlier"}
_REFERENCE_OR_OTHERS = frozenset(_REFERENCE | _OTHERS)
_CLAUSE_ENDS = frozenset({",", ";", "while", "whereas", "but"})


def reference_level(tokens: list[Token], index: int, window: int = 6, score: bool = True) -> bool:
    """Whether the number at ``index`` is a reference level, not the score of a named system.

    It is when a reference word (human, oracle, chance) stands in the same clause, at most ``window`` tokens
    before the number; for a score, also unnamed earlier work ("Prior methods reach at most 70%").
    """
    words = _REFERENCE_OR_OTHERS if score else _REFERENCE
    for token in reversed(tokens[max(0, index - window) : index]):
        if token.kind == "w":
            if token.lower in _CLAUSE_ENDS:
                return False
            if token.lower in words:
                return True
    return False


#: "LLMs", "MLLMs", "VLMs": a kind of system, not a system.
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")
#: "OCR-free", "MoE-based", "LLM-guided": a hyphenated modifier, not a name.
_COMPOUND_MODIFIER = re.compile(r"-[a-z]{3,}$")


def is_modifier(word: str) -> bool:
    """A hyphenated modifier ("OCR-free", "FLOPs-matched") names no system.

    >>> is_modifier("FLOPs-matched"), is_modifier("Qwen-VL")
    (True, False)
    """
    return "-" in word and _COMPOUND_MODIFIER.search(word) is not None


def is_name(word: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` looks like a system's name: inner capitals or digits, or seen as one.

    >>> is_name("TexTok"), is_name("LLaVA-1.5"), is_name("Experiments"), is_name("Imagen", frozenset({"Imagen"}))
    (True, True, False, True)
    >>> is_name("OCR-free"), is_name("GPT-4o"), is_name("MLLMs")
    (False, True, False)
    """
    if not (_marked(word) or word in known):
        return False  # most words: the cheapest test decides
    return _name_shaped(word)


def _name_shaped(word: str) -> bool:
    """What ``is_name`` asks of a marked or known word: a name's characters, not generic, no modifier, no kind."""
    return (
        bool(_NAME.match(word)) and word.lower() not in _GENERIC and not is_modifier(word)
        and not _PLURAL_ACRONYM.match(word)
    )


def _is_name_in(word: str, abstract: str) -> bool:
    """``is_name(word, _capitalised(abstract))``, asking the abstract's capitalised words last.

    Finding them costs a pass over the whole abstract, and they decide only a word that has no inner capital or
    digit, starts with an ASCII capital (as each of them does) and is shaped like a name: few subjects hold one.
    """
    if _marked(word):
        return _name_shaped(word)
    return word[:1] in _ASCII_CAPITALS and _name_shaped(word) and word in _capitalised(abstract)


_ASCII_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


#: An upper-case letter or a digit, in ASCII.
_MARK = re.compile(r"[A-Z0-9]")


def _marked(word: str) -> bool:
    """Whether a character after the first is an upper-case letter or a digit."""
    if word.isascii():
        return _MARK.search(word, 1) is not None
    return any(ch.isupper() or ch.isdigit() for ch in word[1:])


@lru_cache(maxsize=16)  # each record of one paper asks again; papers are not remembered
def method_name(title: str, abstract: str) -> str | None:
    """The paper's own name for its method, or None."""
    head, colon, _ = title.partition(":")
    words = head.split()
    if colon and 0 < len(words) <= 5 and head.strip()[:1].isupper() and head.strip().lower() not in _NOT_NAMES:
        return head.strip()
    for match in _matches_from(_DECLARED, abstract, _declaration_starts(abstract)):
        name = match["paren"] or match["short"] or match["name"]
        if name and (_is_name_in(name.split()[0], abstract) or match["short"] or match["paren"] or " " in name):
            return name
    return None


def _declaration_starts(abstract: str) -> list[int]:
    """Where `_DECLARED` can match in ``abstract``: every start of a match is in the list, in ascending order."""
    if abstract.isascii():  # byte offsets are character offsets
        return [match.start() for match in _DECLARED_STARTS.finditer(abstract.encode("ascii"))]
    return _occurrences(abstract, _DECLARED_TRIGGERS)


#: A capital after a non-word character, not opening a sentence (after ".", "!" or "?" and a space); trailing
#: periods are left out of the word.
_CAPITALISED = re.compile(r"[A-Z](?<=\W[A-Z])(?<![.!?]\s[A-Z])(?:[\w.\-^+]*[\w\-^+])?")


@lru_cache(maxsize=16)  # one paper's records share it; papers are not remembered
def _capitalised(abstract: str) -> frozenset[str]:
    """Capitalised words seen away from a sentence start: names, in this abstract."""
    return frozenset(_CAPITALISED.findall(abstract))


#: What `subject_model` returns when the clause names no system: the paper's method name, or a marker for it.
_Fallback = TypeVar("_Fallback")


def subject_model(
    tokens: list[Token], index: int, abstract: str, fallback: _Fallback, skip: set[str], scored: set[int] = frozenset()
) -> str | _Fallback:
    """The system the number at ``index`` belongs to: a name owning its parentheses, the clause's named subject,
    the named system the clause is about, else ``fallback``, returned as is (a caller may pass a marker for it).

    ``scored`` holds the other numbers of the sentence bound to the same benchmark: when the subject already has
    its score, a score in parentheses after another system is that system's ("X reaches 8.1, surpassing Y (FID
    11.3)"); otherwise the parentheses are the subject's evidence ("X outperforms Y (FID 5.47)").
    """
    owner = _parenthesis_owner(tokens, index, abstract) if scored and min(scored) < index else None
    if owner is not None:
        return owner
    verb = _verb_before(tokens, index)
    while verb is not None and (
        (tokens[verb].lower.endswith("ing") and _is_any(tokens[verb - 1], _COMMA))
        or (_is_any(tokens[verb - 1], _AND_OR) and _is_any(tokens[verb - 2], _COMMA) if verb >= 2 else False)
    ):
        # "X outperforms Y, reaching 54.7", "X runs faster, ..., and scores 61.0": the main clause's subject
        main = _verb_before(tokens, verb - 1)
        if main is None:
            break
        verb = main
    if verb is not None:
        subject = _with_apposition(tokens, verb, _subject_tokens(tokens, verb), abstract)
        words = {t.lower for t in subject if t.kind == "w"}  # read once: for "we" or "our", then back references
        if not words.isdisjoint(_FIRST_PERSON):  # only then can "our" own a name: "our TexTok achieves"
            owned = [b for a, b in zip(subject, subject[1:]) if _is_any(a, _OUR) and _is_name_in(b.text, abstract) and b.text not in skip]
            return owned[0].text if owned else fallback
        for position, token in enumerate(subject):
            if token.kind != "n" and _is_name_in(token.text, abstract) and token.text not in skip and not _is_mention(token):
                return _with_version(token.text.rstrip(".,"), subject[position + 1 : position + 2])
        if len(subject) == 1 and _proper_noun(subject[0]) and subject[0].text not in skip:
            return subject[0].text  # "Monkey surpasses ...", "Vary obtains ..."
        evaluated = None if _refers_back(words) else _evaluated_object(tokens, verb, abstract, skip)
        if evaluated is not None:
            return evaluated
        if subject and not any(t.lower in _OWN_WORDS for t in subject) and not _generic_subject(subject):
            return fallback
    for position in range(index - 1, 0, -1):
        previous = tokens[position - 1]
        if previous.lower == "our" and previous.kind == "w" and _is_name_in(tokens[position].text, abstract):
            if tokens[position].text not in skip:
                return tokens[position].text
    return fallback


_COMMA = frozenset({","})
_AND_OR = frozenset({"and", "or"})
_OUR = frozenset({"our"})
_FIRST_PERSON = frozenset({"we", "our", "us"})
_OWN_WORDS = frozenset({"we", "our", "it", "this", "these"})


def _is_any(token: Token, words: frozenset[str] | set[str]) -> bool:
    """``token.is_word(*words)``, with one set look-up instead of a scan of the unpacked words."""
    return token.kind == "w" and token.lower in words


def _has_any(tokens: list[Token], words: frozenset[str]) -> bool:
    """``any(_is_any(t, words) for t in tokens)``, without a call per token."""
    return not words.isdisjoint([t.lower for t in tokens if t.kind == "w"])


def _clause_start(tokens: list[Token], end: int) -> int:
    """Where the clause of the tokens before ``end`` starts: after the nearest boundary (`_BOUNDARIES`), or at 0."""
    start = end
    while start > 0:
        token = tokens[start - 1]
        if token.kind == "w" and token.lower in _BOUNDARIES:  # `_is_any`, inline: clauses can be long
            break
        start -= 1
    return start


def _with_apposition(tokens: list[Token], verb: int, subject: list[Token], abstract: str) -> list[Token]:
    """"QuartzVL, a 7B model, achieves": a nameless subject between commas describes the name before it."""
    if not subject or _has_any(subject, _FIRST_PERSON) or any(_is_name_in(t.text, abstract) for t in subject):
        return subject
    start = tokens.index(subject[0])
    if start < 2 or not _is_any(tokens[start - 1], _COMMA):
        return subject
    before = tokens[_clause_start(tokens, start - 1) : start - 1]
    return before + subject if len(before) <= 3 and any(_is_name_in(t.text, abstract) for t in before) else subject


def _proper_noun(token: Token) -> bool:
    """A lone capitalised word right before the verb: a name even if the abstract never repeats it."""
    return token.kind == "w" and token.text[:1].isupper() and bool(_NAME.match(token.text)) and token.lower not in _GENERIC


def _with_version(name: str, following: list[Token]) -> str:
    """"MiniCPM-Llama3-V 2.5": a bare version number after a name belongs to it."""
    if following and following[0].kind == "n" and following[0].number is not None and following[0].number.form == "number":
        return f"{name} {following[0].text}"
    return name


def _parenthesis_owner(tokens: list[Token], index: int, abstract: str) -> str | None:
    """The name right before the parentheses holding the number: "surpassing GlideX (FID 11.30)"."""
    for position in range(index - 1, max(0, index - 4), -1):
        token = tokens[position]
        if _is_any(token, _OPENING):
            before = tokens[position - 1]
            return before.text if before.kind == "w" and _is_name_in(before.text, abstract) else None
        if token.kind == "n" or _is_any(token, _CLOSING):
            return None
    return None


_OPENING = frozenset({"("})
_CLOSING = frozenset({")", ",", ";"})
_BASELINE_CUES = {"than", "over", "vs", "vs.", "versus", "against", "to", "with", "surpassing", "outperforming", "beating"}
#: Words that end `_evaluated_object`'s search: a clause break or a comparison.
_OBJECT_ENDS = frozenset({";", "while", "whereas", "but", "which"} | _BASELINE_CUES)
_BEFORE_DATASET = frozenset({"on", "in", "across", "at", "of", "like"})
_BACK_REFERENCES = frozenset({"this", "these", "it", "proposed", "such"})


def _refers_back(words: set[str]) -> bool:
    """"this approach", "it", "the proposed method": the subject, its words in lower case, is the paper's own method."""
    return not words.isdisjoint(_BACK_REFERENCES)


def _evaluated_object(tokens: list[Token], verb: int, abstract: str, skip: set[str]) -> str | None:
    """A named system later in the clause when the subject names none: "pretraining gives SolsticeT2I a gain".

    Names after a comparison ("than X") end the search; names after "on" or "in" are benchmarks and datasets.
    """
    for position in range(verb + 1, len(tokens)):
        token = tokens[position]
        if token.kind != "w":
            continue
        if token.lower in _OBJECT_ENDS:
            return None
        if _is_name_in(token.text, abstract) and token.text not in skip:
            if _is_any(tokens[position - 1], _BEFORE_DATASET):
                continue
            return token.text.rstrip(".,")
    return None


def _generic_subject(subject: list[Token]) -> bool:
    return all(t.kind == "w" and (t.lower in _GENERIC or not t.text[:1].isupper()) for t in subject)


def _is_mention(token: Token) -> bool:
    return token.kind == "m" and any(m.role in ("name", "metric", "dataset") for m in token.mentions)


def _verb_before(tokens: list[Token], index: int) -> int | None:
    """The nearest finite verb before ``index``; "to improve" is an infinitive, not the clause's verb."""
    for position in range(index - 1, 0, -1):
        token = tokens[position]
        text = token.text
        if token.lower not in _VERBS and not text.endswith(_THIRD_PERSON_ENDS):
            continue  # the cheapest test first: most words are neither a listed verb nor end as a third person's
        if not text[:1].islower():
            continue  # a capitalised "IS" (inception score), a number, a sign
        if (token.kind == "w" and token.lower in _VERBS) or (
            text.endswith(_THIRD_PERSON_ENDS) and _named_subject_verb(tokens, position)
        ):
            previous = tokens[position - 1]
            if not (previous.kind == "w" and previous.lower == "to"):  # else an infinitive
                return position
    return None


#: How every word that `_THIRD_PERSON` matches ends ("$" matches before a final newline too): a cheap test first.
_THIRD_PERSON_ENDS = ("s", "s\n")


_THIRD_PERSON = re.compile(r"^[a-z]{3,}(?<!ss)(?<!us)(?<!is)s$")
_CLAUSE_OPENERS = frozenset(_BOUNDARIES | {"our", "the", "and", "of"})
_EQUIPPED = frozenset({"equipped", "enhanced", "augmented"})
_WITH = frozenset({"with"})


def _named_subject_verb(tokens: list[Token], position: int) -> bool:
    """A present-tense verb right after a name: "TundraDiff raises", "EchoVL generates", "BoltDiff accelerates"."""
    token = tokens[position]
    if token.kind not in ("w", "m") or _THIRD_PERSON.match(token.text) is None:
        return False  # the cheap tests first: most words are no third-person verb
    previous = tokens[position - 1]
    clause_start = position == 1 or _is_any(tokens[position - 2], _CLAUSE_OPENERS)
    return clause_start and previous.kind == "w" and is_name(previous.text)


def _subject_tokens(tokens: list[Token], verb: int) -> list[Token]:
    """Tokens from the clause start to ``verb``, adverbs and modals dropped."""
    start = _clause_start(tokens, verb)
    subject = [t for t in tokens[start:verb] if not (t.kind == "w" and t.lower in _VERBS)]
    if not subject and start >= 2:  # "a new activation, StarReLU, reduces"
        previous = start - 1
        subject = tokens[_clause_start(tokens, previous) : previous]
    if _has_any(subject, _EQUIPPED):
        after = [i for i, t in enumerate(subject) if _is_any(t, _WITH)]
        if after:
            subject = subject[after[0] + 1 :]
    return subject


def base_models(sentence: str, model: str | None) -> str | None:
    """Base models a method was applied to, joined with ', ' in the order written."""
    names: list[str] = []
    for match in _base_matches(sentence):
        position = match.start("names")
        for name in _LIST_SEPARATOR.split(match["names"]):
            position = sentence.find(name, position) + len(name)
            if _starts_with_verb(sentence[position:]):
                break  # "applied to X, VScan achieves": VScan is the subject, not a base
            abbreviation = _ABBREVIATION.match(sentence, position)
            if abbreviation and sentence.find(abbreviation["short"], abbreviation.end()) >= 0:
                name = abbreviation["short"]  # "Diffusion Transformer (DiT) ... the original DiT"
            else:
                name = name.strip().rstrip(".")
            words = name.split("'")[0].split()
            if name and name != model and name not in names and words and all(_NAME.match(w) for w in words) and (
                len(words) > 1 or is_name(words[0])
            ):
                names.append(name)
    return ", ".join(names) if names else None


def _base_matches(sentence: str) -> list[re.Match[str]]:
    """Every match of `_BASE_BEFORE`, then every match of `_BASE_AFTER`, as ``finditer`` gives them."""
    lower = sentence.lower()
    if sentence.isascii():
        found = _BASE_CUES.Match(lower.encode("ascii"))
        if found is None:
            return []
        # a cue that the case-sensitive patterns find in the sentence is in its lower case too
        return _cued_matches(sentence, lower, _present_triggers(found), _LIST_CUE_INDEX in found,
                             any(index in found for index in _AFTER_CUE_INDEXES))
    if any(letter in sentence for letter in _DOTTED_I):
        return [*_BASE_BEFORE.finditer(sentence), *_BASE_AFTER.finditer(sentence)]
    return _cued_matches(sentence, lower, _BASE_TRIGGERS, True, True)


def _cued_matches(
    sentence: str, lower: str, triggers: tuple[str, ...], list_cue: bool, after_cue: bool
) -> list[re.Match[str]]:
    """`_base_matches` given the cues ``sentence`` may hold: ``triggers``, and whether `_LIST_CUE` and an after cue.

    ``lower`` is ``sentence`` in lower case, as long as it (only "İ" grows): its offsets are the sentence's.
    """
    if list_cue and _LIST_CUE.search(sentence):
        matches = list(_BASE_BEFORE.finditer(sentence))
    else:
        matches = _matches_from(_BASE_BEFORE, sentence, _occurrences(lower, triggers))
    if after_cue and any(cue in sentence for cue in _AFTER_CUES):
        matches.extend(_BASE_AFTER.finditer(sentence))
    return matches


def _present_triggers(found: list[int]) -> tuple[str, ...]:
    """The words the ways of `_BASE_WAYS` that ``_BASE_CUES`` found begin with: the only starts worth trying."""
    return tuple(dict.fromkeys(word for index in found if index < len(_BASE_WAYS) for word in _BASE_WAYS[index][1]))


def _occurrences(text: str, words: tuple[str, ...]) -> list[int]:
    """Where any of ``words`` starts in ``text``, in ascending order (overlaps included)."""
    starts: list[int] = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            starts.append(at)
            at = text.find(word, at + 1)
    starts.sort()
    return starts


def _matches_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts``: tried there only, left to right."""
    matches: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                matches.append(match)
                end = match.end()
    return matches


def _starts_with_verb(text: str) -> bool:
    words = text.split(None, 2)
    return bool(words) and (words[0].lower() in _VERBS or (len(words) > 1 and words[1].lower() in _VERBS))


def context_words(sentence: str, declared: str | None = None, near: int = 0) -> str | None:
    """The setting an efficiency number is measured in (inference, training, ...), the one nearest ``near``.

    ``declared`` is the context the rule's phrase carries ("compute"); training,
    the regime that changes what a number means, is added to it.

    >>> context_words("cuts training compute by 4x", "compute"), context_words("3x faster decoding")
    ('compute, training', 'decoding')
    >>> context_words("speeds up decoding, cutting inference time by 2x", near=40)
    'inference'
    """
    lower = sentence.lower()
    found = [
        (abs(match.start() - near), label)
        for key, label, starts in _CONTEXTS
        for match in _matches_from(key, lower, _occurrences(lower, starts))
    ]
    setting = min(found)[1] if found else None
    if declared is None or setting == declared:
        return setting
    return f"{declared}, training" if setting == "training" else declared
