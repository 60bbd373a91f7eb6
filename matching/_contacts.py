"""A mobile, or a name, the filer gives in the words of a report whose phone or name field is empty.

A message board has no phone field: its writers end with 我的电话18200888902 or 联系电话：138 9311 2345, and
the hotline and the police logged the same number in theirs. Only a number the text says is the writer's
own is read (我的, 本人, 联系, or a contact word opening a clause: …求扩散，电话138…, …管不管？V:198…,
加我微信183…): 老板电话139… is the
other side's. A board that prints its writers' numbers masked prints the ones in the words so too
(联系电话131****5628): those are read as the masked phone field's (:mod:`matching._masked_phones`).
"""

from __future__ import annotations

import re
import unicodedata

from matching._chinese import COMMON_SURNAMES, COMPOUND_SURNAMES, TRANSLITERATED_NAME_STARTS, is_missing
from matching._masked_phones import masked_mobile

# Whose number a contact word gives: the writer's when the word says so (我的电话, 本人手机, 联系电话, 有消息联系我),
# or when it opens a clause, as a post's sign-off does (…求扩散，电话138…, 😭 tel:138…, 顶起来别沉了微信同号138…);
# not after a noun or a name (老板电话139…, 房东的手机, 张三电话) or a possessive 的: the other side's.
_CONTACT = (
    r"(?:电话|電話|手机|手機|联系方式|聯系方式|聯繫方式|tel|TEL|Tel|微信同号|微信同號|微信号?|薇信|威信"
    r"|[Vv][Xx信]|[Ww][Xx]|[Vv](?=[:：]))"
)
_CLAUSE_START = r"(?<![\u3400-\u9fffA-Za-z])|(?<=[了吗啊呢吧嘛呀哦哈])"
_OWN = (
    r"(?:(?:我的|本人|我|联系|聯系|聯繫|留)(?:手机|手機|电话|電話|联系方式|聯系方式|聯繫方式|微信)|联系我|聯系我|聯繫我"
    rf"|(?:{_CLAUSE_START}){_CONTACT})"
    r"(?:号码?|號碼?|号)?(?:是|为|為)?[:：]?\s*(?:\+?86[\s-]?)?"
)
# Typed by hand, a number's digits may stray apart (1833  2953134, 1 3905138179).
_OWN_NUMBER = re.compile(_OWN + r"(?P<number>1[\s-]{0,2}[3-9](?:[\s-]{0,2}\d){9})(?!\d)")
# The same, with digits hidden (NFKC has folded full-width asterisks): at least one mark, eleven places.
_OWN_MASKED = re.compile(_OWN + r"(?P<number>1[\d*xX×●](?:[\s-]?[\d*xX×●]){9})(?![\d*xX×●])")
# A number spelt in characters digit by digit (一五九三二零二二六五零, 幺三八…), as posts are written to get past
# a board that hides numbers; a space or a dash may part the digits. Seven characters or more, none of them
# a unit: 三万二 and 一千五百 are sums, and 二〇二四年 is too short a run to be a number.
_SPELT_DIGITS = str.maketrans("零〇○一幺二两三四五六七八九", "00011223456789")
_SPELT = re.compile(r"[零〇○一幺二两三四五六七八九](?:[\s-]?[零〇○一幺二两三四五六七八九]){6,}")
CUES = re.compile("电话|電話|手机|手機|联系|聯系|聯繫|tel|TEL|Tel|微信|薇信|威信|[VvWw][Xx]|[Vv]信|[Vv][:：]")


def _folded(value: object) -> str | None:
    """The text NFKC-folded (full-width digits and colons as ASCII), a number spelt digit by digit in
    characters as its digits, or ``None`` when missing."""
    if is_missing(value):
        return None
    text = str(value)
    text = text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
    return _SPELT.sub(_spelt_digits, text)


def _spelt_digits(match: re.Match[str]) -> str:
    return match.group().translate(_SPELT_DIGITS)


def phone_in_text(value: object) -> str | None:
    """The mobile a text says is its writer's (11 digits), or ``None``.

    Args:
        value: the complaint's description as sent.

    Returns:
        ``18200888902`` for …希望早点解决我的电话18200888902 and 联系电话：182-0088-8902; ``None`` when the
        text gives none, gives a masked one (131****5628), or gives two different ones.
    """
    text = _folded(value)
    if text is None:
        return None
    found = {re.sub(r"[\s-]", "", match.group("number")) for match in _OWN_NUMBER.finditer(text)}
    return found.pop() if len(found) == 1 else None


def masked_phone_in_text(value: object) -> str | None:
    """The masked mobile a text says is its writer's, as its eleven places (``131****5628``), or ``None``.

    Args:
        value: the complaint's description as sent.

    Returns:
        ``131****5628`` for 有人管没有，联系电话131****5628; ``None`` for a whole number (:func:`phone_in_text`
        reads it), someone else's (老板电话139****1234), two different ones, or none.
    """
    text = _folded(value)
    if text is None:
        return None
    found = {masked_mobile(match.group("number")) for match in _OWN_MASKED.finditer(text)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


# A board writer signs with her name (…请支付拖欠工资。我叫白霞。, 联系人：李生鹏, 本人姓名：马珍) where the board
# shows a handle. Only wordings that name the writer: 我是张三的女儿 names a relative, 找张三 the other side.
_OWN_NAME = re.compile(
    r"(?:^|(?<=[，,。！!？?；;：:\s…~]))(?:我叫|本人叫|我的名字[是叫]|本人姓名[:：]?|联系人[:：]?|署名[:：]?|落款[:：]?)\s*"
    r"(?P<name>[\u4e00-\u9fff]{2,4}?)(?=$|[，,。！!？?；;：:\s…~（(]|电话|手机|联系|微信)"
)
NAME_CUES = re.compile("我叫|本人叫|我的名字|本人姓名|联系人|署名|落款")
_TRANSLITERATED_START = re.compile(TRANSLITERATED_NAME_STARTS)


def name_in_text(value: object) -> str | None:
    """The name a text says is its writer's (2 to 4 characters, starting with a surname or, four long, as a
    Tibetan or Mongolian name does), or ``None`` for none or two different ones.

    Args:
        value: the complaint's description as sent.

    Returns:
        ``白霞`` for …请支付拖欠工资。我叫白霞。; ``None`` for 我叫了120 or 我是张三的女儿.
    """
    text = _folded(value)
    if text is None or not NAME_CUES.search(text):
        return None
    found = {name for match in _OWN_NAME.finditer(text) if _starts_a_name(name := match.group("name"))}
    return found.pop() if len(found) == 1 else None


def _starts_a_name(name: str) -> bool:
    if name[:2] in COMPOUND_SURNAMES or _TRANSLITERATED_START.match(name):
        return True
    return len(name) <= 3 and name[0] in COMMON_SURNAMES
