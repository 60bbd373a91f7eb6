"""Standardisation: per-field folding of names, phones, id numbers, addresses, text and times, cached per distinct value."""

from __future__ import annotations

import html
import logging
import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any

import numpy as np
import pandas as pd

from matching._address import division_name, parse_address
from matching._area_codes import AUTO as AUTO_AREA_CODE
from matching._area_codes import FALLBACK as FALLBACK_AREA_CODE
from matching._area_codes import resolve_area_code
from matching._chinese import (
    BOARD_HANDLE_WORDS,
    COMMON_SURNAMES,
    COMPOUND_SURNAMES,
    NO_VALUE,
    TRANSLITERATED_NAME_STARTS,
    fold_syllable,
    fold_text,
    is_missing,
    latin_name_syllables,
    pinyin_syllables,
)
from matching._contacts import CUES as CONTACT_CUES
from matching._contacts import NAME_CUES
from matching._groups import CUES as GROUP_CUES
from matching._masked_phones import CUES as MASK_CUES
from matching._masked_phones import (
    whole_mobile_ends,
    whole_mobile_heads,
    whole_mobile_keys,
    whole_mobile_tails,
)
from matching._proxies import CUES as PROXY_CUES
from matching._runtime import large_batch
from matching._workers import apply_all, apply_later, worker_pool
from matching.specs import FieldSpec, StandardiseOptions

log = logging.getLogger(__name__)

# Who the writer is: alone, a placeholder; before a name (市民张先生, 来电人张伟, 业主李娜), taken off.
_ROLES = ("热心市民", "市民", "群众", "来电人", "报警人", "信访人", "投诉人", "反映人", "求助人", "咨询人", "举报人",
          "业主", "居民", "村民", "网友", "网民", "当事人", "留言人", "报案人", "申请人", "受害人", "住户", "租户", "商户",
          "职工", "员工", "工人", "农民工", "民工", "患者", "家属", "家长", "学生", "乘客", "消费者", "车主", "购房者",
          "购房人", "客户")  # fmt: skip
# Placeholders operators type when the caller gives no name; they identify nobody. Those of any field
# (无, 不详, 匿名, 未提供 ...) are NO_VALUE's: folding them gives nothing, and 不详先生 is read against them here.
_NO_NAME = NO_VALUE | frozenset(
    {"无名", "某某", "无名氏", "匿名用户", "游客", "本人", "用户", "手机用户", "微信用户", "先生", "女士", "小姐",
     "未知姓名", "姓名不详", "无姓名", "匿名者", "某人", *_ROLES}
)  # fmt: skip
# A caller who would not give a name, said so (不愿透露姓名, 拒绝留名, 未留姓名, 没有提供名字).
_NAME_WITHHELD = re.compile(r"^(?:不愿|不肯|拒绝|未|没有?)(?:透露|留下?|提供|告知|说)(?:姓名|名字|真名|名)?$")
# A name written twice, in characters and in Latin letters (张伟 Zhang Wei, Zhang Wei 张伟): the characters.
_LATIN_BESIDE = re.compile(
    r"^\s*[A-Za-z][A-Za-z\s.'-]*\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+[A-Za-z][A-Za-z\s.'-]*$"
)
_ROLE_PREFIX = re.compile(f"^(?:{'|'.join(_ROLES)})(?=[\u4e00-\u9fff]{{2}})")
# Titles an operator writes after a surname (张先生) or a full name (张伟先生).
_HONORIFICS = "先生|女士|小姐|老师|师傅|同志|同学|老人"
# A title with no surname before it: 某先生, X女士, *先生 name nobody.
_NO_SURNAME = re.compile(r"^[某xX*＊]+(?:先生|女士|小姐)$")
_TITLE_ONLY = re.compile(
    r"^(欧阳|司马|上官|诸葛|[\u4e00-\u9fff])"
    rf"({_HONORIFICS}|阿姨|大爷|大妈|大姐|大哥|老板|老人|某某|某"
    r"|经理|老总|总|主任|书记|队长|警官|医生|大夫|姐|哥|叔|婶|奶奶|爷爷|大娘|老太|老汉|某人)$"
)
# A name masked for privacy (张*, 张**, 张XX, 张×, 马*明): only its surname is left to compare. Read before
# folding, which drops the asterisks.
_MASKED_NAME = re.compile(
    r"^(欧阳|司马|上官|诸葛|[\u4e00-\u9fff])\s*(?:[*＊×]+|[xX]{1,2}|○+|〇+)[\u4e00-\u9fff]?$"
)
# What a name field holds besides the name: a note in brackets (张伟(代)), the others of a group (张伟等3人,
# 张伟、李娜: the first is the one filing), a phone typed into it.
_NAME_NOTE = re.compile(r"[(（\[【<《].*?(?:[)）\]】>》]|$)")
_NAME_GROUP = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})\s*等(?:[\d一二两三四五六七八九十几多数]+)?(?:人|名|户|位)?$"
)
_NAME_SEPARATOR = re.compile(r"[、,，/;；|]")
# A relative filing, written after the name (王伟的女儿, 王伟之妻, 王伟家属): the name is 王伟's.
_NAME_RELATION = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})(?:[的之](?:女儿|儿子|妻子|丈夫|爱人|母亲|父亲|老伴|儿媳|女婿|孙子|孙女|哥哥|姐姐|弟弟|妹妹"
    r"|家属|亲属|代理人|委托人)|之[妻夫子女父母]|的?家属|的?亲属)$"
)
# Another person named after the filer's name by their part (王伟 代理人：李娜, 王伟 联系人李娜): the name is 王伟.
_NAME_AGENT = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})\s*(?:委托)?(?:代理人|联系人|监护人|委托人)\s*[:：]?\s*[\u4e00-\u9fff]{2,4}$"
)
# Sex and age after a space (王伟 男 45岁): not 亚男 of 张亚男.
_NAME_PERSON_NOTE = re.compile(r"(?:\s+[男女]|\s*\d{1,3}岁)+\s*$")
# A phone typed into the name field (张伟13812345678, 张伟 8123456): seven digits or more. Fewer after
# characters are a board handle's number (讨个说法32043, 平凡人54213), which names nobody.
_NAME_DIGITS = re.compile(r"\d{7,}")
# Characters that begin with no surname of one or two characters, nor as a Tibetan or Mongolian name does.
_CHOSEN_WORDS = re.compile(
    rf"^(?!{'|'.join(sorted(COMPOUND_SURNAMES))}|{TRANSLITERATED_NAME_STARTS})"
    rf"[^{''.join(sorted(COMMON_SURNAMES))}][\u4e00-\u9fff]+$"
)
# What a writer wants, typed where her name goes: 维权到底, 讨个说法, 求助无门, 还我血汗钱.
_GRIEVANCE = re.compile(
    "维权|讨薪|讨债|说法|公道|公平|求助|求救|投诉|举报|反映|救救|冤|血汗|无奈|无助|绝望|心寒|寒心"
)
# The dot between the parts of a transliterated name (阿不都·热合曼), as the keyboards type it.
_NAME_DOT = re.compile("[·•・‧.]")
# A message board's generated handle names nobody: a number (用户8372, 网友_5521), a code of letters and
# digits (网友c0t4a, 网友bmgpx), or the account's mobile masked (用户131****6961).
_HANDLE = re.compile(rf"^(?:{BOARD_HANDLE_WORDS})[\W_]*(?:\d+|[a-z\d]{{4,}}|1\d\d\*{{4}}\d{{4}})$", re.I)
# A handle a writer chose: characters and a number (道外农民6951, 闹心793), letters and digits or an
# underscore (wx_ghu5eyj, user_v4whw7), a word no name holds (冻透了, 无奈的人, 求助者, 平安是福, 匿名网友), or
# a place and who the writer is (江北打工人, 平房大姐, 松北小市民, 黑土地人家, 五常退休工人). A name holds
# none of these, and read as one it was another person's name against every named report of the writer.
_CHOSEN_HANDLE = re.compile(
    r"[\u4e00-\u9fff]\d|^(?=.*[a-z])(?=.*[\d_])[a-z\d_.-]+$|[的了吗呢吧啊呀哦嘛着过们者是匿]"
    r"|..(?:网友|网民|市民|农民|居民|业主|租客|租户|路人|百姓|打工|工人|退休|宝妈|老铁|铁子|老妹|小伙|大爷|大妈"
    r"|大姐|大哥|大叔|大婶|二舅|一家|人家|群众|街坊|游客|用户|阿姨|阿婆|阿伯|阿公|阿妹|阿哥|阿姐|大娘|老汉)"
)
# A handle that is an account's: a number of three digits or more (游客36667, 用户70240458, 道外农民6951), or
# letters with digits or an underscore (lz_cgwq936, wx_ghu5eyj). A board gives each account its own; a
# handle of words alone (西固居民, 维权到底, 心累) is chosen by many writers alike.
_ACCOUNT_HANDLE = re.compile(
    r"^(?=.*\D)[^\s]{0,20}\d{3,}$|^(?=.*[a-z])(?=.*[\d_])[a-z\d_.-]{4,30}$"
    rf"|^(?:{BOARD_HANDLE_WORDS})[\W_]*[a-z\d]{{4,}}$"
)
# Letters with digits or an underscore (user_928979, wx_ghu5eyj): a handle, before digits are taken off a name.
_LATIN_HANDLE = re.compile(r"^(?=.*[a-z])(?=.*[\d_])[a-z\d_.-]+$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_NOISE = re.compile(r"[\s\-]+")
# An id masked for privacy: three or more of its digits starred or crossed out.
_MASKED_ID = re.compile(r"[*＊×]|[xX]{3,}")
# What is typed for an id not known (000000000000000000, 111111111111111111, 123456789012345678,
# 620102000000000000): a real number's date keeps it from holding a digit nine times running or counting
# nine digits up or down. Kept, they agreed exactly, the strongest evidence the model has, across everyone
# typed so.
_PLACEHOLDER_ID = re.compile(r"(\d)\1{8}|012345678|123456789|987654321|876543210")
_PHONE_SPLIT = re.compile(r"[/,，;；、或]|\s{2,}")
# Letters typed or read (OCR) for the digits they look like, in a field of nothing else: O for 0, l and I for 1.
_LOOKALIKES = re.compile(r"[\d\s\-+()]*[OolI][\d\s\-+()OolI]*")
_AS_DIGITS = str.maketrans("OolI", "0011")
_ID_LOOKALIKES = re.compile(r"(?=.*[OolI])[\dOolI]{14,17}[\dXxOolI]")
# An extension after a landline (0931-8123456-801, 8123456分机801): the line is the number.
_EXTENSION = re.compile(r"(\d{7,8})\s*(?:-|分机|ext\.?|[xX])\s*\d{1,5}$")
# A number a spreadsheet or pandas wrote as a float: 13893112345.0, 1.3893112345E+10, 6.20102E+17.
_FLOAT_TRAIL = re.compile(r"^(\d{5,})\.0+$")
_FLOAT_SCIENTIFIC = re.compile(r"^(\d)\.(\d+)[eE]\+?(\d{1,2})$")
# An id number inside other words (身份证620102198703151236, 证件号:62010219870315123X).
_ID_INSIDE = re.compile(r"(?<![\dA-Z])(\d{17}[\dX]|\d{15})(?![\dA-Z])")
# Service numbers dialled without an area code (400-123-4567, 800 8100 123): ten digits of their own.
_SERVICE_PREFIXES = ("400", "800")
# An honorific or title after a full name (张伟先生, 张伟 女士, 张伟老师): the name is what comes before it.
_NAME_TITLE = re.compile(rf"^([\u4e00-\u9fff]{{2,4}}?)\s*(?:{_HONORIFICS})$")
# 晋阳湖耿姐, 清徐贾姐, 汾河边的薛姐, 庐州老王: a board writer's place and what she is called, which is her
# surname.
_PLACE_FAMILIAR = re.compile(
    r"^[\u4e00-\u9fff]{2,8}?的?(?:([\u4e00-\u9fff])"
    r"(?:姐|哥|叔|婶|姨|嫂|伯|大爷|大妈|大姐|大哥|阿姨|老汉|奶奶|爷爷|大娘|师傅)|老([\u4e00-\u9fff]))$"
)
# 老张, 小王, 阿李: a surname someone is called by, not a given name (小红 and 老舍 are names).
_FAMILIAR = re.compile(r"^[老小阿]([\u4e00-\u9fff])$")


def _undo_float(text: str) -> str | None:
    """A number as its digits when a spreadsheet or pandas wrote it as a float.

    ``13893112345.0`` and ``1.3893112345E+10`` are ``13893112345``. Scientific notation that lost digits
    (Excel's ``6.20102E+17``, ``1.38931E+10``) is ``None``: it is every id of a district, every mobile of a
    prefix, alike. Any other text comes back unchanged.
    """
    if "." not in text:
        return text
    stripped = text.strip()
    if match := _FLOAT_TRAIL.match(stripped):
        return match.group(1)
    if match := _FLOAT_SCIENTIFIC.match(stripped):
        lead, fraction, exponent = match.group(1), match.group(2), int(match.group(3))
        if len(fraction) > exponent:
            return text  # a decimal fraction, not a mangled integer
        # Fewer digits than the exponent: rounded for display (a trailing zero cannot be told from one).
        return lead + fraction if len(fraction) == exponent else None
    return text


def normalize_name(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    """Fold a person's name and derive its pinyin keys.

    An operator's "张先生"/"王女士", "张经理" or "老张" names only the surname: it keeps ``surname`` and
    nothing else. A title after a full name (张伟先生, 张伟老师) is taken off.

    Args:
        value: the name as sent (full-width, traditional, spaces and the minority-name dot all fold away).

    Returns:
        ``(norm, pinyin, fuzzy, surname)``: the folded characters; toneless pinyin (章伟 and 张伟 both
        ``zhangwei``); the dialect-folded pinyin (zh/z, n/l, -ng/-n ...), so 陈伟/程伟 share ``cenwei``;
        and the pinyin of the surname (a surname heard on the phone is a homophone at worst).
    """
    if is_missing(value):
        return None, None, None, None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if match := _MASKED_NAME.match(text):
        text = f"{match.group(1)}某"  # what is left is its surname, as in 张某
    if not text.isalpha():  # most names: nothing but letters, nothing to take off
        if fold_text(text) is None or _LATIN_HANDLE.match(text.lower()) or _HANDLE.match(text):
            return None, None, None, None  # N/A, #N/A: a placeholder, read before a separator splits it
        text = _LATIN_BESIDE.sub("", _NAME_AGENT.sub("", _NAME_PERSON_NOTE.sub("", text)))
        text = _NAME_DIGITS.sub("", _NAME_SEPARATOR.split(_NAME_NOTE.sub("", text))[0]).strip()
    if len(text) > 3 and ("的" in text or "之" in text or "属" in text):
        text = _NAME_RELATION.sub("", text)
    if "等" in text[1:]:
        text = _NAME_GROUP.sub("", text)
    if _NO_SURNAME.match(text):
        return None, None, None, None
    norm = fold_text(text)
    if norm is not None and (role := _ROLE_PREFIX.match(norm)):
        norm = norm[role.end() :]
    titled = _NAME_TITLE.match(norm) if norm is not None else None
    if titled is not None and titled.group(1) in _NO_NAME:
        return None, None, None, None  # 匿名先生, 不详女士: a placeholder with a title is still a placeholder
    placed = _PLACE_FAMILIAR.match(norm) if norm is not None and len(norm) > 3 and titled is None else None
    if placed is not None and (called := placed.group(1) or placed.group(2)) in COMMON_SURNAMES:
        return None, None, None, "".join(pinyin_syllables(called, surname_first=True))
    if (
        norm is None
        or norm in _NO_NAME
        or norm.isdigit()
        or _HANDLE.match(text)
        or (
            _CHOSEN_HANDLE.search(norm.lower())
            and not (norm[:2] in COMPOUND_SURNAMES and _TITLE_ONLY.match(norm))
        )
        or _NAME_WITHHELD.match(norm)
    ):
        return None, None, None, None
    familiar = _FAMILIAR.match(norm)
    if familiar is not None and familiar.group(1) not in COMMON_SURNAMES:
        familiar = None
    if match := _TITLE_ONLY.match(norm) or familiar:
        return None, None, None, "".join(pinyin_syllables(match.group(1), surname_first=True))
    if titled is not None:  # 张伟先生 (欧阳先生, a compound surname and a title, was read above)
        norm = titled.group(1)
    if len(norm) > 3 and _CHOSEN_WORDS.match(norm) and not _NAME_DOT.search(text):
        # 春城三七, 昆明饵块, 彩云之南米线, 肥东老实人: four characters or more that begin with no surname (nor
        # a transliterated name's dot, 阿不都·热合曼) are a name a board writer chose. Read as a name it
        # disagreed with every named report of hers.
        return None, None, None, None
    syllables = pinyin_syllables(norm, surname_first=True)
    surname_length = 2 if norm[:2] in COMPOUND_SURNAMES else 1
    if norm.isascii() and norm.isalpha() and (latin := latin_name_syllables(text)):
        # Zhang Wei, typed in pinyin by an app user: its syllables are 张伟's, so it agrees with 张伟 on the
        # sound (pinyin, dialect folds, surname), though never on the characters.
        syllables = latin
        surname_length = 2 if "".join(latin[:2]) in _compound_surnames_pinyin() else 1
    return (
        norm,
        "".join(syllables),
        "".join(fold_syllable(s) for s in syllables),
        "".join(syllables[:surname_length]),
    )


@lru_cache(maxsize=1)
def _compound_surnames_pinyin() -> frozenset[str]:
    return frozenset("".join(pinyin_syllables(name, surname_first=True)) for name in COMPOUND_SURNAMES)


def normalize_phone(value: Any, area_code: str = "0931") -> tuple[str | None, bool]:
    """Normalise a phone number: mobiles to their 11 digits, landlines to area code + local number.

    ``+86``/``0086`` prefixes, separators and full-width digits are removed; a local landline without
    an area code is given ``area_code``; of several numbers in one field the first mobile wins, else the
    first landline.

    Args:
        value: the phone as sent.
        area_code: the area code assumed for local landline numbers (Lanzhou 0931).

    Returns:
        ``(phone, is_mobile)``; ``(None, False)`` when no plausible number is present.
    """
    if is_missing(value):
        return None, False
    text = str(value)
    if len(text) == 11 and text.isascii() and text.isdigit() and text[0] == "1" and text[1] in "3456789":
        return (text, True) if len(set(text[3:])) > 1 else (None, False)
    unfloated = _undo_float(unicodedata.normalize("NFKC", text))
    if unfloated is None:
        return None, False
    if _LOOKALIKES.fullmatch(unfloated) and not unfloated.isdigit():
        unfloated = unfloated.translate(_AS_DIGITS)  # 138O9311234, l3893112345: typed or read by OCR
    # Of several numbers the first mobile, else the first landline: a mobile is one person's, while a
    # landline (0931-8123456/13893112345) is often a home's or an office's, given beside it.
    parts = _PHONE_SPLIT.split(unfloated)
    if len(parts) == 1 and " " in unfloated.strip() and _one_number(unfloated, area_code)[0] is None:
        parts = unfloated.split()  # 13893112345 13912345678: no number of their joined digits
    landline: tuple[str | None, bool] = (None, False)
    for part in parts:
        phone = _one_number(part, area_code)
        if phone[1]:
            return phone
        if landline[0] is None:
            landline = phone
    return landline


def _one_number(part: str, area_code: str) -> tuple[str | None, bool]:
    """One number of a phone field, as :func:`normalize_phone` returns it."""
    digits = re.sub(r"\D", "", _EXTENSION.sub(r"\1", part.split("转")[0].strip()))
    if len(digits) == 12 and digits.startswith("01") and digits[2] in "3456789":
        digits = digits[1:]  # 013893112345: a mobile dialled with the trunk 0, as a switchboard logs it
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) in (12, 13):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1") and digits[1] in "3456789":
        if len(set(digits[3:])) > 1:
            return digits, True
    elif len(digits) == 10 and digits.startswith(_SERVICE_PREFIXES):
        return digits, False
    elif len(digits) in (7, 8) and digits[0] not in "01":
        return area_code + digits, False
    elif 10 <= len(digits) <= 12 and not digits.startswith("1"):
        local = digits if digits.startswith("0") else "0" + digits
        if len(set(local[-7:])) > 1:
            return local, False
    return None, False


def normalize_id(value: Any) -> tuple[str | None, bool]:
    """Fold a resident identity number and check it (GB 11643; 15-digit numbers are upgraded to 18).

    Args:
        value: the number as sent (full-width, lower-case x and spaces fold away).

    Returns:
        ``(id_number, valid)``; the folded value is kept even when invalid, so that equal typos still agree,
        but not one typed for an id not known (000000000000000000, 123456789012345678).
    """
    text = _ID_NOISE.sub("", value) if isinstance(value, str) and value.isascii() else fold_text(value)
    if isinstance(value, str) and _MASKED_ID.search(value):
        return None, False  # 6201**********1234: many people's, no one's
    if text is not None and "." in text:
        text = _undo_float(text)  # 620102198703151236.0; 6.20102E+17 is every id of a district
    if text is None or len(text) < 15:
        return None, False
    if _ID_LOOKALIKES.fullmatch(text):
        text = text.translate(_AS_DIGITS)  # 6201O2198703151236: O for 0, as typed or read by OCR
    text = text.upper()
    if len(text) > 18 and (inside := _ID_INSIDE.search(text)):
        text = inside.group(1)  # 身份证620102198703151236
    if len(text) == 15 and text.isdigit():
        body = text[:6] + "19" + text[6:]
        text = body + _check_digit(body)
    if _PLACEHOLDER_ID.search(text):
        return None, False
    if len(text) != 18 or not text[:17].isdigit():
        return text, False
    month, day = int(text[10:12]), int(text[12:14])
    plausible = 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= int(text[6:10]) <= 2030
    return text, plausible and _check_digit(text[:17]) == text[17] and len(set(text[:17])) > 2


def _check_digit(body: str) -> str:
    return _ID_CHECK[sum(map(operator.mul, map(int, body), _ID_WEIGHTS)) % 11]


class _Cleared:
    def __repr__(self) -> str:
        return "CLEARED"

    def __reduce__(self) -> str:
        return "CLEARED"  # back from a worker process as this module's one instance, not a copy


# What a filling standardiser returns to blank a value an earlier field wrote.
CLEARED: Any = _Cleared()


@dataclass(frozen=True)
class Standardiser:
    """A named standardiser: the suffixes it writes (``<prefix>_<suffix>``) and the per-value function."""

    suffixes: tuple[str, ...]
    function: Callable[[Any], tuple[Any, ...]] | None = None
    # Writes only where it finds a value, over the columns an earlier field wrote (a represented person
    # named in the text replaces the filer's name); CLEARED writes a null there.
    fills: bool = False
    # The function given ``(value, the day it was reported)``, for values whose results depend on that day
    # (去年7月29号, 上个月: facts.says_relative_date); the others are read once per distinct value.
    dated: Callable[[tuple[Any, date]], tuple[Any, ...]] | None = None
    # Texts this pattern does not find get the function's result for a missing value without a call:
    # one scan in this process instead of shipping every distinct text to a worker for nothing.
    cue: re.Pattern[str] | None = None
    # Writes only into the records an earlier field left without a value (its first column null): a
    # mobile given in the words of a report sent without a phone.
    fills_missing: bool = False
    # Completes the per-value results from the columns earlier fields wrote, for the whole frame at once
    # (``(out, prefix, arrays)``, arrays in place): a whole mobile's key, from the phone already read.
    derive: Callable[[pd.DataFrame, str, list[np.ndarray]], None] | None = None

    def outputs(self, prefix: str) -> tuple[str, ...]:
        """The column names written for ``prefix``."""
        return tuple(f"{prefix}_{suffix}" for suffix in self.suffixes)


def _district(value: Any, divisions: tuple[str, ...] = ()) -> tuple[str | None]:
    text = fold_text(value)
    return (division_name(text, divisions) if text else None,)


def _label(value: Any) -> tuple[str | None]:
    return (fold_text(value),)


# Catch-all labels say the channel did not classify the report (the police file most civil disputes as
# 其他): they carry no evidence about the dispute, so the category comparison sees them as missing.
_CATCH_ALL_LABELS = frozenset(
    {"其他", "其它", "其他类", "其他纠纷", "其他问题", "其他事项", "未分类", "不详", "无"}
)


# A category filed as a path down a channel's tree (民生诉求/劳资纠纷, 城乡建设>物业管理>供暖): its last step is
# the label another channel files alone.
_CATEGORY_PATH = re.compile(r"[/／>＞→\\|｜\-－—]+")


def _category(value: Any) -> tuple[str | None]:
    norm = fold_text(value)  # a placeholder is read whole before a path splits it (N/A is no path to A)
    if norm is not None and isinstance(value, str) and _CATEGORY_PATH.search(value):
        norm = next((step for step in map(fold_text, reversed(_CATEGORY_PATH.split(value))) if step), None)
    return (None if norm in _CATCH_ALL_LABELS else norm,)


def _address(value: Any, divisions: tuple[str, ...] = ()) -> tuple[str | None, ...]:
    from matching.facts import unit_flat

    parts = parse_address(value, divisions)
    # The flat down to its unit (14号楼5单元1403 -> r14-5-1403): a household's; a room alone may be an
    # office. Most addresses name no unit: the substring test spares them the pattern.
    flat = (
        unit_flat(parts.norm)
        if parts.norm and ("单元" in parts.norm or "-" in parts.norm or "门" in parts.norm)
        else None
    )
    return parts.norm, parts.key, parts.place, parts.road, parts.district, flat


def _text(value: Any) -> tuple[str | None, str | None]:
    from matching._content import content_grams

    norm = fold_text(value)
    return norm, content_grams(norm) if norm else None


def _facts(value: Any) -> tuple[str | None, str | None, str | None]:
    from matching._content import content_facts
    from matching.facts import fact_anchors

    facts = content_facts(value)
    return (facts, *fact_anchors(facts))


def _facts_and_names(value: Any) -> tuple[str | None, str | None, str | None]:
    # The organisations and projects a text names (宏泰建筑工程有限公司 = 宏泰公司 -> o宏泰) join its facts:
    # one dispute's reports name the same employer or project however much they shorten it.
    from matching.facts import extract_facts, fact_anchors

    facts = extract_facts(value, subjects=True)
    return (facts, *fact_anchors(facts))


def _facts_on(value_and_day: tuple[Any, date]) -> tuple[str | None, str | None, str | None]:
    from matching.facts import extract_facts, fact_anchors

    facts = extract_facts(value_and_day[0], value_and_day[1])
    return (facts, *fact_anchors(facts))


def _facts_and_names_on(value_and_day: tuple[Any, date]) -> tuple[str | None, str | None, str | None]:
    from matching.facts import extract_facts, fact_anchors

    facts = extract_facts(value_and_day[0], value_and_day[1], subjects=True)
    return (facts, *fact_anchors(facts))


def _represented_name(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    from matching._proxies import filed_for_residents, represented_person

    name = represented_person(value)
    parts = normalize_name(name) if name else (None, None, None, None)
    if parts[-1] is None:  # no surname read: nobody named (先生), or an agent's residents (代居民反映)
        return (CLEARED, CLEARED, CLEARED, CLEARED) if filed_for_residents(value) else parts
    # Every column is the represented person's, the ones her name leaves empty too (冯女士 has a surname
    # only): the filer's own name is not hers.
    norm, pinyin, fuzzy, surname = (CLEARED if part is None else part for part in parts)
    return norm, pinyin, fuzzy, surname


def _represented_id(value: Any) -> tuple[Any, Any]:
    # The id number on a proxy's report is the proxy's own (a petition office registers who came): it says
    # nothing about the represented person, and two valid numbers would keep the two apart for good.
    from matching._proxies import filed_for_residents, represented_person

    return (CLEARED, False) if represented_person(value) or filed_for_residents(value) else (None, None)


def _proxy_report(value: Any) -> tuple[bool, bool]:
    # A report a relative or agent filed for the person it names: its phone, home and district are the
    # filer's own (settings ``proxy_reports``). Filed by an agent for a resident (a grid worker), its phone
    # is one the agent files many residents' reports from.
    from matching._proxies import filed_by_agent, filed_for_residents, represented_person

    return (represented_person(value) is not None or filed_for_residents(value), filed_by_agent(value))


def _group_report(value: Any) -> tuple[bool]:
    # A text speaking for many people's money (及13名工友, 其本人被欠): its sums need not be its filer's,
    # and the facts guard does not hold them against another report's (clustering.GuardData).
    from matching._groups import speaks_for_group

    return (speaks_for_group(value),)


def _phone_in_text(value: Any) -> tuple[str | None, bool | None]:
    # 我的电话18200888902: a board's writer gives the number in the words (a mobile, as the phone field
    # would read it).
    from matching._contacts import phone_in_text

    number = phone_in_text(value)
    return (number, True) if number is not None and normalize_phone(number)[1] else (None, None)


def _name_in_text(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    # 我叫白霞, 联系人：李生鹏: a board's writer gives her name in the words (read as the name field would be).
    from matching._contacts import name_in_text

    name = name_in_text(value)
    return normalize_name(name) if name is not None else (None, None, None, None)


def _masked_phone(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    # 138****6658: the places shown, and the key a whole mobile shares with it (138*6658; 139*928 for
    # 139*****928, 1381234* for 1381234****). A whole mobile's keys are written from the phone columns
    # (_whole_mobile_keys), not read again here.
    from matching._masked_phones import masked_mobile

    return _with_key(masked_mobile(value))


def _tail_phone(value: Any) -> tuple[str | None, str | None]:
    # *******6658: its last four, as the key (tail) a whole mobile shares and as the number shown by them
    # alone (tail_only, the blocking rule's anchor and the comparison's); a whole mobile's tail is written
    # from the phone columns (_whole_mobile_tails).
    from matching._masked_phones import mobile_tail_shown

    tail = mobile_tail_shown(value)
    return tail, tail


def _masked_phone_in_handle(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    # 用户131****6961 in the name field: the account's mobile, masked as the board prints it.
    from matching._masked_phones import masked_mobile_in_handle

    return _with_key(masked_mobile_in_handle(value))


def _masked_phone_in_text(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    # 联系电话131****5628: a board that masks its writers' numbers masks the ones in the words too.
    from matching._contacts import masked_phone_in_text

    return _with_key(masked_phone_in_text(value))


def _with_key(masked: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """A masked mobile's places and the key a whole mobile shares with it (its first three and last four
    digits; where those are not all shown, its first three and last three; else its first seven), or four
    nulls."""
    from matching._masked_phones import mobile_ends, mobile_head, mobile_key

    if masked is None:
        return None, None, None, None
    return masked, mobile_key(masked), mobile_ends(masked), mobile_head(masked)


def _without_a_phone(out: pd.DataFrame, prefix: str, arrays: list[np.ndarray]) -> None:
    """Keep a masked number read from the words only where no whole one was read (``<prefix>_norm``): a
    report's own phone field, or a whole number in its words, says more."""
    norm = f"{prefix}_norm"
    if norm in out:
        known = out[norm].notna().to_numpy()
        for array in arrays:
            array[known] = None


def _whole_mobile_keys(out: pd.DataFrame, prefix: str, arrays: list[np.ndarray]) -> None:
    """The keys of each whole mobile an earlier field wrote (``<prefix>_norm`` where ``<prefix>_mobile``):
    its first three and last four digits, its first three and last three, and its first seven, as a masked
    one's (``arrays``: the masked places and the three keys)."""
    if (found := _whole_mobiles(out, prefix, arrays[0])) is not None:
        whole, numbers = found
        arrays[1][whole] = whole_mobile_keys(numbers).to_numpy(dtype=object)
        arrays[2][whole] = whole_mobile_ends(numbers).to_numpy(dtype=object)
        arrays[3][whole] = whole_mobile_heads(numbers).to_numpy(dtype=object)


def _whole_mobile_tails(out: pd.DataFrame, prefix: str, arrays: list[np.ndarray]) -> None:
    """The last four digits of each whole mobile an earlier field wrote (``<prefix>_norm`` where
    ``<prefix>_mobile``), as the tail a number shown by them alone shares (``arrays[0]``)."""
    if (found := _whole_mobiles(out, prefix, arrays[0])) is not None:
        whole, numbers = found
        arrays[0][whole] = whole_mobile_tails(numbers).to_numpy(dtype=object)


def _whole_mobiles(out: pd.DataFrame, prefix: str, read: np.ndarray) -> tuple[np.ndarray, pd.Series] | None:
    """``(where, numbers)``: the records with a whole mobile an earlier field wrote and nothing ``read``
    from their own value, and those mobiles; ``None`` where there are none."""
    norm, mobile = f"{prefix}_norm", f"{prefix}_mobile"
    if norm not in out or mobile not in out:
        return None
    whole = out[mobile].to_numpy(dtype=bool) & pd.isna(read)
    if not whole.any():
        return None
    return whole, pd.Series(out[norm].to_numpy(dtype=object)[whole], dtype=object)


def is_nickname(text: str) -> bool:
    """Whether a name field holds a nickname: four characters or more, beginning with no surname, that say
    neither who the writer is nor what she wants (春城三七, 彩云之南米线, 庐州老表; not 西固居民, 维权到底).

    A nickname is one writer's, as an account's handle is, though others may type it too; who the writer
    is and what she wants are words anyone types."""
    return (
        len(text) > 3 and _CHOSEN_WORDS.match(text) is not None
        and not _CHOSEN_HANDLE.search(text) and not _GRIEVANCE.search(text)
    )  # fmt: skip


def account_handle(value: Any) -> tuple[str | None]:
    """The board account a name field holds (``游客36667``, ``lz_cgwq936``), folded, or ``None``: a person's
    name (张伟, 张伟 13812345678), a handle of words alone (西固居民) or a placeholder (网友).

    Two posts under one account's handle are one writer's as surely as two reports from one phone; the
    handle names nobody, so :func:`normalize_name` gives it no name."""
    if is_missing(value):
        return (None,)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if not (is_nickname(text) or _ACCOUNT_HANDLE.match(text)) or normalize_name(value)[3] is not None:
        return (None,)
    return (text,)


def _topics(value: Any) -> tuple[str | None]:
    from matching._topics import dispute_topics

    return (dispute_topics(value),)


def _matters(value: Any) -> tuple[str | None]:
    from matching._topics import dispute_matters

    return (dispute_matters(value),)


STANDARDISERS: dict[str, Standardiser] = {
    "person_name": Standardiser(("norm", "pinyin", "fuzzy", "surname"), normalize_name),
    "account_handle": Standardiser(("handle",), account_handle),
    "phone": Standardiser(("norm", "mobile")),
    "id_number": Standardiser(("norm", "valid"), normalize_id),
    "address": Standardiser(("norm", "key", "place", "road", "district", "flat"), _address),
    "district": Standardiser(("norm",), _district),
    "label": Standardiser(("norm",), _label),
    "category": Standardiser(("norm",), _category),
    "text": Standardiser(("norm", "grams"), _text),
    # facts: the tokens; sum, flat: the two a report's other reports are found by (facts.fact_anchors)
    "facts": Standardiser(("facts", "sum", "flat"), _facts, dated=_facts_on),
    "facts_and_names": Standardiser(("facts", "sum", "flat"), _facts_and_names, dated=_facts_and_names_on),
    "dispute_topics": Standardiser(("topics",), _topics),
    "dispute_matters": Standardiser(("matters",), _matters),
    "represented_name": Standardiser(
        ("norm", "pinyin", "fuzzy", "surname"), _represented_name, fills=True, cue=PROXY_CUES
    ),
    "represented_id": Standardiser(("norm", "valid"), _represented_id, fills=True, cue=PROXY_CUES),
    "proxy_report": Standardiser(("proxy", "agent"), _proxy_report, cue=PROXY_CUES),
    "group_report": Standardiser(("group",), _group_report, cue=GROUP_CUES),
    "phone_in_text": Standardiser(("norm", "mobile"), _phone_in_text, cue=CONTACT_CUES, fills_missing=True),
    "name_in_text": Standardiser(
        ("norm", "pinyin", "fuzzy", "surname"), _name_in_text, cue=NAME_CUES, fills_missing=True
    ),
    "masked_phone": Standardiser(
        ("masked", "key", "ends", "head"), _masked_phone, cue=MASK_CUES, derive=_whole_mobile_keys
    ),
    "tail_phone": Standardiser(("tail", "tail_only"), _tail_phone, cue=MASK_CUES, derive=_whole_mobile_tails),
    "masked_phone_in_handle": Standardiser(
        ("masked", "key", "ends", "head"),
        _masked_phone_in_handle,
        cue=MASK_CUES,
        fills_missing=True,
        derive=_without_a_phone,
    ),
    "masked_phone_in_text": Standardiser(
        ("masked", "key", "ends", "head"),
        _masked_phone_in_text,
        cue=CONTACT_CUES,
        fills_missing=True,
        derive=_without_a_phone,
    ),
    "timestamp": Standardiser(("days",)),
}


def distinct_values(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """``(codes, distinct values)`` of a column: the code of each row's value, -1 where it is null; a value
    holding web markup (a message board's ``3&nbsp;万元``, ``<br/>``, ``&#24180;``) as the text it shows, and
    every text NFKC-folded (full-width digits, letters and punctuation as ASCII)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    distinct = uniques.tolist()
    marked = [k for k, v in enumerate(distinct) if isinstance(v, str) and ("&" in v or "<" in v)]
    for k in marked:
        distinct[k] = without_markup(distinct[k])
    # Every reader folds a text before it reads it, and a description is read by half a dozen (facts,
    # subjects, topics, proxies, groups, contacts). Chinese text with a full-width comma is never already
    # folded, so each of them paid for a whole normalisation; folded here once, theirs is a quick check.
    for k, value in enumerate(distinct):
        if isinstance(value, str) and not unicodedata.is_normalized("NFKC", value):
            distinct[k] = unicodedata.normalize("NFKC", value)
    return codes, distinct


# What a web form or board leaves in an exported text: tags and character references.
_TAG = re.compile(r"<[a-zA-Z/!][^<>]{0,300}>")
_MARKUP = re.compile(_TAG.pattern + r"|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")


def without_markup(text: str) -> str:
    """``text`` as a browser shows it: tags as spaces, character references as their characters
    (``&nbsp;`` a plain space); text without markup (A&B公司, 小于<5万) comes back unchanged."""
    if _MARKUP.search(text) is None:
        return text
    return html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ")


def start_map_unique(
    values: pd.Series, function: Callable[[Any], tuple[Any, ...]], width: int, pool: Executor | None = None,
    workers: int = 1, distinct: tuple[np.ndarray, list[Any]] | None = None, cue: re.Pattern[str] | None = None,
    cued: dict[str, list[int]] | None = None,
) -> Callable[[], list[np.ndarray]]:  # fmt: skip
    """Apply ``function`` once per distinct non-null value, and broadcast the results back when asked.

    The values go to the workers now; the returned function waits for them (``_workers.apply_later``), so
    that the caller can start the next column's work first.

    Args:
        values: the column.
        function: value -> tuple of ``width`` results (picklable when ``pool`` is given).
        width: how many results ``function`` returns.
        pool: worker processes to spread the distinct values over (see ``_workers.worker_pool``).
        workers: how many workers ``pool`` has.
        distinct: :func:`distinct_values` of ``values``, when already computed.
        cue: a pattern every text ``function`` reads anything in holds (:attr:`Standardiser.cue`); the
            texts without it get ``function(None)``.
        cued: which of ``distinct`` hold each cue, by the cue's pattern, found once for the fields that read
            one column with one cue (the proxy wording: the represented name, the id, the proxy flag).

    Returns:
        What returns ``width`` object arrays aligned with ``values`` (``None`` where the value was null).
    """
    codes, uniques = distinct_values(values) if distinct is None else distinct
    read = None
    if cue is None:
        pending = apply_later(function, uniques, pool, workers)
    else:
        read = None if cued is None else cued.get(cue.pattern)
        if read is None:
            read = [i for i, value in enumerate(uniques) if not isinstance(value, str) or cue.search(value)]
            if cued is not None:
                cued[cue.pattern] = read
        pending = apply_later(function, [uniques[i] for i in read], pool, workers)

    def finish() -> list[np.ndarray]:
        results = pending()
        if read is not None:
            found, results = results, [function(None)] * len(uniques)
            for i, result in zip(read, found, strict=True):
                results[i] = result
        columns = []
        for k in range(width):
            table = np.empty(len(results) + 1, dtype=object)
            table[:-1] = [row[k] for row in results]
            table[-1] = None
            columns.append(table[codes])
        return columns

    return finish


# A report time written without an offset is China's (one time zone, UTC+8), not UTC: a CSV mixing
# 2026-01-01 09:00:00 with 2026-01-01T09:00:00+08:00 names one moment twice.
_LOCAL_OFFSET_DAYS = 8 / 24
# An offset follows a time (09:00:00+08:00, 01:00Z); a date alone ends -01 without one. Epoch seconds or
# milliseconds count from UTC's midnight.
_HAS_OFFSET = r"\d:\d\d(?::\d\d(?:\.\d*)?)?\s*(?:[zZ]|[+-]\d\d(?::?\d\d)?)$|^\s*(?:\d{10}|\d{13})\s*$"
# 2026年1月1日 9时15分, 2026年01月01日下午3点: the year, month and day, then maybe the part of the day, the hour,
# minutes and seconds.
_CHINESE_STAMP = (
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*(上午|中午|下午|晚上|凌晨|早上)?\s*"
    r"(?:(\d{1,2})\s*[时点:：]\s*(?:(\d{1,2})\s*[分:：]?\s*(?:(\d{1,2})\s*秒?)?)?)?\s*$"
)
_AFTERNOON = ("下午", "晚上")  # 3点 is 15:00; 中午 too, up to 1 or 2 o'clock (中午12点 is noon)
_NOON_HOURS = 6  # 中午 before this hour is after noon (中午1点); from it on, as written (中午11点)
_OFFSET_SAMPLE = 1000


def _naive_stamps(values: pd.Series) -> np.ndarray | bool:
    """Which texts carry no offset: ``False`` or ``True`` for all when a sample agrees (the usual input,
    one layout throughout), else value by value."""
    present = values.dropna()
    sample = present.iloc[:: max(1, len(present) // _OFFSET_SAMPLE)].astype(str)
    with_offset = sample.str.contains(_HAS_OFFSET, regex=True)
    if with_offset.all():
        return False
    if not with_offset.any():
        return True
    each: np.ndarray = ~values.astype(str).str.contains(_HAS_OFFSET, regex=True).to_numpy(dtype=bool)
    return each


def _other_layouts(texts: pd.Series) -> pd.Series:
    """Report times a source writes its own way: 2026年1月1日 下午3点, epoch seconds or milliseconds, an
    Excel serial day (46023.375), else whatever pandas reads (2026/01/01 09:00)."""
    stamps = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns, UTC]")
    epoch = texts.str.fullmatch(r"\s*(?:\d{10}|\d{13}|\d{5}(?:\.\d+)?)\s*").to_numpy(dtype=bool)
    if epoch.any():
        stamps[epoch] = _numeric_stamps(texts[epoch].astype("float64"))
    parts = texts.str.extract(_CHINESE_STAMP)
    written = parts[0].notna().to_numpy(dtype=bool)
    if written.any():
        found = parts[written]
        numbers = found[[0, 1, 2, 4, 5, 6]].fillna("0").astype(int)
        after_noon = found[3].isin(_AFTERNOON) | ((found[3] == "中午") & (numbers[4] < _NOON_HOURS))
        hour = numbers[4] + np.where(after_noon & (numbers[4] < 12), 12, 0)
        components = {"year": numbers[0], "month": numbers[1], "day": numbers[2], "hour": hour,
                      "minute": numbers[5], "second": numbers[6]}  # fmt: skip
        stamps[written] = _plausible(pd.to_datetime(pd.DataFrame(components), errors="coerce", utc=True))
    # pandas' value-by-value parser only for what neither layout read.
    rest = ~(epoch | written)
    if rest.any():
        others = _with_english_meridiem(texts[rest])
        stamps[rest] = _plausible(pd.to_datetime(others, errors="coerce", utc=True, format="mixed"))
    return stamps


# China's time written the Chinese way by a system's locale: 2026/1/5 下午 3:30:00 (Windows, Excel), and Java's
# Date.toString, Mon Jan 05 09:30:00 CST 2026, whose CST is China Standard Time: both are local times.
_MERIDIEM = re.compile(r"(上午|早上|凌晨|下午|晚上|中午)\s*(\d{1,2})(?=:\d\d)(:\d\d(?::\d\d(?:\.\d*)?)?)")
_CHINA_ZONE = re.compile(r"\s+CST(?=\s|$)")


def _with_english_meridiem(texts: pd.Series) -> pd.Series:
    """``texts`` with 上午/下午 before a clock read into a 24-hour clock, by the rule of the Chinese layout
    (下午3:30 is 15:30, 下午15:30 too), and a China Standard Time ``CST`` dropped, as pandas reads neither."""
    spoken = texts.str.contains(r"[午上晚晨]|CST", regex=True)
    if not spoken.any():
        return texts
    return texts.where(
        ~spoken,
        texts[spoken].str.replace(_CHINA_ZONE, "", regex=True).str.replace(_MERIDIEM, _meridiem, regex=True),
    )


def _meridiem(match: re.Match[str]) -> str:
    word, hour = match.group(1), int(match.group(2))
    if hour < 12 and (word in _AFTERNOON or (word == "中午" and hour < _NOON_HOURS)):
        hour += 12
    return f"{hour}{match.group(3)}"


# The days an Excel serial day may name, 1970-2100: its day 0 is 1899-12-30, and it holds the local time
# the cell showed (a spreadsheet has no offset). Smaller or larger numbers are no report time.
_EXCEL_DAY_ZERO = pd.Timestamp("1899-12-30", tz="UTC")
_EXCEL_DAYS = (25_569, 73_051)


def _numeric_stamps(numbers: pd.Series) -> pd.Series:
    """Numbers as report times by their size: epoch seconds or milliseconds (UTC), or an Excel serial day
    (its local time, as written: the caller's naive-offset rule applies); any other number is none."""
    stamps = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns, UTC]")
    values = numbers.to_numpy(dtype="float64")
    seconds = (values >= 1e9) & (values < 1e10)
    millis = (values >= 1e12) & (values < 1e13)
    serial = (values >= _EXCEL_DAYS[0]) & (values < _EXCEL_DAYS[1])
    if (epoch := seconds | millis).any():
        ms = np.where(seconds, values * 1000, values)[epoch].round().astype("int64")
        stamps[epoch] = pd.to_datetime(ms, unit="ms", utc=True)
    if serial.any():
        stamps[serial] = _EXCEL_DAY_ZERO + pd.to_timedelta((values[serial] * 86_400).round(), unit="s")
    return stamps


# The report times a complaint can carry. Outside them a time is a system's "no time" (0001-01-01,
# 9999-12-31, 1900-01-01) or a misread: kept, it was an overflowed nanosecond count, a day in another era.
_REPORT_TIMES = (pd.Timestamp("1950-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))
# 1970-01-01 00:00, UTC or local, is an epoch of zero: a system's empty time, not a report.
_EPOCH_ZERO = (pd.Timestamp("1970-01-01", tz="UTC"), pd.Timestamp("1969-12-31 16:00", tz="UTC"))


def _plausible(stamps: pd.Series) -> pd.Series:
    """``stamps`` in nanoseconds, with those outside :data:`_REPORT_TIMES` or at epoch zero as NaT (a
    parser's far years come in coarser units, which would overflow nanoseconds)."""
    keep = (stamps >= _REPORT_TIMES[0]) & (stamps < _REPORT_TIMES[1]) & ~stamps.isin(_EPOCH_ZERO)
    return stamps.where(keep).astype("datetime64[ns, UTC]")


def _timestamp_days(values: pd.Series) -> np.ndarray:
    naive: np.ndarray | bool = False
    # Strings arrive as object or, read by pandas 3, as its ``str`` dtype: both are texts to parse.
    if (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)) and values.notna().any():
        # A CSV's ISO-8601 strings parse 7x faster with the format named; what does not fit it (a
        # source's own layout) is parsed again, value by value.
        stamps = pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
        missed = stamps.isna() & values.notna()
        if missed.any():
            stamps = stamps.where(~missed, _other_layouts(values[missed].astype(str)))
        # Only a text can lack an offset by its writer's habit; a datetime object read from a database
        # was stored in UTC by the hub itself.
        if isinstance(values.loc[values.first_valid_index()], str):
            naive = _naive_stamps(values)
    elif pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        # A time column read as numbers (a spreadsheet's serial days, epoch seconds): pandas would count
        # them in nanoseconds, every one a moment of 1970-01-01.
        numbers = values.astype("float64").to_numpy(na_value=np.nan)
        stamps = _numeric_stamps(pd.Series(numbers, index=values.index))
        naive = (numbers >= _EXCEL_DAYS[0]) & (numbers < _EXCEL_DAYS[1])
    else:
        stamps = pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
    stamps = _plausible(stamps)
    nanos = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
    days: np.ndarray = nanos / 86_400e9 - np.where(naive, _LOCAL_OFFSET_DAYS, 0.0)
    days[stamps.isna().to_numpy()] = np.nan
    return days


@large_batch()
def standardise(
    frame: pd.DataFrame, settings: StandardiseOptions, fields: Sequence[FieldSpec] | None = None
) -> pd.DataFrame:
    """Add the normalised columns every field's standardiser writes.

    Args:
        frame: canonical records (``record_id`` plus the fields the settings name).
        settings: which standardiser runs on which column, and the default landline area code.
        fields: only these of the settings' fields (default: all).

    Returns:
        A copy of ``frame`` with ``<prefix>_<suffix>`` columns added (e.g. ``name_pinyin``, ``phone_norm``).
    """
    out = frame.copy()
    specs = settings.fields if fields is None else fields
    # Several fields read one column (the description: facts, topics, the represented person): its
    # distinct values are found once.
    distinct: dict[str | None, tuple[np.ndarray, list[Any]]] = {}
    cued: dict[str | None, dict[str, list[int]]] = {}  # and which of them hold each reader's cue
    # The report times, read once when a field needs the day each record was reported.
    times = (
        _report_times(frame, settings) if any(STANDARDISERS[s.standardiser].dated for s in specs) else None
    )
    area_code = _area_code(frame, specs, settings, distinct)
    with worker_pool(settings.workers, len(frame)) as pool:
        # Every field's values go to the workers first, then the results are collected in order: this
        # process factorises the next column and broadcasts the last one's results while they work.
        started = [_start_columns(frame, spec, settings, pool, distinct, area_code, cued) for spec in specs]
        for spec, finish in zip(specs, started, strict=True):
            _add_columns(out, frame, spec, finish, settings, pool, distinct, times)
    return out


def _area_code(
    frame: pd.DataFrame, specs: Sequence[FieldSpec], settings: StandardiseOptions,
    distinct: dict[str | None, tuple[np.ndarray, list[Any]]],
) -> str:  # fmt: skip
    """The area code local landlines are read with: the settings', or with ``auto`` the one most of the
    phone field's landlines written with a code carry (:mod:`matching._area_codes`)."""
    if settings.default_area_code != AUTO_AREA_CODE:
        return settings.default_area_code
    spec = next((s for s in specs if s.standardiser == "phone"), None)
    if spec is None:
        return FALLBACK_AREA_CODE  # no phone field read: no landline to give a code
    if spec.column not in distinct:
        distinct[spec.column] = distinct_values(_column(frame, spec.column))
    return resolve_area_code(*distinct[spec.column])


def _report_times(frame: pd.DataFrame, settings: StandardiseOptions) -> tuple[str, np.ndarray] | None:
    """``(column, days since the epoch in UTC)`` of the settings' report time, when the frame has it."""
    spec = next((f for f in settings.fields if f.standardiser == "timestamp"), None)
    if spec is None or spec.column is None or spec.column not in frame:
        return None
    return spec.column, _timestamp_days(frame[spec.column])


def _redate(
    arrays: list[np.ndarray], distinct: tuple[np.ndarray, list[Any]], utc_days: np.ndarray,
    function: Callable[[tuple[Any, date]], tuple[Any, ...]], pool: Executor | None, workers: int,
) -> None:  # fmt: skip
    """Read again, with the day each was reported (China's calendar day), the values that may name a date
    relative to it (facts.says_relative_date) or a day without its year (8月1号: the first reading's
    facts, ``arrays[0]``, say so), once per distinct value and day; ``arrays`` in place."""
    from matching.facts import names_day_without_year, says_relative_date

    codes, uniques = distinct
    relative = np.fromiter(map(says_relative_date, uniques), dtype=bool, count=len(uniques))
    undated = np.fromiter(map(names_day_without_year, arrays[0]), dtype=bool, count=len(arrays[0]))
    local = np.floor(utc_days + _LOCAL_OFFSET_DAYS)
    rows = np.flatnonzero((np.append(relative, False)[codes] | undated) & ~np.isnan(local))
    if len(rows) == 0:
        return
    day = local[rows].astype(np.int64)
    first, span = int(day.min()), int(day.max() - day.min()) + 1
    keys, inverse = np.unique(codes[rows].astype(np.int64) * span + (day - first), return_inverse=True)
    epoch = date(1970, 1, 1).toordinal() + first
    items = [(uniques[key // span], date.fromordinal(epoch + key % span)) for key in keys.tolist()]
    results = apply_all(function, items, pool, workers)
    for k, array in enumerate(arrays):
        table = np.empty(len(results), dtype=object)
        table[:] = [row[k] for row in results]
        array[rows] = table[inverse.ravel()]


def _warn_unread_times(column: pd.Series, days: np.ndarray) -> None:
    """Log the report times given that are no time at all: those records are compared without one."""
    missing = np.flatnonzero(np.isnan(days))
    if len(missing) == 0:
        return
    given = column.iloc[missing]
    rows = missing[(given.notna() & (given.astype(str).str.strip() != "")).to_numpy()]
    if len(rows):
        log.warning(
            "%d of %d %s value(s) are not a time (%r at row %d): those records are compared without one",
            len(rows), len(days), column.name, column.iloc[rows[0]], rows[0] + 1,
        )  # fmt: skip
    if len(missing) > len(rows):
        log.warning(
            "%d of %d records have no %s: the time-windowed blocking rules pair each with its whole block "
            "(blocks of up to max_block_size records)", len(missing) - len(rows), len(days), column.name,
        )  # fmt: skip


def _column(frame: pd.DataFrame, name: str | None) -> pd.Series:
    if name is not None and name in frame:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _start_columns(
    frame: pd.DataFrame, spec: FieldSpec, settings: StandardiseOptions, pool: Executor | None,
    distinct: dict[str | None, tuple[np.ndarray, list[Any]]], area_code: str,
    cued: dict[str | None, dict[str, list[int]]],
) -> Callable[[], list[np.ndarray]] | None:  # fmt: skip
    """Start a field's per-value work (:func:`start_map_unique`); ``None`` for the report time, read apart."""
    kind = spec.standardiser
    if kind == "timestamp":
        return None
    standardiser = STANDARDISERS[kind]
    function: Callable[[Any], tuple[Any, ...]] | None = standardiser.function
    if kind == "phone":
        function = partial(normalize_phone, area_code=area_code)
    elif kind == "address" and settings.divisions:
        function = partial(_address, divisions=settings.divisions)
    elif kind == "district" and settings.divisions:
        function = partial(_district, divisions=settings.divisions)
    assert function is not None
    column = _column(frame, spec.column)
    if spec.column not in distinct:
        distinct[spec.column] = distinct_values(column)
    width = len(standardiser.suffixes)
    return start_map_unique(
        column, function, width, pool, settings.workers, distinct[spec.column], standardiser.cue,
        cued.setdefault(spec.column, {}),
    )  # fmt: skip


def _add_columns(
    out: pd.DataFrame, frame: pd.DataFrame, spec: FieldSpec, finish: Callable[[], list[np.ndarray]] | None,
    settings: StandardiseOptions, pool: Executor | None, distinct: dict[str | None, tuple[np.ndarray, list[Any]]],
    times: tuple[str, np.ndarray] | None = None,
) -> None:  # fmt: skip
    """Write a field's columns from its started work (:func:`_start_columns`)."""
    standardiser = STANDARDISERS[spec.standardiser]
    names = standardiser.outputs(spec.prefix)
    column = _column(frame, spec.column)
    if finish is None:  # the report time: read already when a field needed the report's day
        days = times[1].copy() if times is not None and times[0] == spec.column else _timestamp_days(column)
        _warn_unread_times(column, days)
        arrays: list[np.ndarray] = [days]
    else:
        arrays = finish()
        if standardiser.dated is not None and times is not None:
            _redate(arrays, distinct[spec.column], times[1], standardiser.dated, pool, settings.workers)
        if standardiser.derive is not None:
            standardiser.derive(out, spec.prefix, arrays)
    if standardiser.fills_missing and names[0] in out:
        empty = out[names[0]].isna().to_numpy() & pd.notna(arrays[0])
        if empty.any():
            for name, array in zip(names, arrays, strict=True):
                values = out[name].to_numpy(dtype=object).copy()
                values[empty] = array[empty]
                out[name] = pd.Series(values, index=frame.index, dtype=object)
                if name.endswith(("_mobile", "_valid")):
                    out[name] = out[name].fillna(False).astype(bool)
        return
    for name, array in zip(names, arrays, strict=True):
        if standardiser.fills and name in out:
            found = pd.notna(array)
            if found.any():
                filled = np.where(found, array, out[name].to_numpy(dtype=object))
                at = np.flatnonzero(found)
                filled[at[array[at] == CLEARED]] = None
                series = pd.Series(filled, index=frame.index, dtype=object)
                out[name] = (
                    series.fillna(False).astype(bool) if name.endswith(("_mobile", "_valid")) else series
                )
        elif name.endswith(("_mobile", "_valid")):
            out[name] = pd.Series(array, index=frame.index).fillna(False).astype(bool)
        elif array.dtype == object:
            out[name] = pd.Series(array, index=frame.index, dtype=object)
        else:
            out[name] = array
