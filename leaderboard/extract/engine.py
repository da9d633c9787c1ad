"""From one paper to its records and rejections, with every rule at once.

The flow for one abstract: one keyword pass over the whole abstract finds
every mention of every rule (most papers stop here, having none); sentences
with offsets; for each sentence that holds a mention, numbers and mentions
become tokens, the grammar binds numbers to rules, the normalizer converts
them, attribution names the model and dataset, and each result becomes a
validated `Record` with provenance, or a `Rejection` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .._version import __version__
from ..model import Paper, Provenance, Record, Rejection
from ..rulebook import LoadedRule
from .attribution import base_models, context_words, is_modifier, method_name, reference_level, subject_model
from .grammar import Binding, bind
from .normalize import Rejected, normalize
from .numbers import find_numbers
from .sentences import Sentence, split_sentences
from .tokens import EFFICIENCY_ROLES, Token, tokenize
from .vocab import Mention, Scan, Vocabulary

__all__ = ["Extractor"]

_BASELINE_MODEL = re.compile(
    r"\b(?:than|compared (?:to|with)|relative to|over|versus|vs\.?)\s+(?:the\s+)?(?:original\s+)?"
    r"(?P<name>[A-Z][\w.\-']*(?:'s [A-Z][\w.\-]*)?)"
)
_LEADING_BASELINE = re.compile(r"(?:Compared (?:to|with)|Relative to|Over|Against)\s+(?:the\s+)?(?P<name>[A-Z][\w.\-']*),")
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit of any script (find_numbers reads full-width ones too).

    On ASCII text, ten substring searches cost less than one regex step per character.

    >>> has_digit("an FID of 1.46"), has_digit("no numbers"), has_digit("ＦＩＤ ２")
    (True, False, True)
    """
    if text.isascii():
        return any(digit in text for digit in _ASCII_DIGITS)
    return _DIGIT.search(text) is not None
_CONTINUATION = re.compile(r"^\s*(?:,|and|or|,\s*and)\s*(?:-(\d+)\b|(\d+)\s?[x×]\s?(?:\d+)\b)")


class Extractor:
    """Every rule compiled once; `extract` turns one paper into records."""

    def __init__(self, rules: Iterable[LoadedRule]) -> None:
        self.rules = {item.id: item for item in rules}
        self.vocabulary = Vocabulary(list(self.rules.values()))
        self._excludes = {rid: {w.lower() for w in item.rule.exclude} for rid, item in self.rules.items()}

    def select(self, abstract: str) -> Scan | None:
        """The keyword pass over an abstract, or None when the abstract can give nothing.

        Every record and every rejection is a number tied to a rule's word: an
        abstract without a digit, or that names nothing, is done here. Callers
        may skip preparing a paper (its offset map) that this turns down, and
        pass the scan on to `extract`.
        """
        scan = self.vocabulary.scan(abstract)  # most abstracts name nothing, which this pass finds fastest
        return scan if scan is not None and has_digit(abstract) else None

    def extract(
        self, paper: Paper, sha256: str = "", *, failures: list[tuple[str, Exception]] | None = None,
        scan: Scan | None = None,
    ) -> tuple[list[Record], list[Rejection]]:
        """Records and rejections of one paper; ``sha256`` is its source file's hash.

        With a ``failures`` list, an exception while one rule's number is
        turned into a record is added to it as ``(rule id, exception)`` and
        the other numbers and rules go on; without one, it is raised.
        ``scan`` is what `select` gave for the paper's abstract, if known.
        """
        if scan is None:
            scan = self.select(paper.abstract)
            if scan is None:
                return [], []
        records: list[Record] = []
        rejections: list[Rejection] = []
        sentences = split_sentences(paper.abstract)
        earlier = _Earlier(sentences)
        for sentence in sentences:
            mentions = scan.sentence(sentence.start, sentence.end)
            if mentions is not None:
                earlier.start = sentence.start
                self._sentence(paper, sentence, mentions, sha256, records, rejections, earlier, failures)
                earlier.remember(mentions, sentence.text)
        return records, rejections

    def _sentence(
        self, paper: Paper, sentence: Sentence, mentions: list[Mention], sha256: str,
        records: list[Record], rejections: list[Rejection], earlier: _Earlier, failures: list | None = None,
    ) -> None:
        if not has_digit(sentence.text) or all(m.role == "dataset" for m in mentions):
            return  # no number to find (find_numbers needs a digit), or nothing a number could be bound to
        numbers = find_numbers(sentence.text)
        if not numbers:
            return
        tokens = tokenize(sentence.text, numbers, mentions)
        bindings = bind(tokens, self._excludes)
        bound = {id(b.number) for b in bindings} | {id(b.baseline) for b in bindings if b.baseline is not None}
        for binding in bindings:
            with _isolated(failures, binding.rule):
                item = self.rules[binding.rule]
                if binding.kind == "ambiguous":
                    reason = f"ambiguous: {binding.mention.text} is a metric of several rules ({binding.extra['candidates']}) and the sentence names none of them"
                    rejections.append(self._rejection(paper, sentence, binding.number, None, reason))
                    continue
                if binding.role not in EFFICIENCY_ROLES and reference_level(tokens, tokens.index(binding.number), score=binding.kind == "score"):
                    reason = "a reference level (human, oracle or chance performance, or unnamed earlier work), not a system's score"
                    rejections.append(self._rejection(paper, sentence, binding.number, item, reason))
                    continue
                try:
                    normalized = normalize(binding, item.rule)
                except Rejected as reason:
                    rejections.append(self._rejection(paper, sentence, binding.number, item, str(reason)))
                    continue
                scored = {tokens.index(b.number) for b in bindings if b.rule == binding.rule and b is not binding}
                records.append(self._record(paper, sentence, tokens, binding, normalized, sha256, scored, earlier))
        rule_ids = sorted({m.rule for m in mentions})
        for token in tokens:
            if token.kind == "n" and id(token) not in bound and token.number is not None and token.number.form != "number":
                reason = f"not tied to {', '.join(rule_ids)} by any template"
                rejections.append(self._rejection(paper, sentence, token, None, reason, benchmark=None))

    def _record(
        self, paper: Paper, sentence: Sentence, tokens: list[Token], binding: Binding, normalized,
        sha256: str, scored: set[int], earlier: _Earlier,
    ) -> Record:
        item = self.rules[binding.rule]
        fallback = method_name(paper.title, paper.abstract)  # the paper's own name for its method, read only when needed
        rule = item.rule
        index = tokens.index(binding.number)
        efficiency = binding.role in ("speed", "time", "cost")
        if efficiency:
            dataset = binding.extra.get("base") or base_models(sentence.text, None) or earlier.base_models()
        else:
            group = list(binding.group) or [index]
            dataset = _dataset(tokens, index, group, binding.rule, sentence.text) or earlier.dataset(
                binding.rule, group.index(index), len(group))
        skip = set((dataset or "").split(", "))
        model = binding.extra.get("model") or subject_model(tokens, index, paper.abstract, fallback, skip, scored)
        if efficiency and dataset and model in skip:
            model = fallback
        baseline = None
        if binding.baseline is not None and binding.baseline.number is not None:
            try:
                baseline = normalize(
                    Binding(binding.baseline, binding.rule, binding.mention, "score", binding.template), rule
                ).value
            except Rejected:
                baseline = None
        context = binding.mention.mentions[0].context if efficiency and binding.mention.mentions else None
        if efficiency:
            context = context_words(sentence.text, context, near=binding.number.start)
        number = binding.number
        return Record(
            benchmark=rule.id,
            kind=normalized.kind,
            metric=_metric(binding, sentence.text, rule),
            model=model,
            dataset=dataset,
            value=normalized.value,
            value_max=normalized.value_max,
            unit=normalized.unit,
            qualifier=normalized.qualifier,
            reported=number.text,
            baseline=baseline,
            baseline_model=_baseline_model(sentence.text, index, tokens) if (efficiency or normalized.kind == "delta") else None,
            context=context,
            provenance=_provenance(paper, sentence, number, item, sha256),
        )

    def _rejection(
        self, paper: Paper, sentence: Sentence, number: Token, item: LoadedRule | None, reason: str, benchmark: str | None = None
    ) -> Rejection:
        source = paper.sources[0] if paper.sources else None
        start = sentence.start + number.start
        span = (source.file_offset(start), source.file_offset(start + len(number.text))) if source else (start, start + len(number.text))
        return Rejection(
            source=source.path if source else "",
            paper=paper.title,
            paper_id=paper.arxiv_id,
            span=span,
            reported=number.text,
            benchmark=item.id if item else benchmark,
            rule=item.id if item else None,
            reason=reason,
            quote=sentence.text,
        )


def _provenance(paper: Paper, sentence: Sentence, number: Token, item: LoadedRule, sha256: str) -> Provenance:
    source = paper.sources[0] if paper.sources else None
    start = sentence.start + number.start

    def where(offset: int) -> int:
        return source.file_offset(offset) if source else offset

    return Provenance(
        source=source.path if source else "",
        source_sha256=sha256,
        paper=paper.title,
        paper_id=paper.arxiv_id,
        span=(where(start), where(start + len(number.text))),
        quote_span=(where(sentence.start), where(sentence.end)),
        quote=sentence.text,
        rule=item.id,
        rule_sha256=item.sha256,
        version=__version__,
    )


def _metric(binding: Binding, sentence: str, rule) -> str:
    """The metric named at the number, or chosen by words ('reconstruction' makes FID rFID).

    Words only choose when the sentence names no metric other than the default.
    """
    default = rule.metrics[0].name
    if binding.metric and binding.metric != default:
        return binding.metric
    lower = sentence.lower()
    named = {m.value for m in binding.mention.mentions if m.role == "metric"}
    others = [m for m in rule.metrics[1:] if any(a.lower() in lower.split() for a in m.aliases)]
    if not others and named <= {default, None}:
        for metric in rule.metrics[1:]:
            if any(word.lower() in lower for word in metric.when):
                return metric.name
    return binding.metric or default


@dataclass
class _Earlier:
    """What the abstract said before the current sentence, for numbers whose sentence names no dataset.

    "29.2% and 48.1% on ImageNet-256 and -512 ... These translate to 16.3% and 34.3% improvements in FID":
    the second pair takes the datasets of the sentence before, when their counts match. Efficiency numbers take
    the base models named earlier ("We evaluate on VLMs such as Qwen2-VL and Gemma-3. X cuts FLOPs by 40%").
    """

    sentences: list[Sentence]
    start: int = 0
    datasets: dict[str, list[str]] = field(default_factory=dict)
    _bases: dict[int, str | None] = field(default_factory=dict)

    def remember(self, mentions: list[Mention], sentence: str) -> None:
        named: dict[str, list[str]] = {}
        for mention in mentions:
            if mention.role == "dataset" and mention.value:
                named.setdefault(mention.rule, []).extend(_with_continuation(mention.value, sentence[mention.end :]))
        self.datasets.update(named)

    def dataset(self, rule: str, position: int, count: int) -> str | None:
        names = self.datasets.get(rule, [])
        return names[position] if len(names) == count else None

    def base_models(self) -> str | None:
        for sentence in reversed([s for s in self.sentences if s.start < self.start]):
            if sentence.start not in self._bases:
                self._bases[sentence.start] = base_models(sentence.text, None)
            if self._bases[sentence.start]:
                return self._bases[sentence.start]
        return None


def _with_continuation(name: str, rest: str) -> list[str]:
    """``ImageNet-256 and -512`` names two datasets."""
    continuation = _CONTINUATION.match(rest)
    if continuation is None:
        return [name]
    base = re.sub(r"-\d+$", "", name)
    return [name, f"{base}-{continuation.group(1) or continuation.group(2)}"]


def _datasets(tokens: list[Token], rule: str, sentence: str) -> list[tuple[int, str]]:
    """The rule's datasets named in the sentence, with "-512" continuations expanded."""
    found: list[tuple[int, str]] = []
    for position, token in enumerate(tokens):
        if token.kind != "m":
            continue
        names = [m.value for m in token.mentions if m.rule == rule and m.role == "dataset" and m.value]
        if not names:
            continue
        found.extend((position, name) for name in _with_continuation(names[0], sentence[token.end :]))
    return found


def _dataset(tokens: list[Token], index: int, group: list[int], rule: str, sentence: str) -> str | None:
    """The dataset of the number at ``index``: paired in order with a list after its ``group``, else the nearest."""
    datasets = _datasets(tokens, rule, sentence)
    if not datasets:
        return None
    after = [name for position, name in datasets if position > group[-1]]
    if len(group) > 1 and len(after) >= len(group):
        return after[group.index(index)]
    if after:
        return after[0]
    before = [name for position, name in datasets if position < index]
    return before[-1] if before else None


def _baseline_model(sentence: str, index: int, tokens: list[Token]) -> str | None:
    match = _BASELINE_MODEL.search(sentence, tokens[index].start) or _LEADING_BASELINE.match(sentence)
    name = match["name"].rstrip(".,") if match else None
    return None if name is None or is_modifier(name) else name


@contextmanager
def _isolated(failures: list[tuple[str, Exception]] | None, rule: str) -> Iterator[None]:
    """Keep a failure of one rule's binding in ``failures`` (when given) instead of raising it."""
    try:
        yield
    except Exception as error:
        if failures is None:
            raise
        failures.append((rule, error))
