"""Free text as comparable tokens: character bigrams of the wording, and the facts it quotes (sums, dates)."""

from __future__ import annotations

import re

from matching.facts import extract_facts

# Phrases that say which channel wrote the text, not what the dispute is: police (报警称), hotline
# operators (来电人反映, 市民来电), petition clerks (信访人反映, 请求) and app users (本人, 希望).
_BOILERPLATE = re.compile(
    r"报警人称|报警称|报警人|来电人反映|来电反映|来电人称|市民来电|市民反映|来电人|来电称|来电|信访人反映|信访人称|"
    r"信访人|当事人|反映|诉求|请求|要求|希望|尽快|相关部门|有关部门|协调|处理|解决|帮助|本人|我们|我|其|称|现|特此"
)
_MAX_CHARS = 400


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
    """The facts a description quotes, as sorted distinct typed tokens (:func:`matching.facts.extract_facts`).

    Sums in yuan (3.2万元, 三万二, 32000块 -> ``a32000``; 两万多 -> ``b20000-30000``), dates
    (2024年8月1日 -> ``d20240801``; 8月1号 -> ``m0801``), durations (19个月 -> ``t19m``, 半年 -> ``t6m``),
    flats (7号楼5单元902室 -> ``r7-5-902``) and other numbers of 3-6 digits (``n2704``). The first
    character is the fact's type. One dispute's reports quote the same facts in any wording; one
    person's two disputes of one category are worded alike but quote different sums and dates.

    Args:
        value: the description as sent (full-width digits and traditional characters are folded).

    Returns:
        The tokens joined by spaces, or ``None`` when the text quotes no facts.
    """
    return extract_facts(value)
