"""The pattern files of the reader (``lexicon/patterns/``) and their loader (``reader/cues.py``).

The packaged files must all read; an invented folder shows the format and each mistake the
loader stops on, with the file and the line. (That the files hold exactly the table the
Python literal held is checked once, by ``tools/narratives/dump_patterns.py``.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crisis_dispatch.domain.triage.reader.cues import (
    AGE,
    CUE_FLAGS,
    CUES,
    MINOR_WORDS,
    TITLES,
    PatternFileError,
    load_patterns,
    packaged_patterns,
    parse_cues,
    parse_fragments,
)
from crisis_dispatch.domain.triage.reader.lexicon import lexicon_folder

MINIMAL = {
    "fragments.txt": "# shared\nBLADE = KNIFE|\n    MACHETE\nARMED_WITH = (?:{BLADE})\n",
    "weapon.txt": (
        "# a weapon\n"
        "[cue]\n"
        "\\bHAS\\s+A\\s+\n"
        "{ARMED_WITH}\\b\n"
        "\n"
        "# a ProQA suffix\n"
        "[cue negatable=no implied]\n"
        "\\bSuffix:\\s*W\\b\n"
    ),
    "violence.txt": "[cue denial means=yes place]\n\\bNOT\\s+VIOLENT\\b\n",
    "order.txt": "weapon 1\nviolence\nweapon\n",
    "titles.txt": "# a title\nSUICIDE\\s+\nATTEMPT\n",
    "age.txt": "\\b(?P<age>\\d+)\\s*YO\\b\n",
    "minor_words.txt": "\\bJUV\\b\n",
}


def folder(tmp_path: Path, **changed: str | None) -> Path:
    """The minimal folder, with files changed (``weapon_txt="..."``) or removed (``None``)."""
    files = dict(MINIMAL)
    for key, text in changed.items():
        name = key.replace("_txt", ".txt")
        if text is None:
            files.pop(name)
        else:
            files[name] = text
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_packaged_files_all_read_and_make_the_table() -> None:
    table = load_patterns(lexicon_folder("patterns"))
    assert table == packaged_patterns()
    assert table.cues == CUES
    assert (table.titles, table.age, table.minor_words) == (TITLES, AGE, MINOR_WORDS)
    assert {c.flag for c in CUES} == CUE_FLAGS
    assert all(c.regex.flags & re.IGNORECASE for c in CUES)


@pytest.mark.parametrize("flag", sorted(CUE_FLAGS))
def test_each_flag_file_parses_on_its_own(flag: str) -> None:
    folder_ = lexicon_folder("patterns")
    fragments = parse_fragments(folder_.joinpath("fragments.txt").read_text(encoding="utf-8"), "fragments.txt")
    cues = parse_cues(folder_.joinpath(f"{flag}.txt").read_text(encoding="utf-8"), f"{flag}.txt", flag, fragments)
    assert cues == [c for c in CUES if c.flag == flag]


def test_the_format_options_fragments_joined_lines_and_order(tmp_path: Path) -> None:
    table = load_patterns(folder(tmp_path), "pat")
    first, violence, suffix = table.cues
    assert (first.flag, violence.flag, suffix.flag) == ("weapon", "violence", "weapon")
    assert first.regex.pattern == r"\bHAS\s+A\s+(?:KNIFE|MACHETE)\b"
    assert first.regex.flags & re.IGNORECASE
    assert (first.denial, first.negatable, first.implied, first.means, first.place) == (False, True, False, False, False)
    assert (suffix.negatable, suffix.implied) == (False, True)
    assert (violence.denial, violence.means, violence.place, violence.negatable) == (True, True, True, True)
    assert first.regex.search("he has a machete")
    assert table.titles.pattern == r"SUICIDE\s+ATTEMPT"
    assert table.age.search("17 YO")


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"weapons_txt": "[cue]\nGUN\n"}, "pat/weapons.txt: unknown flag 'weapons'"),
        ({"order_txt": "weapon 1\nviolance\nweapon\n"}, "pat/order.txt:2: unknown flag 'violance'"),
        ({"weapon_txt": "[cue]\n\\bHAS\\s+\n{ARMED}\\b\n"}, "pat/weapon.txt:3: unknown fragment {ARMED}"),
        ({"fragments_txt": "A = X\nB = {C}\n"}, "pat/fragments.txt:2: unknown fragment {C}"),
        ({"weapon_txt": "[cue]\nGUN\n[cue negatible=no]\nKNIFE\n"}, "pat/weapon.txt:3: unknown option 'negatible'"),
        ({"weapon_txt": "[cue]\nGUN\n[cue negatable=maybe]\nKNIFE\n"}, "pat/weapon.txt:3: option 'negatable' is yes or no"),
        ({"weapon_txt": "[cue]\nGUN\n[cue denial denial]\nKNIFE\n"}, "pat/weapon.txt:3: option 'denial' given twice"),
        (
            {"weapon_txt": "[cue]\nGUN\n\n# left open\n[cue]\n(?:KNIFE|\nBLADE\n"},
            "pat/weapon.txt:5: the pattern does not compile",
        ),
        ({"titles_txt": "SUICIDE(\n"}, "pat/titles.txt:1: the pattern does not compile"),
        ({"weapon_txt": "GUN\n[cue]\nKNIFE\n"}, "pat/weapon.txt:1: a pattern line outside any cue"),
        ({"weapon_txt": "[cue]\nGUN\n[cue]\n"}, "pat/weapon.txt:3: a cue without a pattern"),
        ({"weapon_txt": "[cue denial\nGUN\n"}, "pat/weapon.txt:1: a header that does not read"),
        ({"weapon_txt": "# nothing yet\n"}, "pat/weapon.txt: no cue"),
        ({"fragments_txt": "A = X|\nY\n"}, "pat/fragments.txt:2: a pattern line outside any definition"),
        ({"fragments_txt": "A = X\nA = Y\n"}, "pat/fragments.txt:2: fragment A defined twice"),
        ({"fragments_txt": "A =\nB = X\n"}, "pat/fragments.txt:1: fragment A has no pattern"),
        ({"order_txt": "weapon 3\nviolence\n"}, "pat/order.txt:1: weapon has 2 cue(s) left to take, not 3"),
        ({"order_txt": "weapon two\nviolence\n"}, "pat/order.txt:1: a count of cues is a number"),
        ({"order_txt": "weapon 1\nviolence\n"}, "pat/order.txt: 1 cue(s) of weapon.txt are in no line"),
        ({"order_txt": "weapon\nmedical\n"}, "pat/order.txt:2: no pattern file for medical"),
        ({"titles_txt": "[cue]\nSUICIDE\n"}, "pat/titles.txt:1: a file of one pattern has no header"),
        ({"age_txt": None}, "pat/age.txt: missing"),
    ],
)
def test_a_mistake_is_named_with_its_file_and_line(tmp_path: Path, changed: dict[str, str | None], message: str) -> None:
    with pytest.raises(PatternFileError, match=re.escape(message)):
        load_patterns(folder(tmp_path, **changed), "pat")


def test_a_brace_quantifier_or_an_escaped_brace_is_no_fragment(tmp_path: Path) -> None:
    table = load_patterns(folder(tmp_path, violence_txt="[cue]\n\\d{1,2}\\{NOT}\n"), "pat")
    assert table.cues[1].regex.pattern == r"\d{1,2}\{NOT}"
