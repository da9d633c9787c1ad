"""The grammar: how papers tie a number to a benchmark, once for every rule.

Templates, tried in order for each number of a sentence:

- ``B from N1 to N2``: a score N2 with baseline N1 ("FID from 11.86 to 9.06");
- ``N ... on B``: a number, a few unit or metric words, then the benchmark
  ("78.4% accuracy on OCRBench", "0.91 on GenEval");
- ``B ... N``: the benchmark, a few filler words, then the number ("FID of
  5.47", "FID<2", "GenEval score of 0.55");
- change words make a delta ("improving its FID by 5.2%", "a 31% reduction
  in FID", "gains of 5-10 points on GenEval");
- lists pair up in order ("1.46 and 1.62 on ImageNet-256 and -512
  respectively", "rFID and FID scores of 0.65 and 1.50");
- efficiency numbers bind to speed, time and cost words with a reading
  (plain, reduction, share) that the normalizer turns into the canonical unit
  ("a 7-fold reduction in FLOPs", "34.9% less inference time", "using only
  50% of the FLOPs", "3.8 times faster").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tokens import EFFICIENCY_ROLES, SCORE_ROLES, Token

__all__ = ["Binding", "bind", "change_direction"]

_QUALIFIER_WORDS = {"up", "to", "as", "much", "high", "about", "around", "approximately", "roughly", "nearly", "almost",
                    "~", "≈", "more", "than", "over", "above", "at", "least", "less", "under", "below", "fewer", "<", ">",
                    "≤", "≥", "=", "only", "just", "of", "a", "an"}
_METRIC_FILLER = {"accuracy", "acc", "anls", "score", "scores", "overall", "average", "avg", "top-1", "relaxed", "points",
                  "point", "pts", "exact", "match", "em", "performance", "result", "results", "zero-shot", "fid"}
_LEFT_FILLER = _QUALIFIER_WORDS | _METRIC_FILLER | {
    "of", "is", "was", "are", "were", "be", ":", "the", "new", "best", "record", "state-of-the-art", "sota", "strong",
    "competitive", "reaching", "reaches", "reach", "achieves", "achieving", "achieve", "achieved", "attains", "attaining",
    "obtains", "obtaining", "with", "value", "low", "lowest", "high", "highest", "impressive", "remarkable", "leading",
    "its", "their", "our", "final", "a", "an", "scoring", "scored", "scores", "yields", "yielding", "surpassing",
    "setting", "sets", "gets", "getting", "outstanding", "excellent", "superior", "notable", "in", "terms", "and",
}
_PREPOSITIONS = {"on", "in", "for", "at", "across", "over"}
_CHANGE_NOUNS = {"improvement", "improvements", "gain", "gains", "increase", "increases", "boost", "boosts",
                 "reduction", "reductions", "decrease", "decreases", "drop", "drops", "lift", "enhancement", "enhancements"}
_CHANGE_VERBS = {"improving", "improves", "improve", "improved", "reducing", "reduces", "reduce", "reduced", "boosting",
                 "boosts", "boost", "boosted", "increasing", "increases", "increase", "increased", "lowering", "lowers",
                 "lower", "lowered", "decreasing", "decreases", "decrease", "decreased", "raising", "raises", "outperforming",
                 "outperforms", "surpassing", "surpasses", "enhancing", "enhances"}
_REDUCTION_WORDS = {"reduction", "reductions", "reduce", "reduces", "reducing", "reduced", "cut", "cuts", "cutting",
                    "lower", "lowers", "lowering", "lowered", "decrease", "decreases", "decreasing", "decreased", "fewer",
                    "less", "saving", "savings", "save", "saves", "shorten", "shortens", "shortening", "drop", "drops",
                    "smaller", "down", "eliminating", "eliminates", "removing", "removes", "compress", "compresses"}
_INCREASE_WORDS = {"more", "higher", "increase", "increases", "increased", "larger", "greater", "extra", "additional"}
_EFFICIENCY_FILLER = {"higher", "greater", "lower", "fewer", "less", "overall", "end-to-end", "inference", "training",
                      "wall-clock", "theoretical", "real", "actual", "average", "relative", "reduction", "reductions",
                      "improvement", "improvements", "in", "of", "the", "per-image", "decoding", "prefilling",
                      "generation", "faster", "speedup", "speed-up", "acceleration", "total", "computational",
                      "practical", "measured", "gpu", "cpu", "a", "an", "model", "lower", "saving", "savings",
                      "pre-training", "pretraining", "sampling", "compute"}
_COMPARATIVE_SPEED = {"faster", "speedup", "speedups", "speed-up", "speed-ups", "acceleration", "accelerating",
                      "accelerates", "accelerate", "accelerated", "speed up", "speeds up", "speeding up"}
_MORE_WORDS = {"higher", "greater", "more", "increase", "increases", "increased", "improvement", "improves", "improved",
               "improve", "improving", "boost", "boosts", "boosting", "by", "faster"}
_BY_WORDS = {"by", "of", "for"}
_EFFICIENCY_ADJECTIVES = {"factor", "times", "the", "average", "approximately", "ratio", "ratios", "impressive",
                          "remarkable", "significant", "substantial", "notable", "overall", "further", "additional"}
_CLAUSE_BREAKS = {";", "while", "whereas", "but", "although", "though", "which", "respectively"}
_MAX_GAP = 20
_PARTS = {"category", "categories", "subset", "subsets", "subtask", "subtasks", "task", "tasks", "track", "portion",
          "part", "dimension", "dimensions", "aspect", "split", "subcategory"}

# Word sets the templates test against, built once here rather than on every call.
_CHANGE_WORDS = frozenset(_CHANGE_NOUNS | _CHANGE_VERBS)
_CHANGE_NOUNS_OR_BY = frozenset(_CHANGE_NOUNS | {"by"})
_FROM_TO_FILLER = frozenset(_LEFT_FILLER | _CHANGE_VERBS)
_LIST_FILLER = frozenset(_LEFT_FILLER - {"and"})
_BY_FILLER = frozenset(_QUALIFIER_WORDS - {"of", "a", "an"})
_NAME_BY_FILLER = frozenset(_QUALIFIER_WORDS | _EFFICIENCY_ADJECTIVES)
_EFFICIENCY_LEFT_FILLER = frozenset(_QUALIFIER_WORDS | _EFFICIENCY_ADJECTIVES | _CHANGE_NOUNS)
_EFFICIENCY_GAP = frozenset(_EFFICIENCY_FILLER | _INCREASE_WORDS)
_CHANGE_RIGHT_FILLER = frozenset(_PREPOSITIONS | {"of", "the", "average", "relative", "absolute", "generation", "reconstruction",
                                                  "overall", "its", "their"})
_CLAUSE_ENDS = frozenset({",", ";", ":", "and"} | _CLAUSE_BREAKS)
_VERSUS = frozenset({"vs", "vs.", "versus"})
_AND_COMMA = frozenset({"and", ","})
_LIST_JOINS = frozenset({",", "and", "/"})
_TARGET_NOUNS = frozenset({"benchmark", "benchmarks", "dataset", "datasets", "test", "val", "set"})
_BASELINE_FILLER = frozenset({".", "the", "a", "baseline", "baseline's", "base", "original", "of", "model", "its", "their"})
_SAVING_WORDS = frozenset({"saving", "savings", "save", "saves", "cut", "cuts"})
_LEADING_WORDS = frozenset({"on", "in", "for"})


@dataclass
class Binding:
    """A number tied to a rule, with how it was said."""

    number: Token
    rule: str
    mention: Token
    kind: str  # score or delta; bounds are scores with an inequality, decided later
    template: str
    reading: str = "plain"  # plain, reduction, share, increase
    role: str = "name"
    metric: str | None = None
    dataset: str | None = None
    baseline: Token | None = None
    extra: dict[str, str] = field(default_factory=dict)
    group: tuple[int, ...] = ()  # token indexes of the coordinated numbers bound together ("1.46 and 1.62")


def bind(tokens: list[Token], efficiency_excludes: dict[str, set[str]] | None = None) -> list[Binding]:
    """Tie each number of a tokenized sentence to the rules it reports on."""
    excludes = efficiency_excludes or {}
    bindings: list[Binding] = []
    used: set[int] = set()
    numbers, scope = _survey(tokens)
    if not numbers:
        return bindings
    for group in _number_groups(tokens, numbers):
        if group[0] in used:
            continue
        found = _bind_group(tokens, group, excludes, scope)
        if not found:
            continue
        found = _resolve_shared_metrics(tokens, found)
        for binding in found:
            used.add(tokens.index(binding.number))
            if binding.baseline is not None:
                used.add(tokens.index(binding.baseline))
        bindings.extend(found)
    if not bindings:
        return bindings
    _versus_baselines(tokens, bindings, used)
    bindings.extend(_parallel(tokens, bindings, used, numbers))
    for binding in bindings:
        if binding.kind == "delta":
            direction = change_direction(tokens, tokens.index(binding.number))
            if direction:
                binding.extra["direction"] = direction
    return bindings


_BETTER_WORDS = {"improvement", "improvements", "improve", "improves", "improving", "improved", "gain", "gains", "boost",
                 "boosts", "boosting", "boosted", "lift", "lifts", "enhancement", "enhancements", "better", "outperforming",
                 "outperforms", "surpassing", "surpasses"}
_DOWN_WORDS = {"reduction", "reductions", "reduce", "reduces", "reducing", "reduced", "decrease", "decreases",
               "decreasing", "decreased", "drop", "drops", "dropped", "decline", "declines", "lower", "lowers",
               "lowering", "lowered", "loss", "degradation", "fall", "falls", "cut", "cuts"}
_UP_WORDS = {"increase", "increases", "increasing", "increased", "rise", "rises", "rising", "higher", "raise", "raises",
             "raising", "raised"}


def change_direction(tokens: list[Token], index: int) -> str | None:
    """Which way a change goes: 'better' when the sentence says so, else 'down' or 'up' (None: unsaid).

    >>> from leaderboard.extract.numbers import find_numbers
    >>> text = "with a 0.3 drop on GenEval"
    >>> tokens = [Token("n", n.reported, n.start, n.end, number=n) for n in find_numbers(text)]
    >>> change_direction([Token("w", "a", 0, 1), *tokens, Token("w", "drop", 0, 0)], 1)
    'down'
    """
    window = [t.lower for t in tokens[max(0, index - 6) : index + 4] if t.kind == "w" or t.kind == "m"]
    if any(word in _BETTER_WORDS for word in window):
        return "better"
    down = any(word in _DOWN_WORDS for word in window)
    up = any(word in _UP_WORDS for word in window)
    return "down" if down and not up else "up" if up and not down else None


def _versus_baselines(tokens: list[Token], bindings: list[Binding], used: set[int]) -> None:
    """``A vs. the baseline of B``: B is A's baseline, not a score of its own."""
    for binding in bindings:
        index = tokens.index(binding.number)
        position = index + 1
        if binding.baseline is not None or position >= len(tokens) or not tokens[position].is_word_in(_VERSUS):
            continue
        position += 1
        steps = 0
        while position < len(tokens) and steps < 5 and tokens[position].is_word_in(_BASELINE_FILLER):
            position += 1
            steps += 1
        if position < len(tokens) and tokens[position].kind == "n" and position not in used and steps and tokens[position - 1].is_word("of", "baseline", "original", "model"):
            binding.baseline = tokens[position]
            used.add(position)


def _parallel(tokens: list[Token], bindings: list[Binding], used: set[int], numbers: list[int]) -> list[Binding]:
    """A number left unbound that repeats the shape of a bound one before it takes the same benchmark.

    "an FID of 3.55 on CIFAR-10 and 6.20 on ImageNet 64x64": 6.20 is followed by "on" and a dataset of the rule,
    as 3.55 is. "accelerates A by 2.3x ..., and B by 4.1x": 4.1x follows "by" after a name, as 2.3x does.
    """
    found: list[Binding] = []
    placed = [(tokens.index(b.number), b) for b in bindings if b.kind != "ambiguous"]
    if not placed:
        return found
    for index in numbers:  # the positions of the sentence's numbers
        if index in used:
            continue
        token = tokens[index]
        earlier = [(position, b) for position, b in placed if position < index]
        if not earlier:
            continue
        first, model = earlier[-1]
        if _has_word(tokens[first:index], _CLAUSE_BREAKS):
            continue
        owner = _versus_owner(tokens, index)
        if owner is not None and model.kind == "score" and model.role not in EFFICIENCY_ROLES:
            binding = Binding(token, model.rule, model.mention, "score", "versus-other-system", metric=model.metric)
            binding.extra["model"] = owner  # "an FID of 2.1 (vs. 3.4 for DiT)": 3.4 is DiT's
            found.append(binding)
            used.add(index)
            continue
        if not _has_word(tokens[first + 1 : index], _AND_COMMA):
            continue
        base = _name_before_by(tokens, index) if _name_before_by(tokens, first) else None
        if base or _same_dataset_after(tokens, first, index, model.rule):
            binding = Binding(token, model.rule, model.mention, model.kind, "parallel", reading=model.reading,
                              role=model.role, metric=model.metric)
            if base:
                binding.extra["base"] = base  # "and LDM-4-G by 4.1x": the base model of this number
            found.append(binding)
            used.add(index)
    return found


def _versus_owner(tokens: list[Token], index: int) -> str | None:
    """"vs. 3.4 for DiT": the named system a compared number belongs to."""
    if index < 1 or not tokens[index - 1].is_word_in(_VERSUS) and not (
        index >= 2 and tokens[index - 1].is_word(".") and tokens[index - 2].is_word("vs")
    ):
        return None
    if index + 2 < len(tokens) and tokens[index + 1].is_word("for", "of", "by") and tokens[index + 2].kind == "w":
        name = tokens[index + 2].text
        return name if name[:1].isupper() else None
    return None


def _same_dataset_after(tokens: list[Token], first: int, index: int, rule: str) -> bool:
    def dataset_after(position: int) -> bool:
        return (position + 2 < len(tokens) and tokens[position + 1].is_word("on", "in")
                and any(m.rule == rule and m.role == "dataset" for m in tokens[position + 2].mentions))
    return dataset_after(first) and dataset_after(index)


def _name_before_by(tokens: list[Token], position: int) -> str | None:
    """The word before "by N" ("... LDM-4-G by an impressive 4.1x"), if the number follows "by"."""
    by = _scan_left(tokens, position, _NAME_BY_FILLER, limit=4)
    if by is None or by == 0 or not tokens[by].is_word("by") or tokens[by - 1].kind != "w":
        return None
    return tokens[by - 1].text


def _resolve_shared_metrics(tokens: list[Token], found: list[Binding]) -> list[Binding]:
    """A metric that several rules share (ANLS) means the benchmark named nearest to it.

    With no such benchmark in the sentence the number is ambiguous: one binding
    of kind ``ambiguous`` is kept so the engine can report it.
    """
    resolved: list[Binding] = []
    for binding in found:
        head = binding.mention
        rules = _score_rules(head)
        if len(rules) < 2 or head.roles() != {"metric"}:
            resolved.append(binding)
            continue
        chosen = _nearest_named(tokens, tokens.index(head), rules)
        if chosen == binding.rule:
            resolved.append(binding)
        elif chosen is None and binding.rule == rules[0]:
            binding.kind = "ambiguous"
            binding.extra["candidates"] = ", ".join(rules)
            resolved.append(binding)
    return resolved


def _nearest_named(tokens: list[Token], position: int, rules: list[str]) -> str | None:
    """Of ``rules``, the one whose benchmark name stands nearest to ``position`` (after it on a tie)."""
    best: tuple[int, int, str] | None = None
    for index, token in enumerate(tokens):
        for mention in token.mentions:
            if mention.role == "name" and mention.rule in rules:
                key = (abs(index - position), 0 if index > position else 1, mention.rule)
                best = min(best, key) if best else key
    return best[2] if best else None


def _number_groups(tokens: list[Token], numbers: list[int]) -> list[list[int]]:
    """Numbers in coordination ("1.46 and 1.62", "4.2, 11.0, and 4.0") form one group."""
    groups: list[list[int]] = []
    for index in numbers:
        if groups:
            last = groups[-1][-1]
            between = tokens[last + 1 : index]
            if 0 < len(between) <= 2 and all(t.kind == "w" and t.lower in _LIST_JOINS for t in between):
                groups[-1].append(index)
                continue
        groups.append([index])
    return groups


# What a template needs to fire, as bit flags: a mention of a score role (name, metric) before the numbers or after
# them, a mention right after them, a mention of an efficiency role (speed, time, cost), one number or a list, and a
# sentence opening on "On", "In" or "For".
_BEFORE, _AFTER, _NEAR, _EFFICIENCY, _SINGLE, _LIST, _LEADING = (1 << bit for bit in range(7))


@dataclass(slots=True)
class _Scope:
    """Where a sentence's mentions stand, so that templates which cannot fire are not tried."""

    first_score: int  # position of the first mention playing a score role; len(tokens) if none
    last_score: int  # position of the last one; -1 if none
    flags: int  # _EFFICIENCY and _LEADING when they hold for the sentence


def _survey(tokens: list[Token]) -> tuple[list[int], _Scope]:
    """The positions of the numbers, and the sentence's ``_Scope``, in one pass."""
    numbers: list[int] = []
    first_score, last_score, flags = len(tokens), -1, 0
    for position, token in enumerate(tokens):
        kind = token.kind
        if kind == "w":
            continue
        if kind == "n":
            numbers.append(position)
        elif kind == "m":
            for mention in token.mentions:
                if mention.role in SCORE_ROLES:
                    if last_score < 0:
                        first_score = position
                    last_score = position
                elif mention.role in EFFICIENCY_ROLES:
                    flags |= _EFFICIENCY
    if tokens and tokens[0].is_word_in(_LEADING_WORDS):
        flags |= _LEADING
    return numbers, _Scope(first_score, last_score, flags)


def _possible(tokens: list[Token], group: list[int], scope: _Scope) -> int:
    """The flags that hold for ``group``: a template needing any other cannot fire."""
    first, last = group[0], group[-1]
    possible = scope.flags | (_SINGLE if first == last else _LIST)
    if scope.first_score < first:
        possible |= _BEFORE
    if scope.last_score > last:
        possible |= _AFTER
        if tokens[last + 1].kind == "m" or (last + 2 < len(tokens) and tokens[last + 2].kind == "m"):
            possible |= _NEAR
    return possible


def _bind_group(tokens: list[Token], group: list[int], excludes: dict[str, set[str]], scope: _Scope) -> list[Binding]:
    for template in _PLANS[_possible(tokens, group, scope)]:
        found = template(tokens, group, excludes)
        if found:
            for binding in found:
                binding.group = tuple(group)
            return found
    if len(group) > 1:
        return [b for index in group for b in _bind_group(tokens, [index], excludes, scope)]
    return []


# --- score templates -------------------------------------------------------------------------


def _has_word(window: list[Token], words: frozenset[str] | set[str]) -> bool:
    """Whether a word of ``window`` is one of ``words`` (lower case)."""
    for token in window:
        if token.kind == "w" and token.lower in words:
            return True
    return False


def _score_rules(token: Token) -> list[str]:
    return token.rules_with(SCORE_ROLES) if token.kind == "m" else []


def _metric_of(token: Token, rule: str) -> str | None:
    for mention in token.mentions:
        if mention.rule == rule and mention.role == "metric":
            return mention.value
    return None


def _scan_left(tokens: list[Token], index: int, allowed: set[str], limit: int = 8) -> int | None:
    """Index of the first non-filler token left of ``index`` (None at the start)."""
    steps = 0
    position = index - 1
    while position >= 0 and steps <= limit:
        token = tokens[position]
        if token.kind == "w":
            if token.lower in allowed:
                position -= 1
                steps += 1
                continue
            if token.lower == ")" and position >= 3 and tokens[position - 2].is_word("(") and tokens[position - 1].kind == "m":
                position -= 3  # "Frechet inception distance (FID) from": the abbreviation repeats the name before it
                continue
        return position
    return None


def _from_to(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``B from N1 to N2``: the score is N2, N1 its baseline."""
    if len(group) != 1:
        return []
    index = group[0]
    if index < 4 or not tokens[index - 1].is_word("to") or tokens[index - 2].kind != "n" or not tokens[index - 3].is_word("from"):
        return []
    head = _scan_left(tokens, index - 3, _FROM_TO_FILLER, limit=3)
    if head is None:
        return []
    rules = _score_rules(tokens[head])
    return [
        Binding(tokens[index], rule, tokens[head], "score", "from-to", metric=_metric_of(tokens[head], rule), baseline=tokens[index - 2])
        for rule in rules
    ]


def _targets_right(tokens: list[Token], index: int) -> tuple[list[Token], int] | None:
    """After ``index``: filler words, a preposition, then a list of mentions or names."""
    position = index + 1
    steps = 0
    while steps < 4 and position < len(tokens) and _is_filler_or_metric(tokens[position]):
        position += 1
        steps += 1
    if position >= len(tokens) or not (tokens[position].kind == "w" and tokens[position].lower in _PREPOSITIONS):
        return None
    position += 1
    if position < len(tokens) and tokens[position].is_word("the"):
        position += 1
    return _coordinated(tokens, position)


def _is_filler_or_metric(token: Token) -> bool:
    if token.kind == "w":
        return token.lower in _METRIC_FILLER
    return token.kind == "m" and token.roles() == {"metric"}


def _coordinated(tokens: list[Token], position: int) -> tuple[list[Token], int] | None:
    """A list "X, Y, and Z" of mentions or capitalised names starting at ``position``."""
    items: list[Token] = []
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "m" or (token.kind == "w" and token.text[:1].isupper()):
            items.append(token)
            position += 1
            while position < len(tokens) and tokens[position].kind == "w" and tokens[position].lower in _TARGET_NOUNS:
                position += 1
            if position < len(tokens) and tokens[position].is_word(",", "/"):
                position += 1
            if position < len(tokens) and tokens[position].is_word("and", "or"):
                position += 1
            continue
        break
    return (items, position) if items else None


def _score_right(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``N [unit words] on B``, one number or a list paired in order."""
    found = _targets_right(tokens, group[-1])
    if found is None:
        return []
    targets, _end = found
    bench = [t for t in targets if _score_rules(t)]
    if not bench:
        return []
    kind = "delta" if _changes_near(tokens, group) else "score"
    if len(group) == 1:
        index = group[0]
        return [
            Binding(tokens[index], rule, target, kind, "number-on-benchmark", metric=_metric_of(target, rule) or _metric_word(tokens, index, rule))
            for target in bench
            for rule in _score_rules(target)
        ]
    if len(group) == len(targets):
        return [
            Binding(tokens[index], rule, target, kind, "list-on-benchmarks", metric=_metric_of(target, rule))
            for index, target in zip(group, targets)
            for rule in _score_rules(target)
        ]
    return []


def _score_adjacent(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``N B``: a number right before a benchmark's name, as in result lists ("94.1 DocVQA and 839 OCRBench")."""
    if len(group) != 1 or group[0] + 1 >= len(tokens):
        return []
    index = group[0]
    head = tokens[index + 1]
    if head.kind != "m" or "name" not in head.roles() or _counts(tokens, index + 1) or _changes_near(tokens, group):
        return []
    return [Binding(tokens[index], rule, head, "score", "number-then-benchmark", metric=_metric_of(head, rule))
            for rule in head.rules_with({"name"})]


def _metric_word(tokens: list[Token], index: int, rule: str) -> str | None:
    for token in tokens[index + 1 : index + 4]:
        metric = _metric_of(token, rule) if token.kind == "m" else None
        if metric:
            return metric
    return None


def _score_list(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``B1 and B2 scores of N1 and N2``: metrics listed before the numbers."""
    if len(group) < 2:
        return []
    head = _scan_left(tokens, group[0], _LIST_FILLER)
    if head is None or not _score_rules(tokens[head]):
        return []
    heads = [head]
    position = head - 1
    while position > 0 and tokens[position].is_word_in(_AND_COMMA) and _score_rules(tokens[position - 1]):
        heads.insert(0, position - 1)
        position -= 2
    if len(heads) == 1:
        kind = "delta" if _changes_near(tokens, group) else "score"
        return [Binding(tokens[i], rule, tokens[head], kind, "benchmark-then-list", metric=_metric_of(tokens[head], rule))
                for i in group for rule in _score_rules(tokens[head])]
    if len(heads) != len(group):
        return []
    return [
        Binding(tokens[i], rule, tokens[h], "score", "benchmarks-then-numbers", metric=_metric_of(tokens[h], rule))
        for i, h in zip(group, heads)
        for rule in _score_rules(tokens[h])
    ]


_FUNCTION_WORDS = {"on", "in", "at", "for", "with", "without", "using", "and", "or", "while", "when", "compared", "vs",
                   "versus", "than", "to", "of", "by", "from", "across", "under", "after", "which", "that", "surpassing",
                   "outperforming", "setting", "respectively", "among", "as", "even", "only", "within", "whereas", "but"}
_NOT_COUNTED = frozenset(_FUNCTION_WORDS | _METRIC_FILLER | _QUALIFIER_WORDS)


def _counts(tokens: list[Token], index: int) -> bool:
    """A number followed by a plain noun counts that noun: "with only 64 visual tokens", "553 prompts"."""
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    return (following.kind == "w" and following.text.isalpha() and following.text.islower()
            and following.lower not in _NOT_COUNTED)


def _own_target(tokens: list[Token], index: int, rules: list[str]) -> bool:
    """The number names its own target: "78.2% on DocVQA and 36.2% in MMVet" (36.2% is not DocVQA's)."""
    found = _targets_right(tokens, index)
    if found is None:
        return False
    return any(not any(m.rule in rules and m.role == "dataset" for m in target.mentions) for target in found[0])


def _score_left(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``B [score] of N`` and ``B<N``; also a distant ``... B ..., with a score of N``."""
    if len(group) != 1:
        return []
    index = group[0]
    head = _scan_left(tokens, index, _LEFT_FILLER)
    if head is not None and tokens[head].is_word("(") and index + 1 < len(tokens) and tokens[index + 1].is_word(")"):
        head = head - 1 if head > 0 else None  # "OCRBench (834)"
    rules = _score_rules(tokens[head]) if head is not None else None
    if rules:
        if _changes_between(tokens, head, index) or _own_target(tokens, index, rules) or _counts(tokens, index):
            return []
        return [Binding(tokens[index], rule, tokens[head], "score", "benchmark-then-number", metric=_metric_of(tokens[head], rule))
                for rule in rules]
    if index >= 2 and tokens[index - 1].is_word("of") and tokens[index - 2].is_word("score", "accuracy", "anls"):
        for position in range(index - 3, -1, -1):
            token = tokens[position]
            if token.kind == "w":
                if token.lower in _CLAUSE_BREAKS:
                    break
                continue
            rules = _score_rules(token)
            if rules:
                return [Binding(tokens[index], rule, tokens[position], "score", "distant-score-of", metric=_metric_of(tokens[position], rule)) for rule in rules]
    return []


def _score_metric(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``N METRIC``: a number right before a benchmark's own metric ("1.46 FID on ImageNet 256x256")."""
    if len(group) != 1:
        return []
    index = group[0]
    position = index + 1
    if position < len(tokens) and tokens[position].is_word("zero-shot", "overall", "average"):
        position += 1
    if position >= len(tokens) or tokens[position].kind != "m" or "metric" not in tokens[position].roles():
        return []
    head = tokens[position]
    kind = "delta" if _changes_near(tokens, group) else "score"
    return [Binding(tokens[index], rule, head, kind, "number-then-metric", metric=_metric_of(head, rule))
            for rule in _score_rules(head)]


def _leading_benchmark(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``On B, X scores N``: a sentence that opens on one benchmark gives it the main clause's plain scores."""
    if not tokens or not tokens[0].is_word("on", "in", "for"):
        return []
    comma = next((i for i, t in enumerate(tokens[:8]) if t.is_word(",")), None)
    if comma is None or comma > group[0]:
        return []
    if _has_word(tokens[1:comma], _PARTS):
        return []  # "On the counting category of GenEval," is not the benchmark's overall score
    heads = [t for t in tokens[1:comma] if _score_rules(t)]
    rules = {rule for t in heads for rule in _score_rules(t)}
    if len(group) > 1 and len(heads) == len(group) and len(rules) == len(heads):  # "On ChartQA and DocVQA, ... 81.2% and 90.4%"
        return [Binding(tokens[i], rule, head, "score", "leading-benchmarks", metric=_metric_of(head, rule))
                for i, head in zip(group, heads) for rule in _score_rules(head)[:1]]
    if len(group) != 1:
        return []
    index = group[0]
    number = tokens[index].number
    if len(rules) != 1 or number is None or number.form not in ("number", "percent") or _counts(tokens, index):
        return []
    if any(t.is_word_in(_CLAUSE_BREAKS) or _score_rules(t) for t in tokens[comma:index]):
        return []
    rule = rules.pop()
    return [Binding(tokens[index], rule, heads[0], "score", "leading-benchmark", metric=_metric_of(heads[0], rule))]


# --- delta templates -------------------------------------------------------------------------


def _changes_near(tokens: list[Token], group: list[int]) -> bool:
    """A change noun right after the numbers, or a change word or sign right before them."""
    after = tokens[group[-1] + 1 : group[-1] + 4]
    if _has_word(after, _CHANGE_NOUNS):
        return True
    first = tokens[group[0]]
    if first.number is not None and first.number.signed and first.text.startswith("+"):
        return True
    before = tokens[max(0, group[0] - 3) : group[0]]
    return _has_word(before, _CHANGE_NOUNS_OR_BY) and _has_word(tokens[max(0, group[0] - 6) : group[0]], _CHANGE_WORDS)


def _changes_between(tokens: list[Token], start: int, end: int) -> bool:
    return _has_word(tokens[start + 1 : end], _CHANGE_WORDS)


def _delta_right(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``N [average] improvement(s) in|on|of [generation] B``, one number or a list."""
    position = group[-1] + 1
    seen_change = False
    while position < len(tokens) and position <= group[-1] + 5:
        token = tokens[position]
        if token.kind == "w" and token.lower in _CHANGE_NOUNS:
            seen_change = True
        elif token.kind == "w" and token.lower in _CHANGE_RIGHT_FILLER:
            pass
        elif token.kind == "m" and _score_rules(token) and seen_change:
            targets = _coordinated(tokens, position)
            items = [t for t in (targets[0] if targets else [token]) if _score_rules(t)]
            if len(group) > 1 and len(items) == len(group):
                return [Binding(tokens[i], rule, t, "delta", "numbers-change-on-list", metric=_metric_of(t, rule))
                        for i, t in zip(group, items) for rule in _score_rules(t)]
            return [Binding(tokens[i], rule, token, "delta", "number-change-in-benchmark", metric=_metric_of(token, rule))
                    for i in group for rule in _score_rules(token)]
        else:
            break
        position += 1
    return []


def _delta_left(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``improving [its] B by N``, ``B improvements of N``, ``gains of N on B``."""
    first = group[0]
    by = _scan_left(tokens, first, _BY_FILLER, limit=3)  # "by up to 0.6"
    if by is not None and tokens[by].is_word("by", "of"):
        for position in range(by - 1, max(-1, by - 7), -1):
            token = tokens[position]
            if token.kind == "n" or token.is_word_in(_CLAUSE_BREAKS):
                break
            rules = _score_rules(token) if token.kind == "m" else None
            if rules and _change_around(tokens, position, first):
                return [Binding(tokens[i], rule, token, "delta", "change-benchmark-by-number", metric=_metric_of(token, rule))
                        for i in group for rule in rules]
    return []


def _delta_than(tokens: list[Token], group: list[int], _: dict) -> list[Binding]:
    """``N [points] higher|better than X on B``: a difference to a named system is a delta."""
    if len(group) != 1:
        return []
    index = group[0]
    position = index + 1
    while position < len(tokens) and tokens[position].is_word("points", "point", "pp", "absolute", "relative"):
        position += 1
    if position + 2 >= len(tokens) or not tokens[position].is_word("higher", "better", "more", "lower") or not tokens[position + 1].is_word("than"):
        return []
    for target in range(position + 2, min(len(tokens) - 1, position + 6)):
        if tokens[target].is_word("on", "in") and _score_rules(tokens[target + 1]):
            head = tokens[target + 1]
            return [Binding(tokens[index], rule, head, "delta", "number-better-than", metric=_metric_of(head, rule))
                    for rule in _score_rules(head)]
    return []


def _change_around(tokens: list[Token], head: int, number: int) -> bool:
    window = tokens[max(0, head - 4) : number]
    return _has_word(window, _CHANGE_WORDS)


# --- efficiency templates --------------------------------------------------------------------


def _efficiency(tokens: list[Token], group: list[int], excludes: dict[str, set[str]]) -> list[Binding]:
    """Speed, time and cost numbers, with the reading that converts them."""
    found: list[Binding] = []
    last = _efficiency_right(tokens, group[-1], excludes) if len(group) > 1 else []
    for index in group:
        binding = _efficiency_right(tokens, index, excludes) or _efficiency_left(tokens, index, excludes)
        if not binding and last:  # "3.5x and 2.1x speedups": both numbers are speedups
            binding = [Binding(tokens[index], b.rule, b.mention, b.kind, b.template, reading=b.reading, role=b.role) for b in last]
        if binding:
            found.extend(binding)
    return found


def _efficiency_rules(token: Token) -> list[tuple[str, str]]:
    if token.kind != "m":
        return []
    return [(m.rule, m.role) for m in token.mentions if m.role in EFFICIENCY_ROLES]


def _excluded(tokens: list[Token], start: int, end: int, rule: str, excludes: dict[str, set[str]]) -> bool:
    words = excludes.get(rule)
    return bool(words) and _has_word(tokens[max(0, start) : end], words)


def _efficiency_right(tokens: list[Token], index: int, excludes: dict[str, set[str]]) -> list[Binding]:
    """``N [fewer|reduction in|higher training] WORD``: "7-fold reduction in FLOPs", "3x faster"."""
    position = index + 1
    gap: list[Token] = []
    while position < len(tokens) and len(gap) <= 4:
        token = tokens[position]
        pairs = _efficiency_rules(token) if token.kind == "m" else None
        if pairs:
            return _efficiency_bindings(tokens, index, position, gap, pairs, excludes, "number-then-word")
        if token.kind == "w" and token.lower in _EFFICIENCY_GAP:
            gap.append(token)
            position += 1
            continue
        break
    return []


def _efficiency_left(tokens: list[Token], index: int, excludes: dict[str, set[str]]) -> list[Binding]:
    """``WORD ... by|of|for N``: "accelerating inference by 3times", "speedup of up to 2.12x"."""
    position = _scan_left(tokens, index, _EFFICIENCY_LEFT_FILLER, limit=6)
    if position is not None and tokens[position].kind == "m" and _efficiency_rules(tokens[position]):
        return _efficiency_noun_of(tokens, index, position, excludes)
    if position is None or not tokens[position].is_word_in(_BY_WORDS):
        if position is not None and tokens[position].is_word_in(_SAVING_WORDS):
            return _saving_then_in(tokens, index, excludes)
        return []
    for head in range(position - 1, max(-1, position - _MAX_GAP), -1):
        token = tokens[head]
        if token.kind == "n" or token.is_word_in(_CLAUSE_BREAKS):
            return []
        pairs = _efficiency_rules(token) if token.kind == "m" else None
        if pairs:
            return _efficiency_bindings(tokens, index, head, tokens[head + 1 : position], pairs, excludes, "word-then-by-number")
    return []


def _efficiency_noun_of(tokens: list[Token], index: int, head: int, excludes: dict[str, set[str]]) -> list[Binding]:
    """``WORD [ratio] of|to N``: "a speedup of up to 2.12x", "improves the speedup to 3.6x", "FLOPs reduction of 45%".

    "to" only reads plainly for speed: "cuts FLOPs to 30%" is a share, not a 30% cut.
    """
    between = {t.lower for t in tokens[head + 1 : index] if t.kind == "w"}
    if not between & {"of", "to"}:
        return []
    pairs = [(rule, role) for rule, role in _efficiency_rules(tokens[head]) if role == "speed" or "to" not in between]
    return _efficiency_bindings(tokens, index, head, tokens[head + 1 : index], pairs, excludes, "word-of-number")


def _saving_then_in(tokens: list[Token], index: int, excludes: dict[str, set[str]]) -> list[Binding]:
    """``saving N in WORD``: "saving 100x in training costs"."""
    for position in range(index + 1, min(len(tokens), index + 5)):
        pairs = _efficiency_rules(tokens[position])
        if pairs:
            return _efficiency_bindings(tokens, index, position, [tokens[index - 1]], pairs, excludes, "saving-number-in-word")
    return []


def _efficiency_bindings(
    tokens: list[Token], index: int, head: int, gap: list[Token], pairs: list[tuple[str, str]],
    excludes: dict[str, set[str]], template: str,
) -> list[Binding]:
    low, high = (index, head) if index < head else (head, index)
    if tokens[head].lower in ("faster", "quicker", "speedier"):
        low = _clause_start(tokens, low)  # what is faster is the clause's subject: "annotators label images 3x faster"
    found = []
    for rule, role in pairs:
        if _excluded(tokens, low - 1, high + 2, rule, excludes):
            continue
        reading = _reading(tokens, index, head, gap, role)
        if reading is None:
            continue
        found.append(Binding(tokens[index], rule, tokens[head], "score", template, reading=reading, role=role))
    return found


def _clause_start(tokens: list[Token], index: int) -> int:
    """Index of the first token of the clause holding ``index``; "and" or another number also ends it."""
    position = index
    while position > 0 and not tokens[position - 1].is_word_in(_CLAUSE_ENDS) and tokens[position - 1].kind != "n":
        position -= 1
    return position


def _reading(tokens: list[Token], index: int, head: int, gap: list[Token], role: str) -> str | None:
    """How the number relates to the word: plain, reduction, share or increase (rejected later)."""
    words = {t.lower for t in gap if t.kind == "w"}
    if tokens[index - 1].is_word("only", "just", "merely") or (
        tokens[index].number is not None and tokens[index].number.form == "fraction"
    ):
        if index + 1 < len(tokens) and tokens[index + 1].is_word("of") and head > index:
            return "share"
    if role == "speed":
        number = tokens[index].number
        if number is not None and number.form == "percent" and tokens[head].lower not in _COMPARATIVE_SPEED:
            before = {t.lower for t in tokens[max(0, min(index, head) - 3) : min(index, head)] if t.kind == "w"}
            if not (words | before) & _MORE_WORDS:
                return None  # "only achieves 60% throughput" is a share, not a speedup
        return "plain"
    if words & _INCREASE_WORDS and not words & _REDUCTION_WORDS:
        return "increase"
    if words & _REDUCTION_WORDS or _has_word(tokens[max(0, min(index, head) - 5) : max(index, head) + 1], _REDUCTION_WORDS):
        return "reduction"
    if all(t.is_word("in", "by") for t in gap):
        return "reduction" if _earlier_reduction(tokens, index) else None  # "reduces memory by 40% and latency by 25%"
    return None


def _earlier_reduction(tokens: list[Token], index: int) -> bool:
    return _has_word(tokens[:index], _REDUCTION_WORDS)


# In the order they are tried, each with what it needs to fire (see ``_bind_group``).
_TEMPLATES = (
    (_from_to, _SINGLE | _BEFORE),
    (_score_list, _LIST | _BEFORE),
    (_score_right, _AFTER),
    (_score_adjacent, _SINGLE | _NEAR),
    (_score_left, _SINGLE | _BEFORE),
    (_delta_right, _AFTER),
    (_delta_left, _BEFORE),
    (_delta_than, _SINGLE | _AFTER),
    (_score_metric, _SINGLE | _NEAR),
    (_efficiency, _EFFICIENCY),
    (_leading_benchmark, _LEADING | _BEFORE),
)

# For every combination of flags, the templates that can fire, in order: the others would find nothing, as what
# they bind to is not in the sentence.
_PLANS = tuple(tuple(template for template, needs in _TEMPLATES if not needs & ~possible) for possible in range(_LEADING << 1))
