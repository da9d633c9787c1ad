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
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import (
    Paper, Provenance, Record, Rejection, SourceRef, engine_provenance, engine_record, engine_rejection,
)
from ..rulebook import LoadedRule, Rule
from .attribution import base_models, context_words, is_modifier, method_name, reference_level, subject_model
from .grammar import Binding, bind
from .normalize import Normalized, Rejected, normalize
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
#: The fallback `_record` gives `subject_model`, which returns it as is when the clause names no model: the
#: paper's method name (`method_name`) is then read, and only then.
_UNNAMED = object()


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit of any script (find_numbers reads full-width ones too).

    On ASCII text, ten substring searches (each a ``memchr``) cost less than one regex step per
    character; written out, they run without the frames of a generator (half the time of ``any``).

    >>> has_digit("an FID of 1.46"), has_digit("no numbers"), has_digit("ＦＩＤ ２")
    (True, False, True)
    """
    if text.isascii():
        return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text
                or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text)  # fmt: skip
    return _DIGIT.search(text) is not None
_CONTINUATION = re.compile(r"^\s*(?:,|and|or|,\s*and)\s*(?:-(\d+)\b|(\d+)\s?[x×]\s?(?:\d+)\b)")


class Extractor:
    """Every rule compiled once; `extract` turns one paper into records."""

    def __init__(self, rules: Iterable[LoadedRule]) -> None:
        self.rules = {item.id: item for item in rules}
        self.vocabulary = Vocabulary(list(self.rules.values()))
        self._excludes = {rid: {w.lower() for w in item.rule.exclude} for rid, item in self.rules.items()}
        self._metrics = {rid: _Metrics.of(item.rule) for rid, item in self.rules.items()}

    def select(self, abstract: str) -> Scan | None:
        """The keyword pass over an abstract, or None when the abstract can give nothing.

        Every record and every rejection is a number tied to a rule's word: an
        abstract without a digit, or that names nothing but datasets (which
        `_sentence` passes over), is done here. Callers may skip preparing a
        paper (its offset map) that this turns down, and pass the scan on to
        `extract`.
        """
        if not has_digit(abstract):
            return None  # a look for a digit costs a tenth of the keyword pass, and a third of abstracts have none
        scan = self.vocabulary.scan(abstract)
        return None if scan is None or scan.datasets_only() else scan

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
        """The records and rejections of one sentence that holds mentions."""
        if not has_digit(sentence.text) or all(m.role == "dataset" for m in mentions):
            return  # no number to find (find_numbers needs a digit), or nothing a number could be bound to
        numbers = find_numbers(sentence.text)
        if not numbers:
            return
        tokens = tokenize(sentence.text, numbers, mentions)
        bindings = bind(tokens, self._excludes)
        source = paper.sources[0] if paper.sources else None
        shared = _Shared(tokens, source, sha256, earlier)
        for binding in bindings:
            try:
                found = self._binding(paper, sentence, tokens, binding, bindings, shared)
            except Exception as error:  # noqa: BLE001 - one rule's failure keeps the others (see `extract`)
                if failures is None:
                    raise
                failures.append((binding.rule, error))
                continue
            (records if isinstance(found, Record) else rejections).append(found)
        bound = {id(b.number) for b in bindings} | {id(b.baseline) for b in bindings if b.baseline is not None}
        rule_ids = None
        for token in tokens:
            if token.kind == "n" and id(token) not in bound and token.number is not None and token.number.form != "number":
                rule_ids = rule_ids or sorted({m.rule for m in mentions})
                reason = f"not tied to {', '.join(rule_ids)} by any template"
                rejections.append(self._rejection(paper, sentence, token, None, reason, source, benchmark=None))

    def _binding(
        self, paper: Paper, sentence: Sentence, tokens: list[Token], binding: Binding, bindings: list[Binding],
        shared: _Shared,
    ) -> Record | Rejection:
        """One binding of the sentence as a record, or as a rejection with the reason."""
        source = shared.source
        item = self.rules[binding.rule]
        if binding.kind == "ambiguous":
            reason = f"ambiguous: {binding.mention.text} is a metric of several rules ({binding.extra['candidates']}) and the sentence names none of them"
            return self._rejection(paper, sentence, binding.number, None, reason, source)
        if binding.role not in EFFICIENCY_ROLES and reference_level(tokens, shared.position(binding.number), score=binding.kind == "score"):
            reason = "a reference level (human, oracle or chance performance, or unnamed earlier work), not a system's score"
            return self._rejection(paper, sentence, binding.number, item, reason, source)
        try:
            normalized = normalize(binding, item.rule)
        except Rejected as reason:
            return self._rejection(paper, sentence, binding.number, item, str(reason), source)
        scored = {shared.position(b.number) for b in bindings if b.rule == binding.rule and b is not binding}
        return self._record(paper, sentence, tokens, binding, normalized, scored, shared)

    def _record(
        self, paper: Paper, sentence: Sentence, tokens: list[Token], binding: Binding, normalized: Normalized,
        scored: set[int], shared: _Shared,
    ) -> Record:
        """The validated record of one bound number; ``scored`` holds the other numbers bound to its rule."""
        item = self.rules[binding.rule]
        rule = item.rule
        index = shared.position(binding.number)
        efficiency = binding.role in ("speed", "time", "cost")
        earlier = shared.earlier
        if efficiency:
            dataset = binding.extra.get("base") or earlier.bases_of(sentence) or earlier.base_models()
        else:
            group = list(binding.group) or [index]
            dataset = _dataset(shared.datasets(binding.rule, sentence.text), index, group) or earlier.dataset(
                binding.rule, group.index(index), len(group))
        skip = set((dataset or "").split(", "))
        model = binding.extra.get("model") or subject_model(tokens, index, paper.abstract, _UNNAMED, skip, scored)
        if model is _UNNAMED or (efficiency and dataset and model in skip):
            model = method_name(paper.title, paper.abstract)  # the paper's own name for its method, read only when needed
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
        return engine_record(
            benchmark=rule.id,
            kind=normalized.kind,
            metric=self._metrics[binding.rule].choose(binding, sentence.text),
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
            provenance=_provenance(paper, sentence, number, item, shared.sha256, shared.source),
        )

    def _rejection(
        self, paper: Paper, sentence: Sentence, number: Token, item: LoadedRule | None, reason: str,
        source: SourceRef | None, benchmark: str | None = None,
    ) -> Rejection:
        """A rejection of ``number``; ``source`` is the paper's first source, if it has one."""
        start = sentence.start + number.start
        end = start + len(number.text)
        return engine_rejection(
            source.path if source else "",
            paper,
            (source.file_offset(start), source.file_offset(end)) if source else (start, end),
            number.text,
            item.id if item else benchmark,
            item.id if item else None,
            reason,
            sentence.text,
        )


@dataclass(slots=True)
class _Shared:
    """What the bindings of one sentence share, worked out once for the sentence rather than once per binding."""

    tokens: list[Token]
    source: SourceRef | None  # the paper's first source
    sha256: str
    earlier: _Earlier
    _positions: dict[int, int] = field(init=False, default_factory=dict)  # id of a token: its index in ``tokens``
    _datasets: dict[str, list[tuple[int, str]]] = field(init=False, default_factory=dict)

    def position(self, token: Token) -> int:
        """``tokens.index(token)``, looked up once per token (a sentence has many tokens and few bindings)."""
        position = self._positions.get(id(token))
        if position is None:
            position = self._positions[id(token)] = self.tokens.index(token)
        return position

    def datasets(self, rule: str, sentence: str) -> list[tuple[int, str]]:
        """`_datasets` of ``rule`` in this sentence."""
        found = self._datasets.get(rule)
        if found is None:
            found = self._datasets[rule] = _datasets(self.tokens, rule, sentence)
        return found


def _provenance(
    paper: Paper, sentence: Sentence, number: Token, item: LoadedRule, sha256: str, source: SourceRef | None
) -> Provenance:
    """Where the record of ``number`` comes from; ``source`` is the paper's first source, if it has one."""
    start = sentence.start + number.start
    end = start + len(number.text)
    if source is None:
        path, span, quote_span = "", (start, end), (sentence.start, sentence.end)
    else:
        offset = source.file_offset
        path, span, quote_span = source.path, (offset(start), offset(end)), (offset(sentence.start), offset(sentence.end))
    return engine_provenance(path, sha256, paper, span, quote_span, sentence.text, item.id, item.sha256)


@dataclass(frozen=True)
class _Metrics:
    """A rule's metrics as `choose` reads them: the default, and the other metrics' aliases and words, in lower
    case once per rule rather than once per record."""

    default: str
    others: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]  # (name, aliases, `when` words) of each other metric

    @classmethod
    def of(cls, rule: Rule) -> _Metrics:
        others = tuple(
            (m.name, frozenset(a.lower() for a in m.aliases), tuple(w.lower() for w in m.when)) for m in rule.metrics[1:]
        )
        return cls(rule.metrics[0].name, others)

    def choose(self, binding: Binding, sentence: str) -> str:
        """The metric named at the number, or chosen by words ('reconstruction' makes FID rFID).

        Words only choose when the sentence names no metric other than the default.
        """
        default = self.default
        if binding.metric and binding.metric != default:
            return binding.metric
        if self.others:
            lower = sentence.lower()
            words = set(lower.split())
            named = {m.value for m in binding.mention.mentions if m.role == "metric"}
            if all(aliases.isdisjoint(words) for _, aliases, _ in self.others) and named <= {default, None}:
                for name, _, when in self.others:
                    if any(word in lower for word in when):
                        return name
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

    def bases_of(self, sentence: Sentence) -> str | None:
        """The base models ``sentence`` names (`base_models`), worked out once per sentence."""
        if sentence.start not in self._bases:
            self._bases[sentence.start] = base_models(sentence.text, None)
        return self._bases[sentence.start]

    def base_models(self) -> str | None:
        """The base models of the nearest sentence before the current one that names some."""
        for sentence in reversed([s for s in self.sentences if s.start < self.start]):
            bases = self.bases_of(sentence)
            if bases:
                return bases
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


def _dataset(datasets: list[tuple[int, str]], index: int, group: list[int]) -> str | None:
    """The dataset of the number at ``index``: paired in order with a list after its ``group``, else the nearest.

    ``datasets`` are the rule's datasets in the sentence (`_datasets`).
    """
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
