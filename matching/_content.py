"""Free text as comparable tokens: character bigrams of the wording, and the facts it quotes (sums, dates)."""

from __future__ import annotations

import re
import unicodedata

from matching._chinese import is_missing

# Phrases that say which channel wrote the text, not what the dispute is: police (报警称), hotline
# operators (来电人反映, 市民来电), petition clerks (信访人反映, 请求) and app users (本人, 希望).
_BOILERPLATE = re.compile(
    r"报警人称|报警称|报警人|来电人反映|来电反映|来电人称|市民来电|市民反映|来电人|来电称|来电|信访人反映|信访人称|"
    r"信访人|当事人|反映|诉求|请求|要求|希望|尽快|相关部门|有关部门|协调|处理|解决|帮助|本人|我们|我|其|称|现|特此"
)
_MAX_CHARS = 400
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3})")
_DIGIT = re.compile(r"\d")  # \d also matches full-width digits, so this runs before NFKC
# A number and what it counts. One alternative starting with a digit keeps the scan fast.
_NUMBER = re.compile(
    r"(\d+(?:\.\d+)?)([万萬][余餘多]?元?|[余餘多]元|元|年(\d{1,2})月(?:(\d{1,2})[日号號])?|年了|年|[个個]月|天|平方米|平米|%|度)?"
)
_DURATIONS = frozenset({"年了", "个月", "個月", "天", "平方米", "平米", "%", "度"})
# A flat (7号楼5单元902室) is one fact, not three numbers.
_FLAT = re.compile(r"(\d+)(?:号楼|號樓|栋|棟|幢)(\d+)(?:单元|單元)(\d+)")


def content_grams(norm: str | None) -> str | None:
    """Space-separated character bigrams of a folded description (numbers kept whole).

    Bigrams turn Chinese text, which has no spaces, into tokens that rapidfuzz's token-set scorer can
    compare, so a terse police line whose bigrams all occur in a long petition summary scores high.

    Args:
        norm: the folded text (``fold_text``).

    Returns:
        The bigram string, or ``None`` when nothing is left after removing boilerplate.
    """
    if not norm:
        return None
    text = _BOILERPLATE.sub(" ", norm[:_MAX_CHARS])
    tokens: list[str] = []
    for run in re.findall(r"\d+|[^\d\s]+", text):
        if run.isdigit() or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(tokens) or None


def content_facts(value: object) -> str | None:
    """The facts a description quotes, as sorted distinct typed tokens: sums in yuan (3.2万元 -> ``a32000``),
    dates (2024年8月1日 -> ``d20240801``), durations, areas and temperatures (19个月 -> ``t19个月``), flats
    (7号楼5单元902室 -> ``r7-5-902``) and other numbers of 3+ digits (``n2704``). The first character is
    the fact's type. (Names of companies and
    projects were tried too: writers shorten them too differently to compare by rule.)

    One dispute's reports quote the same facts in any wording; one person's two disputes of one
    category are worded alike but quote different sums and dates.

    Args:
        value: the description as sent (full-width digits and traditional characters are folded).

    Returns:
        The tokens joined by spaces, or ``None`` when the text quotes no facts.
    """
    if is_missing(value) or not _DIGIT.search(text := str(value)):
        return None
    text = unicodedata.normalize("NFKC", text)
    if " " in text or "," in text or "，" in text:
        text = _THOUSANDS.sub("", text.replace(" ", ""))
    tokens: set[str] = set()
    if "单元" in text or "單元" in text:
        tokens.update(f"r{b}-{u}-{r}" for b, u, r in _FLAT.findall(text))
        text = _FLAT.sub(" ", text)
    for number, unit, month, day in _NUMBER.findall(text):
        if unit[:1] in ("万", "萬"):
            if unit[1:2] not in ("余", "餘", "多"):
                tokens.add(f"a{round(float(number) * 10000)}")
        elif unit == "元":
            tokens.add(f"a{round(float(number))}")
        elif month:
            tokens.add(f"d{number}{int(month):02d}" + (f"{int(day):02d}" if day else ""))
        elif unit == "年":
            if len(number) == 4:
                tokens.add(f"d{number}")
        elif unit in _DURATIONS:
            tokens.add(f"t{number}{unit.replace('個', '个')}")
        elif not unit and len(number) >= 3 and "." not in number:
            tokens.add(f"n{number}")
    return " ".join(sorted(tokens)) or None
