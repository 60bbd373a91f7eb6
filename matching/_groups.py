"""Whether a description speaks for many people's money, so that a sum it quotes need not be its filer's.

A worker owed wages says his own sum on one channel (拖欠其工资2.69万元) and, on another, the crew's
(拖欠其及13名工友工资331000元; 代表70多名农民工反映; 我自己四万多，总共1338100元). The two reports are one
complainant's one dispute, but they quote two sums, and the facts guard, which keeps a person's two
disputes apart by their sums, would refuse them. A text that counts the people it speaks for, or sets the
filer's own share against a total, is read here; the guard does not hold its sums against another report's
(:class:`matching.clustering.GuardData`). The model still compares them as facts.
"""

from __future__ import annotations

import re
import unicodedata

from chinese_text import to_simplified
from matching._chinese import is_missing

# A count of people whose money the text sums: 及13名工友工资1970700元, 我们一共34个人774300元, 其与其他人
# 二十几名工人…工资. The count must come before the money (工资, 欠款, 共计) or a number: 信访人等60人反映 and
# 涉及会员194人 count the signers and the members, and the text's sum is still the filer's own.
_PEOPLE = (
    r"(?:及|和|与|等|我们|一共|共|全体)[^，。,;；！!？?]{0,6}?"
    r"[\d一二两三四五六七八九十百几多]+\s*(?:多|余|来)?\s*(?:名|个|位|户)?\s*"
    r"(?:工友|工人|农民工|民工|人|户|业主|会员|学员|家长|村民|职工|员工|租户|商户|投资人|购房户)"
    r"(?:(?!反映|来访|来信|上访|投诉|联名)[^，。,;；:：！!？?]){0,8}?(?:工资|工钱|血汗钱|欠款|货款|共计|合计|总共|一共|\d)"
)
# A representative's report (代表70多名农民工反映): its sums are the crew's.
_ON_BEHALF = r"代表[^，。,;；]{0,6}?[\d一二两三四五六七八九十百几多]+\s*(?:多|余)?\s*(?:名|个|位|户)"
# The filer's own share said beside another sum (其本人被欠二万多, 我自己3万多).
_OWN_SHARE = r"我自己|其本人|我本人|其个人|我个人"
# A crew named for its wages (拖欠防水班组工人工资四十七万, 工友们的工资).
_CREW = r"班组|(?:工人|工友|农民工|民工)们"
_GROUP = re.compile(f"{_PEOPLE}|{_ON_BEHALF}|{_OWN_SHARE}|{_CREW}")
# Every match holds one of these: a cheap test first, as the standardiser reads only texts holding one.
CUES = re.compile("及|和|与|等|代表|我们|一共|共|全体|自己|本人|个人|班组|们")


def speaks_for_group(value: object) -> bool:
    """Whether the text counts the people it speaks for or sets the filer's own share against a total.

    Args:
        value: the complaint's description as sent.

    Returns:
        ``True`` for 拖欠其及13名工友工资331000元, 代表70多名农民工反映, 共计334857元，其本人被欠二万多;
        ``False`` for one person's words (拖欠其工资2.69万元) and for missing text.
    """
    if is_missing(value):
        return False
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _GROUP.search(to_simplified(text)) is not None
