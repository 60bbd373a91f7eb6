"""Companies and projects named in a complaint, reduced to the trade name every form of the name keeps."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import ahocorasick_rs

from chinese_text import to_simplified
from matching._chinese import is_missing

# What follows a trade name, longest first: legal forms, industries, property and project words. A name
# is written with any tail of this chain (宏泰建筑工程有限公司, 宏泰建筑, 宏泰公司; 鑫源华府二期项目,
# 鑫源华府, 鑫源小区), so the trade name is the part before the chain. A compound's own suffix (丽景, 嘉园,
# 锦苑) is part of the chain: 安居丽景小区 is 安居, as 安居小区 is.
_LEGAL = "股份有限公司|有限责任公司|有限公司|分公司|集团|公司|专业合作社|合作社|工作室|门市部|经营部|培训学校|培训中心|律师事务所|会计师事务所|事务所|典当行|厂"
# Only industries that follow a trade name and rarely anything else: 投资, 理财, 装修, 服务 follow verbs
# and nouns too (追回投资款, 住户因装修), so they count only inside a compound (投资管理).
_INDUSTRY = (
    "房地产开发|房地产|房地|地产|置业|建筑工程|建设工程|建筑劳务|市政工程|装饰工程|路桥工程|建筑|劳务|市政|路桥|"
    "农产品|投资管理|资产管理|财富管理|财富|资产|养老服务|餐饮管理|餐饮|物流|保安服务|保安|商贸|贸易|实业|科技|"
    "物业服务|物业管理|物业|健身|家电城|百货|超市|酒店|宾馆|餐馆|饭店|汽修|药房"
)
# Industries of real company names that also follow ordinary words (城市建设, 掌握技术, 从事劳务派遣): they
# continue a chain, but a chain with one of them names an organisation only when a legal form ends it
# (宏泰建设集团有限公司, 宏泰人力资源有限公司, 宏泰工程有限公司). Without them the two characters before the
# legal form were the industry (o建设, o资源), which differed from 宏泰公司 and agreed with every other
# company of that industry. Longer words first (Aho-Corasick takes the first listed at a position).
_BOUND = (
    "劳务派遣|人力资源|供应链|集中供热|供热|热力|建设|建工|装饰装修|园林绿化|水利水电|钢结构|混凝土|商砼|工程|安装|电力|水利|水电|园林|绿化|"
    "装修|机电|消防|环境|环保|节能|新能源|能源|电子商务|电子|信息技术|信息|技术|网络|生物|医药|农业|发展|商业|"
    "管理|文化|传媒|广告|教育|咨询|培训|家政|汽车|销售|服务|租赁|设备|机械|运输|融资担保|担保|小额贷款|贷款|"
    "金融|建材|矿业|化工|制药|食品|电器|家具|服饰|旅游|经纪|中介|保洁|清洁|投资|理财|开发|控股"
)
_PLACE = (
    "小区|家园|花园|华府|雅苑|佳苑|新城|公馆|名邸|国际|御府|御园|府邸|华庭|广场|大厦|综合体|公寓|新村|"
    "丽景|嘉园|景园|丽园|雅园|名苑|花苑|嘉苑|景苑|锦苑|丽苑|华苑|雅居|豪庭|名城|水岸|"
    "片区棚户区改造|棚户区改造|城中村改造|旧城改造|片区|棚改|"
    "一期|二期|三期|四期|五期|六期|七期|八期|九期|项目|工地|"
    "洗车店|烧烤店|手机店|火锅店|便利店|美发店|理发店|修理店|汽修店|五金店|水果店|蛋糕店|美容店|服装店|鞋店|"
    "饭店|面店|药店|花店|店|府"
)
# 劳务派遣 goes before 劳务 (an industry on its own), the other bound words after the industries they begin.
_WORDS = f"{_LEGAL}|劳务派遣|{_INDUSTRY}|{_BOUND}|{_PLACE}"
# The words, found leftmost-first in this order (the first word listed that starts there, as a regex
# alternation of them would take), by Aho-Corasick: 1.7x the regex over a million descriptions. A chain is
# a run of words each starting where the last ended; the name is the two characters before it.
_WORD_LIST = list(dict.fromkeys(_WORDS.split("|")))
_CHAIN_WORDS = ahocorasick_rs.AhoCorasick(_WORD_LIST, matchkind=ahocorasick_rs.MatchKind.LeftmostFirst)
_LEGAL_WORD = [word in _LEGAL.split("|") for word in _WORD_LIST]
_BOUND_WORD = [word in _BOUND.split("|") and word not in _INDUSTRY.split("|") for word in _WORD_LIST]
# A chain with a legal form or an industry in it names an organisation; otherwise a project or place.
_ORGANISATION = re.compile(f"{_LEGAL}|{_INDUSTRY}")
_NAME_DOTS = re.compile("[·•・]")
# A chain followed by one of these is part of a division's name (太原小店区, 西安新城区, 新城镇).
_DIVISION_AFTER = frozenset("区县镇乡")
# A note on the company's form inside its name (甘肃建投（控股）集团有限公司): the chain goes on through it.
_FORM_NOTE = re.compile(r"[（(](?:控股|集团|有限合伙|普通合伙|特殊普通合伙)[)）]")
_PREFIX = re.compile(
    r"^(?:甘肃省?|兰州市?|城关区?|七里河区?|西固区?|安宁区?|红古区?|榆中县?|皋兰县?|永登县?)"
)
# Two characters before 公司 are often not a name (该公司, 这家公司, 理财公司, 物业公司).
_NOT_A_NAME = re.compile(
    r"[的了在是为与及该这那其我你他她们某此本被把对说找等称从月省市区县镇乡村路街巷号院楼室元个]"
)
# A verb or preposition ends no trade name (多次向物业反映, 推给物业, 以物业费为由, 擅自将, 用于水厂, 10月份起公司,
# 突然闭店, 家住), and a counter begins none (多次到工地).
_NOT_A_NAME_EDGE = re.compile("^[次份]|[向给以将于到调查住起闭侧址]$")
_GENERIC = frozenset(
    {"物业", "开发", "用工", "劳务", "理财", "装修", "快递", "中介", "保险", "公交", "出租", "施工", "建筑",
     "工程", "项目", "小区", "单位", "当地", "附近", "楼下", "楼上", "隔壁", "对面", "政府", "街道", "社区",
     "安置", "拆迁", "改造", "商品", "私人", "个人", "黑心", "无良", "一家", "两家", "多家", "涉事", "相关",
     "要求", "反映", "举报", "投诉", "希望", "请求", "购买", "联系", "进行", "负责", "涉嫌", "非法", "帮助",
     "协调", "部门", "督促", "按约", "养老", "投资", "追回", "知名", "大型", "正规", "国有", "民营", "外地",
     "本地", "签约", "合作", "中国", "中心", "居住", "所在", "入住", "租住", "周边", "旁边", "全部", "所有",
     "同一", "长租", "短租", "青年", "人才", "职工", "员工", "学生", "单身", "老年", "二局", "三局", "四局",
     "五局", "八局", "新建", "底商", "门面", "置房", "叉口", "路口", "门口", "地点", "推给", "转给", "装饰",
     "设计", "美容", "加工", "游泳", "辣烫"}
)  # fmt: skip


def subject_names(value: object) -> set[str]:
    """The trade names of the companies and projects a text names, one per organisation or project.

    A name is recognised by what follows it (a legal form, an industry, a property or project word),
    and reduced to the two characters before that chain, after place prefixes (甘肃, 兰州, districts):
    ``甘肃宏泰建筑工程有限公司``, ``宏泰建筑``, ``宏泰公司`` -> ``宏泰``; ``鑫源华府二期项目``, ``鑫源华府``,
    ``鑫源小区`` -> ``鑫源``. A bare trade name (``宏泰``) has nothing to recognise it by and gives nothing;
    generic words before 公司 (该公司, 物业公司) give nothing.

    Args:
        value: the description as sent.

    Returns:
        The trade names (simplified characters); empty when none is recognised.
    """
    return {token[1:] for token in subject_tokens(value)}


def subject_tokens(value: object) -> set[str]:
    """:func:`subject_names` as typed tokens: ``o<name>`` for an organisation (宏泰公司, 宏泰建筑),
    ``p<name>`` for a project or place (鑫源华府二期项目, 东岗棚改), so that one report naming the employer
    and another naming the site are not compared as two different names.

    Args:
        value: the description as sent.

    Returns:
        The tokens; empty when no name is recognised.
    """
    if is_missing(value):
        return set()
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    if "·" in text or "•" in text or "・" in text:
        text = _NAME_DOTS.sub("", text)  # 鑫源·华府 is 鑫源华府: the dot is a marketing name's typography
    if "控股" in text or "合伙" in text or "集团" in text:
        text = _FORM_NOTE.sub("", text)
    tokens: set[str] = set()
    last_end = -1
    for start, end, unbound in _chains(text):
        # The two characters before a chain are its name only when no other chain holds them: in
        # 第三工程局有限公司 they are 程局, half a word of the chain before.
        overlaps, last_end = start - 2 < last_end, end
        if unbound or overlaps:
            continue  # 城市建设, 从事劳务派遣: a bound industry with no legal form after it
        if text[end : end + 1] in _DIVISION_AFTER or "政府" in text[start - 1 : end + 1]:
            continue  # 小店区, 新城区: a district's name, not a shop or an estate; 太原市政府, 希望政府: no trade
        brand = text[start - 2 : start] if start >= 2 else ""
        if len(brand) < 2 or not ("\u4e00" <= brand[0] <= "\u9fff" and "\u4e00" <= brand[1] <= "\u9fff"):
            continue
        if (
            brand not in _GENERIC
            and not _NOT_A_NAME.search(brand)
            and not _NOT_A_NAME_EDGE.search(brand)
            and not _PREFIX.match(brand)
        ):
            tokens.add(("o" if _ORGANISATION.search(text, start, end) else "p") + brand)
    return tokens


def _chains(text: str) -> Iterator[tuple[int, int, bool]]:
    """``(start, end, unbound)`` of each run of :data:`_WORDS` in ``text`` (宏泰|建筑|工程|有限公司,
    鑫源|华府|二期|项目); ``unbound``: it holds a :data:`_BOUND` industry and no legal form."""
    start = end = -1
    bound = legal = False
    for word, first, last in _CHAIN_WORDS.find_matches_as_indexes(text):
        if first != end:
            if start >= 0:
                yield start, end, bound and not legal
            start, bound, legal = first, False, False
        end = last
        bound |= _BOUND_WORD[word]
        legal |= _LEGAL_WORD[word]
    if start >= 0:
        yield start, end, bound and not legal
