"""The English pattern table: the cues of each flag as regular expressions, read from data.

The regular expressions found in five rounds of reading real pages (see
``docs/triage-measurements.md``): a cue names a danger, a person, a means or an act in the
words dispatchers use. A cue only *finds* a concept; whether the text raises it, denies it
or leaves it open is the context module's verdict (``context.py``), and the phrase lexicon
(``lexicon/concepts/``) adds phrases of Spanish and English that need no pattern.

The table is reviewed data, ``lexicon/patterns/`` (the format is in ``lexicon/README.md``):
``<flag>.txt`` holds the cues of one flag, each a header ``[cue OPTIONS]`` and its pattern
over the lines under it (joined); ``fragments.txt`` the shared pieces (``NAME = pattern``,
written ``{NAME}`` in a pattern); ``order.txt`` the order the cues are tried in;
``titles.txt``, ``age.txt`` and ``minor_words.txt`` one pattern each. This module reads them
once, at import, and stops with a ``PatternFileError`` naming the file and the line when
one does not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable

from ..flags import (
    DANGEROUS_PLACE,
    INTOXICATION,
    MEDICAL,
    MENTAL_HEALTH,
    OVERDOSE,
    POLICE_REQUESTED,
    POSSIBLE_MEDICAL,
    SELF_HARM_IN_PROGRESS,
    STAGED,
    SUICIDAL,
    UNSAFE_LOCATION,
    VIOLENCE,
    WEAPON,
)
from .lexicon import lexicon_folder

ADULT_AGE = 18

#: The flags a cue may raise: a pattern file each, ``<flag>.txt``.
CUE_FLAGS = frozenset(
    {
        WEAPON,
        VIOLENCE,
        MEDICAL,
        OVERDOSE,
        SELF_HARM_IN_PROGRESS,
        SUICIDAL,
        INTOXICATION,
        POSSIBLE_MEDICAL,
        UNSAFE_LOCATION,
        STAGED,
        DANGEROUS_PLACE,
        POLICE_REQUESTED,
        MENTAL_HEALTH,
    }
)
#: The files of one pattern each (no header), besides ``fragments.txt`` and ``order.txt``.
SINGLE_PATTERNS = ("titles", "age", "minor_words")
_OTHER_FILES = frozenset({"fragments", "order", *SINGLE_PATTERNS})

_HEADER = re.compile(r"\[cue(?P<options>(?:\s+[^\]\s]+)*)\s*\]")
_DEFINITION = re.compile(r"(?P<name>[A-Z][A-Z0-9_]*)\s*=(?P<rest>.*)")
_REFERENCE = re.compile(r"(?<!\\)\{([A-Z][A-Z0-9_]*)\}")
_ORDER_LINE = re.compile(r"(?P<flag>\S+)(?:\s+(?P<count>\S+))?")


class PatternFileError(ValueError):
    """A pattern file that does not read; the message names the file and the line."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        super().__init__(f"{source}{'' if line is None else f':{line}'}: {message}")


@dataclass(frozen=True)
class Cue:
    flag: str
    regex: re.Pattern[str]
    denial: bool = False  # the cue itself denies the flag ("Conscious, Breathing")
    negatable: bool = True  # negation words before it flip it ("NOT ALERT" is not negatable)
    # The cue implies the flag without naming it ("SHOOT HIMSELF": a gun). An implication
    # yields to an explicit denial of the flag ("NO GUNS") and, negated, denies nothing.
    implied: bool = False
    # The cue names the means at hand, so a wish before it does not make it mere talk
    # ("GOING TO DRINK THAT TO KILL HIMSELF": the bottle is there).
    means: bool = False
    # The cue puts the person at a dangerous place (a bridge, an overpass, the tracks): the
    # attempt needs a rescue, so police come as well as EMS.
    place: bool = False


#: A cue's options as a header writes them, with their defaults (``[cue denial negatable=no]``).
_OPTIONS = {"denial": False, "negatable": True, "implied": False, "means": False, "place": False}


@dataclass(frozen=True)
class PatternTable:
    """What ``lexicon/patterns/`` holds, compiled."""

    cues: tuple[Cue, ...]
    titles: re.Pattern[str]
    age: re.Pattern[str]
    minor_words: re.Pattern[str]


@dataclass
class _Block:
    """A header line and the pattern lines under it, with their line numbers."""

    line: int
    head: re.Match[str]
    lines: list[tuple[int, str]] = field(default_factory=list)


def _content(text: str) -> Iterator[tuple[int, str]]:
    """The lines that are neither blank nor comments (``#`` first), numbered, right-stripped."""
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            yield number, raw.rstrip()


def _blocks(text: str, source: str, header: re.Pattern[str], *, indented: bool) -> list[_Block]:
    """Split a file into blocks; with ``indented``, a pattern line must be indented."""
    blocks: list[_Block] = []
    for number, line in _content(text):
        head = header.fullmatch(line)
        if head:
            blocks.append(_Block(number, head))
        elif line.startswith("[cue"):
            raise PatternFileError(source, number, f"a header that does not read: {line!r}")
        elif not blocks or (indented and not line[0].isspace()):
            raise PatternFileError(source, number, f"a pattern line outside any {'definition' if indented else 'cue'}")
        else:
            blocks[-1].lines.append((number, line.strip()))
    return blocks


def _join(lines: list[tuple[int, str]], fragments: dict[str, str], source: str) -> str:
    """The lines joined, each ``{NAME}`` replaced by its fragment."""
    joined = "".join(text for _, text in lines)
    for reference in _REFERENCE.finditer(joined):
        if reference.group(1) not in fragments:
            offset, line = 0, lines[0][0]
            for number, text in lines:
                if offset + len(text) > reference.start():
                    line = number
                    break
                offset += len(text)
            raise PatternFileError(source, line, f"unknown fragment {reference.group()}")
    return _REFERENCE.sub(lambda m: fragments[m.group(1)], joined)


def _compile(pattern: str, source: str, line: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise PatternFileError(source, line, f"the pattern does not compile: {error}") from None


def parse_fragments(text: str, source: str) -> dict[str, str]:
    """``fragments.txt``: ``NAME = pattern``, continued on indented lines; a fragment may use those above it."""
    fragments: dict[str, str] = {}
    for block in _blocks(text, source, _DEFINITION, indented=True):
        name, rest = block.head.group("name"), block.head.group("rest").strip()
        if name in fragments:
            raise PatternFileError(source, block.line, f"fragment {name} defined twice")
        lines = ([(block.line, rest)] if rest else []) + block.lines
        if not lines:
            raise PatternFileError(source, block.line, f"fragment {name} has no pattern")
        fragments[name] = _join(lines, fragments, source)
    return fragments


def _options(written: str, source: str, line: int) -> dict[str, bool]:
    options = dict(_OPTIONS)
    seen: set[str] = set()
    for word in written.split():
        name, equals, value = word.partition("=")
        if name not in _OPTIONS:
            raise PatternFileError(source, line, f"unknown option {name!r} (options: {', '.join(_OPTIONS)})")
        if name in seen:
            raise PatternFileError(source, line, f"option {name!r} given twice")
        if equals and value not in ("yes", "no"):
            raise PatternFileError(source, line, f"option {name!r} is yes or no, not {value!r}")
        options[name] = value != "no"
        seen.add(name)
    return options


def parse_cues(text: str, source: str, flag: str, fragments: dict[str, str]) -> list[Cue]:
    """A ``<flag>.txt`` file: its cues in the order written."""
    cues = []
    for block in _blocks(text, source, _HEADER, indented=False):
        options = _options(block.head.group("options"), source, block.line)
        if not block.lines:
            raise PatternFileError(source, block.line, "a cue without a pattern")
        regex = _compile(_join(block.lines, fragments, source), source, block.line)
        cues.append(Cue(flag, regex, **options))
    if not cues:
        raise PatternFileError(source, None, "no cue")
    return cues


def parse_pattern(text: str, source: str, fragments: dict[str, str]) -> re.Pattern[str]:
    """A file of one pattern (``titles.txt``): its lines joined, no header."""
    lines = [(number, line.strip()) for number, line in _content(text)]
    if not lines:
        raise PatternFileError(source, None, "no pattern")
    for number, line in lines:
        if line.startswith("[cue"):
            raise PatternFileError(source, number, "a file of one pattern has no header")
    return _compile(_join(lines, fragments, source), source, lines[0][0])


def parse_order(text: str, source: str, cues: dict[str, list[Cue]]) -> tuple[Cue, ...]:
    """``order.txt``: ``FLAG N`` takes the next N cues of FLAG, ``FLAG`` all that are left."""
    taken = dict.fromkeys(cues, 0)
    ordered: list[Cue] = []
    for number, line in _content(text):
        written = _ORDER_LINE.fullmatch(line.strip())
        flag = written.group("flag") if written else line.strip()
        if written is None or flag not in CUE_FLAGS:
            raise PatternFileError(source, number, f"unknown flag {flag!r}")
        if flag not in cues:
            raise PatternFileError(source, number, f"no pattern file for {flag}")
        left = len(cues[flag]) - taken[flag]
        count = written.group("count")
        if count is not None and not count.isdigit():
            raise PatternFileError(source, number, f"a count of cues is a number, not {count!r}")
        n = left if count is None else int(count)
        if not 0 < n <= left:
            raise PatternFileError(source, number, f"{flag} has {left} cue(s) left to take, not {n}")
        ordered += cues[flag][taken[flag] : taken[flag] + n]
        taken[flag] += n
    for flag, n in taken.items():
        if n < len(cues[flag]):
            raise PatternFileError(source, None, f"{len(cues[flag]) - n} cue(s) of {flag}.txt are in no line")
    return tuple(ordered)


def load_patterns(folder: Traversable, source: str = "lexicon/patterns") -> PatternTable:
    """Read, check and compile a folder of pattern files (``source`` names it in errors)."""
    names = sorted(entry.name.removesuffix(".txt") for entry in folder.iterdir() if entry.name.endswith(".txt"))
    for name in names:
        if name not in CUE_FLAGS | _OTHER_FILES:
            raise PatternFileError(f"{source}/{name}.txt", None, f"unknown flag {name!r}: no cue may raise it")
    missing = sorted(_OTHER_FILES - set(names))
    if missing:
        raise PatternFileError(f"{source}/{missing[0]}.txt", None, "missing")

    def read(name: str) -> tuple[str, str]:
        return folder.joinpath(f"{name}.txt").read_text(encoding="utf-8"), f"{source}/{name}.txt"

    fragments = parse_fragments(*read("fragments"))
    cues = {name: parse_cues(*read(name), name, fragments) for name in names if name in CUE_FLAGS}
    titles, age, minor_words = (parse_pattern(*read(name), fragments) for name in SINGLE_PATTERNS)
    return PatternTable(parse_order(*read("order"), cues), titles, age, minor_words)


@cache
def packaged_patterns() -> PatternTable:
    """The table the package ships (``lexicon/patterns/``), read once."""
    return load_patterns(lexicon_folder("patterns"))


_TABLE = packaged_patterns()

CUES: tuple[Cue, ...] = _TABLE.cues
#: Phrases that look like evidence but are only a protocol title (the chief complaint
#: name echoed by ProQA): "... / Suicide Attempt" there says nothing about this call.
TITLES = _TABLE.titles
# A person's age: "17YOM", "17 Y/O", "16 YRS OLD", "17-year-old", "65 year(s)", "AGE: 15".
AGE = _TABLE.age
MINOR_WORDS = _TABLE.minor_words
