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
_CONTEXTS = tuple((re.compile(rf"\b{key}"), label) for key, label in (
    ("prefill", "prefilling"), ("decod(?:ing|es?)\\b", "decoding"), ("pre-?train", "training"),
    ("train(?:ing|s)?\\b", "training"), ("inference", "inference")))
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


_REFERENCE = {"human", "humans", "human-level", "annotator", "annotators", "oracle", "crowdworkers", "crowd-workers",
              "expert", "experts", "random", "chance"}


_OTHERS = {"prior", "previous", "existing", "competing", "earlier"}


def reference_level(tokens: list[Token], index: int, window: int = 6, score: bool = True) -> bool:
    """Whether the number at ``index`` is a reference level, not the score of a named system.

    It is when a reference word (human, oracle, chance) stands in the same clause, at most ``window`` tokens
    before the number; for a score, also unnamed earlier work ("Prior methods reach at most 70%").
    """
    words = _REFERENCE | _OTHERS if score else _REFERENCE
    for token in reversed(tokens[max(0, index - window) : index]):
        if token.is_word(",", ";", "while", "whereas", "but"):
            return False
        if token.is_word(*words):
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
    return _COMPOUND_MODIFIER.search(word) is not None


def is_name(word: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` looks like a system's name: inner capitals or digits, or seen as one.

    >>> is_name("TexTok"), is_name("LLaVA-1.5"), is_name("Experiments"), is_name("Imagen", frozenset({"Imagen"}))
    (True, True, False, True)
    >>> is_name("OCR-free"), is_name("GPT-4o"), is_name("MLLMs")
    (False, True, False)
    """
    if not _NAME.match(word) or word.lower() in _GENERIC or is_modifier(word) or _PLURAL_ACRONYM.match(word):
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


def subject_model(
    tokens: list[Token], index: int, abstract: str, fallback: str | None, skip: set[str], scored: set[int] = frozenset()
) -> str | None:
    """The system the number at ``index`` belongs to: a name owning its parentheses, the clause's named subject,
    the named system the clause is about, else ``fallback``.

    ``scored`` holds the other numbers of the sentence bound to the same benchmark: when the subject already has
    its score, a score in parentheses after another system is that system's ("X reaches 8.1, surpassing Y (FID
    11.3)"); otherwise the parentheses are the subject's evidence ("X outperforms Y (FID 5.47)").
    """
    known = _capitalised(abstract)
    owner = _parenthesis_owner(tokens, index, known) if any(i < index for i in scored) else None
    if owner is not None:
        return owner
    verb = _verb_before(tokens, index)
    while verb is not None and (
        (tokens[verb].lower.endswith("ing") and tokens[verb - 1].is_word(","))
        or (tokens[verb - 1].is_word("and", "or") and tokens[verb - 2].is_word(",") if verb >= 2 else False)
    ):
        # "X outperforms Y, reaching 54.7", "X runs faster, ..., and scores 61.0": the main clause's subject
        main = _verb_before(tokens, verb - 1)
        if main is None:
            break
        verb = main
    if verb is not None:
        subject = _with_apposition(tokens, verb, _subject_tokens(tokens, verb), known)
        owned = [b for a, b in zip(subject, subject[1:]) if a.is_word("our") and is_name(b.text, known) and b.text not in skip]
        if owned:
            return owned[0].text
        if any(t.is_word("we", "our", "us") for t in subject):
            return fallback
        for position, token in enumerate(subject):
            if token.kind != "n" and is_name(token.text, known) and token.text not in skip and not _is_mention(token):
                return _with_version(token.text.rstrip(".,"), subject[position + 1 : position + 2])
        if len(subject) == 1 and _proper_noun(subject[0]) and subject[0].text not in skip:
            return subject[0].text  # "Monkey surpasses ...", "Vary obtains ..."
        evaluated = None if _refers_back(subject) else _evaluated_object(tokens, verb, known, skip)
        if evaluated is not None:
            return evaluated
        if subject and not any(t.lower in {"we", "our", "it", "this", "these"} for t in subject) and not _generic_subject(subject):
            return fallback
    for position in range(index - 1, 0, -1):
        if tokens[position - 1].is_word("our") and is_name(tokens[position].text, known) and tokens[position].text not in skip:
            return tokens[position].text
    return fallback


def _with_apposition(tokens: list[Token], verb: int, subject: list[Token], known: frozenset[str]) -> list[Token]:
    """"QuartzVL, a 7B model, achieves": a nameless subject between commas describes the name before it."""
    if not subject or any(is_name(t.text, known) or t.is_word("we", "our", "us") for t in subject):
        return subject
    start = tokens.index(subject[0])
    if start < 2 or not tokens[start - 1].is_word(","):
        return subject
    begin = start - 1
    while begin > 0 and not tokens[begin - 1].is_word(*_BOUNDARIES):
        begin -= 1
    before = tokens[begin : start - 1]
    return before + subject if len(before) <= 3 and any(is_name(t.text, known) for t in before) else subject


def _proper_noun(token: Token) -> bool:
    """A lone capitalised word right before the verb: a name even if the abstract never repeats it."""
    return token.kind == "w" and token.text[:1].isupper() and bool(_NAME.match(token.text)) and token.lower not in _GENERIC


def _with_version(name: str, following: list[Token]) -> str:
    """"MiniCPM-Llama3-V 2.5": a bare version number after a name belongs to it."""
    if following and following[0].kind == "n" and following[0].number is not None and following[0].number.form == "number":
        return f"{name} {following[0].text}"
    return name


def _parenthesis_owner(tokens: list[Token], index: int, known: frozenset[str]) -> str | None:
    """The name right before the parentheses holding the number: "surpassing GlideX (FID 11.30)"."""
    for position in range(index - 1, max(0, index - 4), -1):
        token = tokens[position]
        if token.is_word("("):
            before = tokens[position - 1]
            return before.text if before.kind == "w" and is_name(before.text, known) else None
        if token.kind == "n" or token.is_word(")", ",", ";"):
            return None
    return None


_BASELINE_CUES = {"than", "over", "vs", "vs.", "versus", "against", "to", "with", "surpassing", "outperforming", "beating"}


def _refers_back(subject: list[Token]) -> bool:
    """"this approach", "it", "the proposed method": the subject is the paper's own method."""
    return any(t.is_word("this", "these", "it", "proposed", "such") for t in subject)


def _evaluated_object(tokens: list[Token], verb: int, known: frozenset[str], skip: set[str]) -> str | None:
    """A named system later in the clause when the subject names none: "pretraining gives SolsticeT2I a gain".

    Names after a comparison ("than X") end the search; names after "on" or "in" are benchmarks and datasets.
    """
    for position in range(verb + 1, len(tokens)):
        token = tokens[position]
        if token.is_word(";", "while", "whereas", "but", "which") or token.is_word(*_BASELINE_CUES):
            return None
        if token.kind == "w" and is_name(token.text, known) and token.text not in skip:
            if tokens[position - 1].is_word("on", "in", "across", "at", "of", "like"):
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
        if tokens[position - 1].is_word("to") or not tokens[position].text[:1].islower():
            continue  # an infinitive, or a capitalised "IS" (inception score)
        if tokens[position].is_word(*_VERBS) or _named_subject_verb(tokens, position):
            return position
    return None


_THIRD_PERSON = re.compile(r"^[a-z]{3,}(?<!ss)(?<!us)(?<!is)s$")


def _named_subject_verb(tokens: list[Token], position: int) -> bool:
    """A present-tense verb right after a name: "TundraDiff raises", "EchoVL generates", "BoltDiff accelerates"."""
    previous = tokens[position - 1]
    clause_start = position == 1 or tokens[position - 2].is_word(*_BOUNDARIES, "our", "the", "and", "of")
    return (
        clause_start
        and tokens[position].kind in ("w", "m")
        and _THIRD_PERSON.match(tokens[position].text) is not None
        and previous.kind == "w"
        and is_name(previous.text)
    )


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
                abbreviation = _ABBREVIATION.match(sentence, position)
                if abbreviation and abbreviation["short"] in sentence[abbreviation.end() :]:
                    name = abbreviation["short"]  # "Diffusion Transformer (DiT) ... the original DiT"
                else:
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
    found = [(abs(match.start() - near), label) for key, label in _CONTEXTS for match in key.finditer(lower)]
    setting = min(found)[1] if found else None
    if declared is None or setting == declared:
        return setting
    return f"{declared}, training" if setting == "training" else declared
