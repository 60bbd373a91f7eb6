"""The person a report is filed for, when its text says a relative or an agent files it.

Petition offices and hotlines record who came (信访人, 来电人) in the name field; when a daughter comes for
her father, the text says so: 信访人系当事人李博财的女儿，代为来访; 代其父亲李博财反映; 受李博财委托; 我是李燕的
女婿，替她反映; 来电人王翠兰（段保平之朋友）代为反映. The
dispute is the father's, and so are his own reports of it: matching should see his name, not hers.
Only wordings that say the filer acts *for* the person count: a police line's 当事人张三与李四发生纠纷
names two parties to a quarrel, neither of them represented.

A grid worker, a residents' committee or a mediator files for residents too (网格员陈平庆代居民董某某反映,
居委会刘娜代居民冯女士反映), or relays what a resident told it (网格员周浩宇来电反映：辖区居民崔传军于…), often
naming the resident by surname only, or not at all (网格员李霞代居民反映), and so does a lawyer for its clients
(律师吴浩平受江敏委托反映, 律师张敏代理委托人陈勇反映): the name, id and phone on such a report are the agent's,
who files many residents' or clients' reports from one line.
"""

from __future__ import annotations

import re
import unicodedata

from chinese_text import to_simplified
from matching._chinese import COMMON_SURNAMES, COMPOUND_SURNAMES, is_missing

# Family, for whom a relative files (and, in the filer's words, the relative a dispute is about).
_FAMILY = (
    "父亲|母亲|爸爸|妈妈|老父亲|老母亲|丈夫|妻子|老公|老婆|爱人|儿子|女儿|儿媳|女婿|哥哥|姐姐|弟弟|妹妹|"
    "爷爷|奶奶|外公|外婆|姥姥|姥爷|孙子|孙女|外孙|外孙女|侄子|侄女|外甥|外甥女|媳妇|公公|岳父|岳母|闺女|丫头"
)
# Who else acts for a person: the family at large, a friend, an agent.
_AGENTS = "亲属|家属|亲戚|朋友|委托代理人|代理人|代理律师|律师|监护人"
_RELATIONS = f"{_FAMILY}|叔叔|舅舅|姑姑|阿姨|{_AGENTS}|同事|邻居|同乡|工友"
# Two to four ideographs: two or three for nearly every Han name, four for a compound surname's and for a
# Tibetan name, which has no surname (完玛卓玛, 德吉东智).
_NAME = r"(?P<name>[\u4e00-\u9fff]{2,4}?)"
_ACTS = r"(?:来访|来电|反映|投诉|报警|信访|上访|求助|申诉|办理|申请|维权|讨要|咨询|举报|问一下|问问)"
# A resident as the one who files for her writes her: a name, or a surname with a title or a placeholder
# (冯女士, 杨阿姨, 董某某, 王某), 老李 or 小王, or a name masked but for its surname (余*萍, 叶**).
_TITLES = "女士|先生|阿姨|大爷|大妈|大娘|大姐|大哥|奶奶|爷爷|婆婆|师傅|老师|老人|某某|某|XX|xx|××"
_RESIDENT = (
    rf"(?:(?P<titled>[\u4e00-\u9fff](?:{_TITLES})|[老小][\u4e00-\u9fff]|[\u4e00-\u9fff][*＊]{{1,2}}[\u4e00-\u9fff]?)"
    rf"|(?P<name>[\u4e00-\u9fff]{{2,4}}?))"
)
# 网格员陈平庆代居民, 社区代辖区住户: an agent (a grid worker, a residents' committee, a mediator) files for a
# resident. The agent is named first: 代 alone is a surname (代女士) and ends words (恒泰时代业主).
_AGENT = "网格员|网格长|居委会|村委会|社区|调解员|楼长|物业|志愿者|工作人员|干部|书记|主任"
_FOR_RESIDENT = rf"(?:{_AGENT})[^，,。；;：:\s]{{0,6}}?[，,]?代(?:辖区|本小区|本村|该小区)?(?:居民|村民|业主|住户|租户|群众)"
# 网格员周浩宇来电反映：辖区居民…: an agent relays what a resident told it, with no 代. Only those whose work
# is to pass residents' matters on: 物业称业主李四家漏水 is a complainant quoting the property company.
_RELAY_AGENT = "网格员|网格长|楼长|调解员|居委会|村委会|社区工作人员|社区干部|村干部"
_RELAYS_RESIDENT = (
    rf"(?:{_RELAY_AGENT})[^，,。；;：:\s]{{0,6}}?(?:来电|来访|电话)?(?:反映|称|报告|上报)[:：，,]?"
    r"(?:辖区|本小区|本村|该小区|本社区)?(?:居民|村民|业主|住户|租户|群众)"
)
# 福建恒兴律师事务所律师吴浩平受江敏委托反映 / 律师张敏代理委托人陈勇反映: a lawyer (a firm, legal aid) files for a
# client, from the firm's line and under the lawyer's own name and id, as a grid worker does for residents.
# Only a lawyer acting for someone: 律师代理费 and 请了律师 are a complainant's own words.
_LAWYER = "律师事务所|律所|律师|法律援助中心|法律援助|法律服务所|法律工作者"
# 律师李梦婷来电反映：委托人… / 律师…来电反映：其当事人…: a lawyer calls and names the client next.
_LAWYER_CALLS = rf"(?:{_LAWYER})[)）]?[\u4e00-\u9fff]{{0,4}}?(?:来电|来访)反映[:：，,]?其?(?:委托人|当事人)"
# 律师张敏代理…, 来电人系律师，代理…: a lawyer acting for someone, named next or not.
_LAWYER_ACTS = rf"(?:{_LAWYER})[，,]?[\u4e00-\u9fff]{{0,4}}?代理"
_LAWYER_FOR = (
    rf"(?:{_LAWYER})[)）]?[，,]?[\u4e00-\u9fff]{{0,4}}?"
    r"(?:受(?:当事人|委托人)?[^，,。；;：:\s]{0,6}?委托|受托|代理?(?:委托人|当事人))"
    rf"|{_LAWYER_CALLS}"
)
# What a report says right after the resident's name (称, 反映, 于, 在, 自 …, or a comma); a name does not
# start with it (辖区居民称王建家…: no name, and 王建 is the other side).
_AFTER_RESIDENT = "称说反于在自从因被家住，,：:。（("
_PATTERNS = (
    # 信访人系当事人李博财的女儿 / 来电人是当事人王芳的丈夫
    re.compile(rf"当事人{_NAME}的(?:{_RELATIONS})"),
    # 代其父亲李博财反映 / 替母亲王秀英来访 / 代李博财投诉 / 律师代当事人梁磊反映 (代为来访 has no name and gives
    # nothing)
    re.compile(
        rf"(?:[代替]|帮(?=我|俺|其))(?:其|我|俺|自己)?(?:的)?(?:当事人|委托人)?(?:{_RELATIONS})?{_NAME}{_ACTS}"
    ),
    # 受李博财委托 / 受其父李博财的委托 / 受当事人苏某某委托 / 律师吴浩平受蔡*明委托
    re.compile(rf"受(?:其父|其母|其夫|其妻|当事人|委托人)?{_RESIDENT}(?:的)?委托"),
    # 律师张敏代理委托人陈勇反映 / 法律援助中心代理当事人王女士申请: a lawyer names its client
    re.compile(rf"{_LAWYER_ACTS}(?:委托人|当事人)?{_RESIDENT}(?:{_ACTS}|[,，:：])"),
    # 系当事人宋志强家属 / 系当事人黄女士的母亲: the filer is the person's family, in the hotline's note at the
    # end. Not a placeholder (系当事人张某的儿子): whoever she is, no name of hers is read.
    re.compile(rf"[系是]当事人(?![\u4e00-\u9fff](?:某|XX|xx|××)){_RESIDENT}的?(?:{_RELATIONS})"),
    # 委托人：李博财 / 被代理人李博财 / 当事人姓名：李博财
    re.compile(rf"(?:委托人|被代理人|当事人姓名)[:：为是]?{_NAME}(?=$|[,，。;；、\s(（])"),
    # 我是李燕的女婿，替她反映 / 来电人系郭浩的孙子 / 报警人系潘建贵之妻: the filer says whose relative she is (not a neighbour's
    # or a colleague's, who is as often the other side)
    re.compile(
        rf"(?:我|俺|本人|来电人|来访人|信访人|报警人|求助人|投诉人)(?:是|系|为){_NAME}"
        rf"(?:的(?:{_FAMILY}|老伴|{_AGENTS})|之(?:{_FAMILY}|老伴|子|女|妻|夫|父|母))"
    ),
    # 我叫于佳伟，家住平度市，是董凤婷的妻子，现代我爱人反映: the same, in a clause of its own (family only:
    # 是张三的邻居 is as often the other side)
    re.compile(
        rf"(?:^|[，,。；;：:]|来电)(?:现|也|就)?(?:是|系){_NAME}的(?:{_FAMILY}|老伴)(?=[，,。；;：:\s)）]|$|{_ACTS})"
    ),
    # 信访人父亲苏日新的事反映 / 李小龙父亲李永红的事: the matter is the relative's
    re.compile(rf"(?<![被遭与和跟同向对])(?:{_FAMILY}|老伴){_NAME}的事"),
    # 来电人王翠兰（段保平之朋友）代为反映 / 报警人杨瑞霞（雷晓峰之老伴） / 来访人王建然（系于家莉的儿子）
    re.compile(rf"[（(](?:系|是)?{_NAME}[之的](?:{_RELATIONS}|老伴|子|女|妻|夫|父|母)[)）]"),
    # 网格员陈平庆代居民董某某反映 / 居委会刘娜代居民冯女士反映 / 社区工作人员代辖区居民老李来电: a grid
    # worker, a residents' committee or a mediator files for a resident, often named by surname only
    re.compile(rf"{_FOR_RESIDENT}{_RESIDENT}{_ACTS}"),
    # 网格员周浩宇来电反映：辖区居民崔传军于2021年12月在…买了辆车 / 网格员王莲霞来电反映：辖区居民黄成才称…: the
    # agent reports what a resident it names told it, up to what the report says next
    re.compile(rf"{_RELAYS_RESIDENT}(?![{_AFTER_RESIDENT}]){_RESIDENT}(?=[{_AFTER_RESIDENT}])"),
)
# Words a pattern can catch that name nobody (他人, 本人, 业主 ...) and placeholders (张某, 李某某).
_NOT_A_NAME = re.compile(
    r"[他她我你其们某俺咱]|^(?:本人|家人|亲人|老人|群众|村民|居民|业主|工人|农民|职工|员工|学生|患者|病人|"
    r"孩子|小孩|子女|父母|双方|对方|多人|众人|大家|相关|有关|当地|本村|该村|老伴|集体)$"
)


# A hotline operator's or a filer's own words for a relative the dispute is about: 来电人反映其父亲张建国在工地
# 被拖欠工资, 其哥哥（何贵杰）在手机店做理货员, 我妻子范敏租的房子. The relative is the person the dispute is
# the report's for, as with 代其父亲李博财反映. Kin only: 其邻居张三 and 其同事李四 are as often the other side.
_KIN = f"{_FAMILY}|爸|妈|父|母|夫|妻|弟|妹|兄|姐|子|女"
# Who speaks, before the relative: 其父亲, 我妈妈, or the operator's word for the caller (来电人姐姐刘欣霞在…,
# 报警人丈夫朱敏…).
_SPEAKER = "其|我|俺|来电人|来访人|信访人|报警人|求助人|投诉人|事主"
_KIN_NAMED = re.compile(
    rf"(?<![被遭与和跟同向对])(?:{_SPEAKER})的?(?:家)?(?:{_KIN})"
    r"(?:[（(](?P<bracketed>[\u4e00-\u9fff]{2,4})[)）]|(?P<name>[\u4e00-\u9fff]{2,3}))"
)
# A character that ends a name written without brackets: what a report says next (在, 被, 住, 的 ...).
_AFTER_NAME = frozenset("在被于因的从自租住家反称说到去是和与等向找把将已也都今曾原现一二两三四五六七八九十多拖欠做干来报投诉申讨告求借"
                        "买花交办受遭要想对跟给让叫打骂所之为及年月日上下前后里内外")  # fmt: skip
# A lawyer's client, named where the lawyer's words go on (律师邵雅琳受托反映：其当事人徐勇在…, 律师李梦婷来电
# 反映：委托人孙峰买的…, 向其当事人何女士借款): a name up to what the report says next, read as a relative's
# (其当事人: his client; a police line's 对当事人 and 告知当事人 name a party).
_CLIENT = (
    rf"(?:(?P<titled>[\u4e00-\u9fff](?:{_TITLES})|[老小][\u4e00-\u9fff])|(?P<name>[\u4e00-\u9fff]{{2,3}}))"
)
_CLIENT_NAMED = (re.compile(rf"其当事人{_CLIENT}"), re.compile(rf"{_LAWYER_CALLS}{_CLIENT}"))
# Where no wording above names anyone, the looser ones a filer uses when the whole report is about another
# (read as a relative's name is, up to what the report says next):
# - 委托人X opening what happened (报警人称：在工地，委托人刘先生自…, 来电人反映：委托人郑女士…): whoever
#   entrusted the filer, as a lawyer or a relative; not 向委托人借款 nor 与委托人签订, a party's words.
# - 当事人X in a report a lawyer or an agent files (来电人（吉林昊天律师事务所）反映，当事人韩雅琴自…; 来电人系
#   律师，代理黄军：当事人借给…): a lawyer's word for the client. Elsewhere 当事人 is a party (the police's).
# - 辖区居民X, 居民X in an agent's report (【来电反映】辖区居民赵宇轩于…; 社区网格员上报：居民何文新，…):
#   an official's word for the resident it files for; no one calls herself 辖区居民.
# - 同小区业主X系…业主, 同村村民X系…村民, 同班家长X子女…, 工友X自…起在…: one of a group filing for another
#   member, whose home, child or work the report then gives (each member's dispute is her own: the phone is
#   the filer's). Not a neighbour (邻居X在楼道堆放杂物 is the other side) nor 和工友X (the filer works too).
_OPENS = r"(?:^|(?<=[，,。；;：:\s】\]日]))"
_CLIENT_OPENS = re.compile(rf"{_OPENS}(?:其|我的)?委托人[:：]?{_CLIENT}")
_PARTY_IN_AGENTS_REPORT = re.compile(rf"(?<![对与和跟同向为给知])(?:当事人|委托人){_CLIENT}")
_RESIDENT_OPENS = re.compile(rf"{_OPENS}(?:辖区|本社区|本村)(?:居民|村民|住户|群众){_CLIENT}")
_RESIDENT_IN_AGENTS_REPORT = re.compile(rf"{_OPENS}(?:居民|村民|住户|群众){_CLIENT}")
_PEER_FOR = re.compile(
    rf"{_OPENS}(?:同(?:小区|楼|单元)(?:业主|住户|居民)|同村(?:村民|居民)|同班家长|工友)"
    rf"{_CLIENT}(?=系|住|家住|子女|孩子|自|于|在)"
)
# A relative who is the other side (其丈夫李强经常殴打其, 其儿子不赡养): the report is against them.
_AGAINST_KIN = re.compile(
    "殴打|打骂|家暴|家庭暴力|离婚|分居|出轨|赡养|抚养|虐待|威胁|辱骂|吵架|争吵|分割|赌博|酗酒"
)

# Every pattern holds one of these, in simplified or traditional characters: a cheap test first. Nine in
# ten descriptions hold none; the standardiser finds those in one scan and never calls the reader on them.
CUES = re.compile(
    f"当事|當事|代|替|委托|委託|受托|受託|(?:{_SPEAKER})的?家?(?:{_KIN})|[我俺人][是系为]|[（(][系是]?[\u4e00-\u9fff]{{2,3}}[之的]|的事"
    f"|[是系][\u4e00-\u9fff]{{2,3}}的(?:{_FAMILY}|老伴)|网格|楼长|调解员|居委会|村委会|辖区|本社区|本小区|本村|同小区|同楼|同单元|同村|同班|工友"
)
_RELATION_WORD = re.compile(rf"^(?:{_RELATIONS})$")
_ROLE_WORDS = frozenset(
    ("居民", "村民", "业主", "住户", "租户", "群众", "辖区", "本村", "当事", "委托", "市民")
)
# 信访人陈伟（社区网格员）反映, 报警人（社区网格员）称, …一直说下个月给（社区网格员）。: the clerk notes in brackets
# that the filer is a grid worker (or another whose work is to pass residents' matters on).
_ROLE_NOTE = r"[（(][^（）()，,。：:]{0,12}?(?:网格员|网格长|楼长|调解员|律师事务所|律所|法律援助中心)[)）]"
# Filed by an agent, or by a lawyer in the operator's words (来电人系律师，代理余峰涛; not 律师代理费, the
# complainant's bill).
_BY_AGENT = re.compile(
    f"{_FOR_RESIDENT}|{_RELAYS_RESIDENT}|{_LAWYER_FOR}|{_ROLE_NOTE}|{_LAWYER_ACTS}(?!费)"
    rf"|{_OPENS}辖区(?:居民|村民|住户)(?![{_AFTER_RESIDENT}])"
)
# 网格员李霞代居民反映 / 社区代辖区住户们投诉 / 网格员来电反映：辖区居民称: the agent does not name whom it files for.
# 律师吴浩平受委托反映: a lawyer that does not name its client.
_FOR_RESIDENTS = re.compile(
    rf"{_FOR_RESIDENT}们?{_ACTS}|{_RELAYS_RESIDENT}们?(?=[{_AFTER_RESIDENT}])"
    rf"|(?:{_LAWYER})[\u4e00-\u9fff]{{0,4}}?(?:受(?:当事人|委托人)?委托|受托)|{_ROLE_NOTE}"
)


def represented_person(value: object) -> str | None:
    """The name of the person the text says the report is filed for, or ``None``.

    Args:
        value: the complaint's description as sent.

    Returns:
        The name as written (e.g. ``李博财``); ``None`` when the text names no represented person, or
        names two different ones (then it is unclear whose dispute it is).
    """
    if is_missing(value):
        return None
    text = str(value)
    if not CUES.search(text):
        return None  # the common case: no proxy wording at all
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    found = {name for pattern in _PATTERNS for match in pattern.finditer(text) if (name := _named(match))}
    found |= {
        name for pattern in _CLIENT_NAMED for match in pattern.finditer(text) if (name := _client_name(match))
    }
    if not found:
        found = _named_loosely(text)
    if not found and not _AGAINST_KIN.search(text):
        found = {name for match in _KIN_NAMED.finditer(text) if (name := _kin_name(match)) is not None}
    return found.pop() if len(found) == 1 else None


def _named_loosely(text: str) -> set[str]:
    """The person the looser wordings (:data:`_CLIENT_OPENS` and the rest) name, where no other does."""
    patterns = [_CLIENT_OPENS, _RESIDENT_OPENS, _PEER_FOR]
    if _BY_AGENT.search(text):
        patterns += [_PARTY_IN_AGENTS_REPORT, _RESIDENT_IN_AGENTS_REPORT]
    return {name for pattern in patterns for match in pattern.finditer(text) if (name := _client_name(match))}


def filed_by_agent(value: object) -> bool:
    """Whether the text says an agent files it for a resident (网格员陈平庆代居民董某某反映, 居委会代居民反映):
    the phone on such a report is the agent's, who files for many residents from it, so that two reports
    agreeing on it need not be one resident's. So is a group member's filing for another member it names
    (同村村民王冬华系…村民, 工友杨桐自5月起…): one worker files for several workmates from his phone."""
    if is_missing(value):
        return False
    text = to_simplified(unicodedata.normalize("NFKC", str(value)))
    return _BY_AGENT.search(text) is not None or any(_client_name(m) for m in _PEER_FOR.finditer(text))


def filed_for_residents(value: object) -> bool:
    """Whether the text says an agent (a grid worker, a residents' committee) files for residents it does
    not name (网格员李霞代居民反映): the name, phone and id on such a report are the agent's, who files for
    many, and say nothing of whose dispute it is."""
    if is_missing(value):
        return False
    text = unicodedata.normalize("NFKC", str(value))
    return _FOR_RESIDENTS.search(to_simplified(text)) is not None and represented_person(text) is None


def _named(match: re.Match[str]) -> str | None:
    """The person a :data:`_PATTERNS` match names: a name that is no placeholder nor a relation, or a
    resident's surname with a title (冯女士, 老李: its surname is a common one), else ``None``."""
    titled = match.groupdict().get("titled")
    if titled is not None:
        surname = titled[1] if titled[0] in "老小" and len(titled) == 2 else titled[0]
        return titled if surname in COMMON_SURNAMES else None
    name = match.group("name")
    if len(name) == 4 and (name[:2] in _ROLE_WORDS or _RELATION_WORD.match(name[:2])):
        return None  # 代居民小王反映: a role and a name, not a four-character name
    return None if _NOT_A_NAME.search(name) or _RELATION_WORD.match(name) else name


def _client_name(match: re.Match[str]) -> str | None:
    """The client of a :data:`_CLIENT_NAMED` match: a surname with a title as :func:`_named` reads it, else a
    name as :func:`_kin_name` reads it."""
    return _named(match) if match.group("titled") is not None else _kin_name(match)


def _kin_name(match: re.Match[str]) -> str | None:
    """The relative's name of a :data:`_KIN_NAMED` match: bracketed as written, else two or three characters
    up to what the report says next; ``None`` when it does not start with a surname (其父亲反映, 我妈说)."""
    name = match.groupdict().get("bracketed")
    if name is None:
        name = match.group("name")
        if name[2:] and name[2] in _AFTER_NAME:
            name = name[:2]
    if name[:2] not in COMPOUND_SURNAMES and name[0] not in COMMON_SURNAMES:
        return None
    return None if _NOT_A_NAME.search(name) or _RELATION_WORD.match(name) else name
