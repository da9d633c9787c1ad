"""The extraction engine: the grammar of reported numbers, written once for all rules."""

from .engine import Extractor
from .numbers import Number, find_numbers
from .sentences import Sentence, split_sentences

__all__ = ["Extractor", "Number", "Sentence", "find_numbers", "split_sentences"]
