"""Rules: the schema of a rule file and its loader."""

from .loader import LoadedRule, check_rules, iter_examples, load_rule, load_rules, rule_files
from .schema import Example, ExpectedRecord, Negative, Rule

__all__ = [
    "Example",
    "ExpectedRecord",
    "LoadedRule",
    "Negative",
    "Rule",
    "check_rules",
    "iter_examples",
    "load_rule",
    "load_rules",
    "rule_files",
]
