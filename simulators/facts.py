"""The concrete facts of a dispute (who owes whom how much, since when, where), per category.

Facts are drawn once per dispute and shared by all its reports, so that reports of the same dispute
agree on employer, project, amount and dates while different disputes differ. Group disputes draw the
shared part (project, employer, developer) once per group and the personal part per member.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from simulators.dice import between, pick

Facts = dict[str, str]

_BRAND = "宏泰鑫华盛恒达金瑞隆兴安鼎丰源祥和信诚德润通博嘉利汇昌永辉腾龙海天中宇新建福远富顺"
_BUILD = ("建筑工程", "建设工程", "建筑劳务", "市政工程", "装饰工程", "路桥工程")
_PROPERTY_SUFFIX = ("花园", "华府", "雅苑", "新城", "公馆", "名邸", "佳苑", "国际", "御府", "家园")
_JOBS_SITE = ("钢筋工", "木工", "瓦工", "架子工", "电焊工", "小工", "水电工", "塔吊司机")
_JOBS_OTHER = (("餐饮管理", "酒店", ("服务员", "厨师", "保洁")), ("物流", "物流园", ("装卸工", "司机", "分拣员")),
               ("保安服务", "保安公司", ("保安",)), ("商贸", "超市", ("收银员", "理货员")))  # fmt: skip


def brand(rng: random.Random) -> str:
    """A two-character trade name (宏泰, 鑫源 ...)."""
    return pick(rng, _BRAND) + pick(rng, _BRAND)


def company(rng: random.Random, industry: str, name: str | None = None) -> tuple[str, str]:
    """A company's registered name and the short name people use (``宏泰公司``)."""
    name = name or brand(rng)
    place = "甘肃" if rng.random() < 0.5 else "兰州"
    kind = "有限公司" if rng.random() < 0.8 else "有限责任公司"
    return f"{place}{name}{industry}{kind}", f"{name}公司"


def project_name(rng: random.Random) -> str:
    """A residential project's marketing name (``鑫源华府``)."""
    return brand(rng) + pick(rng, _PROPERTY_SUFFIX)


def _month_span(rng: random.Random, today: date) -> tuple[str, int]:
    months = between(rng, 1, 8)
    end = (today.year * 12 + today.month - 1) - between(rng, 1, 3)
    begin = end - months + 1
    y1, m1, y2, m2 = begin // 12, begin % 12 + 1, end // 12, end % 12 + 1
    text = f"{y1}年{m1}月至{m2}月" if y1 == y2 else f"{y1}年{m1}月至{y2}年{m2}月"
    return (text if months > 1 else f"{y2}年{m2}月"), months


def _day(rng: random.Random, today: date, back_days: tuple[int, int]) -> str:
    moment = date.fromordinal(today.toordinal() - between(rng, *back_days))
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _flat(rng: random.Random) -> str:
    return f"{between(rng, 1, 28)}号楼{between(rng, 1, 5)}单元{between(rng, 2, 30)}{between(rng, 1, 4):02d}室"


def group_facts(rng: random.Random, category: str, today: date) -> Facts:
    """The part of the facts shared by every member of a group dispute."""
    if category == "劳资欠薪":
        org, short = company(rng, pick(rng, _BUILD))
        return {"org": org, "org_short": short, "project": project_name(rng) + pick(rng, ("二期", "三期", "")) + "项目",
                "boss": pick(rng, "王李张刘陈杨马赵") + "某", "period": _month_span(rng, today)[0]}  # fmt: skip
    if category == "逾期交房":
        org, short = company(rng, "房地产开发")
        return {"org": org, "org_short": short, "project": project_name(rng),
                "due": _day(rng, today, (200, 900)), "buy_year": str(today.year - between(rng, 2, 5))}  # fmt: skip
    if category == "拆迁安置":
        area = pick(rng, "东南西北") + pick(rng, ("岗", "坪", "湾", "滩", "坡"))
        kind = pick(rng, ("片区棚户区改造项目", "城中村改造项目", "旧城改造项目"))
        return {"project": area + kind, "org": pick(rng, ("区征收办", "区住建局", "街道拆迁办")),
                "sign_year": str(today.year - between(rng, 2, 6))}  # fmt: skip
    if category == "投资受损":
        org, short = company(rng, pick(rng, ("投资管理", "资产管理", "财富管理", "养老服务")))
        return {"org": org, "org_short": short, "product": brand(rng) + pick(rng, ("宝", "理财计划", "养老项目")),
                "rate": f"年化{between(rng, 8, 24)}%"}  # fmt: skip
    if category == "物业纠纷":
        org, short = company(rng, "物业服务")
        return {"org": org, "org_short": short.replace("公司", "物业"), "issue": "heating"}
    org = brand(rng) + pick(rng, ("化工厂", "建材厂", "搅拌站", "工地"))
    return {
        "org": org,
        "source": pick(rng, ("粉尘", "异味", "噪音")),
        "when": pick(rng, ("每天", "夜间", "凌晨")),
    }


def _wages(rng: random.Random, today: date, shared: Facts) -> Facts:
    if shared:
        return {**shared, "job": pick(rng, _JOBS_SITE), "amount": str(between(rng, 30, 600) * 100)}
    if rng.random() < 0.7:
        facts = group_facts(rng, "劳资欠薪", today)
        facts["job"] = pick(rng, _JOBS_SITE)
    else:
        industry, place, jobs = pick(rng, _JOBS_OTHER)
        org, short = company(rng, industry)
        period = _month_span(rng, today)[0]
        facts = {"org": org, "org_short": short, "project": brand(rng) + place, "boss": pick(rng, "王李张刘陈") + "某",
                 "period": period, "job": pick(rng, jobs)}  # fmt: skip
    facts["amount"] = str(between(rng, 30, 900) * 100)
    return facts


def _housing(rng: random.Random, today: date, shared: Facts) -> Facts:
    facts = dict(shared) if shared else group_facts(rng, "逾期交房", today)
    facts.update(house=_flat(rng), amount=str(between(rng, 15, 160) * 10000 + between(rng, 0, 99) * 100))
    return facts


def _relocation(rng: random.Random, today: date, shared: Facts) -> Facts:
    facts = dict(shared) if shared else group_facts(rng, "拆迁安置", today)
    issue = pick(rng, ("安置房至今未交付", "过渡费已停发多月", "补偿款未足额到位", "安置面积与协议不符"))
    facts.update(issue=issue, area_m2=str(between(rng, 45, 160)), amount=str(between(rng, 20, 600) * 1000))
    return facts


def _investment(rng: random.Random, today: date, shared: Facts) -> Facts:
    facts = dict(shared) if shared else group_facts(rng, "投资受损", today)
    facts.update(amount=str(between(rng, 2, 300) * 10000), invest_date=_day(rng, today, (120, 900)))
    return facts


def _property(rng: random.Random, today: date, shared: Facts) -> Facts:
    facts = dict(shared) if shared else group_facts(rng, "物业纠纷", today)
    if not shared:
        facts["issue"] = pick(rng, ("heating", "heating", "elevator", "parking", "leak", "fee"))
    temp = between(rng, 11, 16)
    facts.update(house=_flat(rng), temp=str(temp), amount=str(between(rng, 5, 60) * 100))
    text, short = _PROPERTY_ISSUES[facts["issue"]]
    facts.update(issue_text=text.format(temp=temp), issue_short=short)
    return facts


_PROPERTY_ISSUES = {
    "heating": ("供暖温度不达标，室内温度只有{temp}度", "供暖"),
    "elevator": ("电梯长期故障停运", "电梯"),
    "parking": ("物业乱收停车费", "停车费"),
    "leak": ("楼顶漏水物业不维修", "漏水"),
    "fee": ("物业费无故上涨", "物业费"),
}


def _medical(rng: random.Random, today: date, shared: Facts) -> Facts:
    return {"dept": pick(rng, ("骨科", "妇产科", "普外科", "心内科", "儿科", "眼科", "口腔科")),
            "treatment": pick(rng, ("手术", "住院治疗", "输液治疗", "检查")),
            "outcome": pick(rng, ("术后感染", "被误诊", "留下后遗症", "病情加重", "多收费用")),
            "date": _day(rng, today, (10, 200)), "amount": str(between(rng, 5, 500) * 1000)}  # fmt: skip


def _traffic(rng: random.Random, today: date, shared: Facts) -> Facts:
    plate = "甘A·" + "".join(pick(rng, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
    return {"plate": plate, "other": pick(rng, ("一辆出租车", "一辆货车", "一辆私家车", "一辆电动车", "一辆公交车")),
            "injury": pick(rng, ("腿部骨折", "头部受伤", "软组织挫伤", "车辆受损")),
            "date": _day(rng, today, (0, 40)), "amount": str(between(rng, 2, 200) * 1000)}  # fmt: skip


def _neighbour(rng: random.Random, today: date, shared: Facts) -> Facts:
    return {"rel": pick(rng, ("楼上住户", "隔壁邻居", "对门邻居", "楼下住户", "同村村民")),
            "issue": pick(rng, ("卫生间漏水", "装修噪音", "楼道堆放杂物", "饲养犬只扰民", "占用公共车位", "宅基地边界")),
            "months": str(between(rng, 1, 24))}  # fmt: skip


def _family(rng: random.Random, today: date, shared: Facts) -> Facts:
    return {"party": pick(rng, ("丈夫", "妻子", "儿子", "前夫", "儿媳", "女儿")),
            "issue": pick(rng, ("离婚财产分割", "拒不支付抚养费", "拒绝赡养老人", "家庭暴力", "房产归属")),
            "amount": str(between(rng, 1, 80) * 1000), "years": str(between(rng, 1, 30))}  # fmt: skip


def _consumer(rng: random.Random, today: date, shared: Facts) -> Facts:
    shop, product = pick(rng, (("健身", "健身卡"), ("美容美发店", "美容卡"), ("家电城", "冰箱"),
                                ("装饰公司", "装修工程"), ("教育培训学校", "培训课程"), ("手机店", "手机")))  # fmt: skip
    return {"org": brand(rng) + shop, "product": product, "amount": str(between(rng, 3, 300) * 100),
            "issue": pick(rng, ("拒不退款", "商家跑路", "质量问题不给处理", "虚假宣传")),
            "date": _day(rng, today, (5, 300))}  # fmt: skip


def _environment(rng: random.Random, today: date, shared: Facts) -> Facts:
    if shared:
        return dict(shared)
    org = brand(rng) + pick(rng, ("烧烤店", "工地", "餐馆", "洗车店", "KTV", "加工厂"))
    return {"org": org, "source": pick(rng, ("噪音", "油烟", "粉尘", "异味")),
            "when": pick(rng, ("每天晚上十点以后", "凌晨", "白天", "周末"))}  # fmt: skip


def _other(rng: random.Random, today: date, shared: Facts) -> Facts:
    return {"issue": pick(rng, ("小区门口道路破损", "路灯长期不亮", "公交站点取消", "户口迁移办理难", "低保申请未批",
                                 "自来水水压低", "燃气开通缓慢"))}  # fmt: skip


_MAKERS: dict[str, Callable[[random.Random, date, Facts], Facts]] = {
    "劳资欠薪": _wages, "逾期交房": _housing, "拆迁安置": _relocation, "投资受损": _investment,
    "物业纠纷": _property, "医疗纠纷": _medical, "交通事故": _traffic, "邻里纠纷": _neighbour,
    "婚姻家庭": _family, "消费维权": _consumer, "环境污染": _environment, "其他": _other,
}  # fmt: skip


def dispute_facts(rng: random.Random, category: str, today: date, shared: Facts | None = None) -> Facts:
    """Draw the facts of one dispute; ``shared`` carries a group's common part."""
    return _MAKERS[category](rng, today, shared or {})
