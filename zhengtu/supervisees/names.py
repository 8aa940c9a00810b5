"""Pinyin of people's names, for search by full pinyin or initials (张三 ← "zs", "zhangs").

Some surnames are read differently from the same character in ordinary words (单 shàn, not
dān; 曾 zēng, not céng). The surname reading is the main one (stored on the supervisee); when
the ordinary reading differs it is kept as another reading (NameReading), so a clerk typing
either finds the person.
"""

from __future__ import annotations

from pypinyin import lazy_pinyin

# Surname readings that differ from the commonest reading of the character.
SURNAME_READINGS: dict[str, list[str]] = {
    "尉迟": ["yu", "chi"],
    "万俟": ["mo", "qi"],
    "长孙": ["zhang", "sun"],
    "澹台": ["tan", "tai"],
    "单": ["shan"],
    "曾": ["zeng"],
    "解": ["xie"],
    "仇": ["qiu"],
    "朴": ["piao"],
    "查": ["zha"],
    "区": ["ou"],
    "盖": ["ge"],
    "覃": ["qin"],
    "缪": ["miao"],
    "翟": ["zhai"],
    "乐": ["yue"],
    "种": ["chong"],
    "繁": ["po"],
    "召": ["shao"],
    "员": ["yun"],
    "秘": ["bi"],
    "折": ["she"],
    "黑": ["he"],
    "能": ["nai"],
    "句": ["gou"],
    "隗": ["wei"],
    "谌": ["chen"],
    "眭": ["sui"],
    "卜": ["bu"],
    "宓": ["mi"],
    "蕃": ["pi"],
}


def _syllables(name: str) -> list[str]:
    for surname, reading in SURNAME_READINGS.items():
        if name.startswith(surname):
            return reading + lazy_pinyin(name[len(surname) :], errors="default")
    return lazy_pinyin(name, errors="default")


def pinyin_variants(name: str) -> list[list[str]]:
    """Syllable lists for a name: the surname reading first, then the ordinary one if different."""
    name = name.strip()
    variants = [_syllables(name), lazy_pinyin(name, errors="default")]
    unique: list[list[str]] = []
    for syllables in variants:
        # Non-Chinese parts are kept as written ("Tom" → "tom"); punctuation such as "·" is dropped.
        syllables = ["".join(c for c in s.lower() if c.isascii() and c.isalpha()) for s in syllables]
        syllables = [s for s in syllables if s]
        if syllables not in unique:
            unique.append(syllables)
    return unique


def _joined(syllables: list[str], *, pinyin_length: int, initials_length: int) -> tuple[str, str]:
    return "".join(syllables)[:pinyin_length], "".join(s[0] for s in syllables if s)[:initials_length]


def pinyin_of(name: str, *, pinyin_length: int = 200, initials_length: int = 50) -> tuple[str, str]:
    """Full pinyin and initials of the main reading: 张三 → ("zhangsan", "zs"), 单田芳 → ("shantianfang", "stf")."""
    return _joined(pinyin_variants(name)[0], pinyin_length=pinyin_length, initials_length=initials_length)


def other_readings(name: str, *, pinyin_length: int = 200, initials_length: int = 50) -> list[tuple[str, str]]:
    """Further readings worth searching by: 单田芳 → [("dantianfang", "dtf")]."""
    return [
        _joined(syllables, pinyin_length=pinyin_length, initials_length=initials_length)
        for syllables in pinyin_variants(name)[1:]
    ]
