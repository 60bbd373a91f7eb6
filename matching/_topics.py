"""What a complaint is about, read from its words: a small set of dispute topics per text.

The filed category is the channel's choice (the police file most civil disputes as 其他, an app user picks
the nearest box); the words of the report say what happened whoever filed it. A topic is named by the
vocabulary people and clerks use for it in any city (欠薪, 交房, 供暖, 噪音, 理财 ...), not by any one
channel's template. A text may touch several topics (a stalled project: unpaid wages and undelivered
flats) or none (a police line 纠纷求助): the comparison (:class:`matching.comparisons.TokenOverlap`)
asks whether two reports share one, and the model learns from the data how much that says.
"""

from __future__ import annotations

import re

import ahocorasick_rs

from chinese_text import t2s_table, to_simplified
from matching._chinese import is_missing

# A police line of violence at home says who hit the caller (报警称被丈夫打了), not 家暴.
_BEATEN_AT_HOME = tuple(
    f"被{who}打" for who in "丈夫 老公 妻子 老婆 前夫 前妻 儿子 女儿 儿媳 女婿 父亲 母亲 公公 婆婆".split()
)

# Topic -> the words that name it. Longer, specific words only: one shared character says nothing.
# A topic is also named by the words of its common matters (过渡费, 犬只, 公交站, 户口) and of who the
# other party is (同村: a fellow villager): a clerk or the police file such a report under the broader
# heading (邻里纠纷, 拆迁安置), and a report naming only the matter must still share that topic with it.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "wages": tuple(
        "工资 欠薪 讨薪 薪资 薪水 薪酬 工钱 劳务费 劳动报酬 欠发 血汗钱 农民工 包工头 劳资 工程款 务工 打工 干活 辞退 "
        "加班费 经济补偿 劳动合同 劳动仲裁 薪金 欠资 用工 劳务公司 工头 工友 克扣 骑手 外卖员 配送员 违法解除 "
        "工钿 木工 瓦工 泥瓦工 钢筋工 扎钢筋 电焊工 焊工 架子工 水电工 油漆工 抹灰工 小工 杂工 搬运工".split()
    ),
    "housing": tuple(
        "交房 房款 购房 买房 开发商 售楼部 楼盘 烂尾 房产证 不动产 办证 网签 首付 房贷 商品房 期房 延期交付 逾期交付 "
        "房屋质量 墙体开裂 产权证 现房 房企 置业 房地产 认购书 二手房 房本 空鼓 规划验收".split()
    ),
    "property": tuple(
        "物业 供暖 暖气 采暖 室温 室内温度 电梯 停水 停电 水压 漏水 渗水 维修基金 业委会 停车位 车位 二次供水 燃气 "
        "天然气 供热 热力公司 暖气片 地暖 物业费 物管 化粪池 自来水 停车费 热费 取暖费 换热站 漏雨 地锁".split()
    ),
    "noise": tuple(
        "噪音 噪声 扰民 吵闹 音响 广场舞 夜间施工 鸣笛 分贝 太吵 很吵 渣土车 睡不着 夜间作业 半夜施工 凌晨施工 "
        "影响休息 吆喝 吵得 吵死 电钻 跑跳 跺脚".split()
    ),
    "pollution": tuple(
        "污染 油烟 异味 臭味 粉尘 扬尘 排污 污水 焚烧 废气 垃圾 环保 烟尘 黑烟 臭气 废水 刺鼻 偷排 烟熏".split()
    ),
    "investment": tuple(
        "投资 理财 集资 兑付 返利 高息 年化 本金 收益 借贷 融资 分红 股权 爆雷 暴雷 私募 保本 提现 存款 取不出 退赔 追赃 挽损 非法吸收".split()
    ),
    "consumer": tuple(
        "退款 退费 退货 预付 储值 会员卡 办卡 商家 跑路 培训 课程 售后 假货 质量问题 消费 押金 退钱 快递 网购 丢件 "
        "虚假宣传 夸大宣传 健身 装饰公司 霸王条款 缺斤短两 短斤少两 以次充好 过期食品 变质 充值 美容院 装修公司 装修款 "
        "装修合同 家装 定金 订金 不发货 保健品 翻新机 二手车 年卡 课时 中介费 被坑 宰客".split()
    ),
    "medical": tuple(
        "医院 医患 手术 术后 医疗 医生 治疗 诊所 误诊 住院 药费 护士 卫健 患者 病人 医药费 看病 病历 卫生院 卫生服务中心 过度检查 体检 口腔 牙科 整形 医美 卫生室".split()
    ),
    "traffic": tuple(
        "车祸 交通事故 交通纠纷 肇事 被车 撞伤 撞倒 撞了 被撞 撞到 相撞 追尾 刮蹭 逃逸 撞车 碰撞 交警 事故认定 定损 车牌 "
        "小轿车 刮倒 剐蹭 出事故 出车祸 刮擦 擦碰 事故责任".split()
    ),
    "road": tuple(
        "道路 路面 破损 坑洼 井盖 路灯 积水 下水道 管网 人行道 公交站 公交线路 公交车站 红绿灯 信号灯 窨井 占道".split()
    ),
    "neighbours": tuple(
        "邻居 邻里 对门 楼上 楼下 隔壁 同村 犬只 宠物 养狗 高空抛物 杂物 楼道 堆放 违建 私搭乱建 乱搭乱建 违章建筑 采光 狗咬 被狗 彩钢房 外扩 空调外机 铁皮房 公共区域 排水沟".split()
    ),
    "land": tuple(
        "拆迁 征地 征收 补偿款 安置 宅基地 土地 承包地 棚改 棚户区 城中村 旧城改造 过渡费 回迁 强拆 搬迁 腾退 动迁 征迁 征占 青苗 占地 耕地 山林 林地 果园 界址 补偿标准".split()
    ),
    "family": tuple(
        "婚姻 离婚 赡养 抚养 探视 养老送终 家暴 家庭暴力 家庭纠纷 继承 遗产 遗嘱 彩礼 财产分割 房产归属 分家 生活费 "
        "养老钱 婆家 娘家 撵出 婚外情 前夫 前妻 家庭矛盾 家庭问题 不管老人".split()
    )
    + _BEATEN_AT_HOME,
    "injury": tuple("工伤 受伤 摔伤 骨折 打伤 殴打 打架 砸伤 烫伤 咬伤 割伤 摔倒".split()),
    "welfare": tuple(
        "社保 养老金 养老保险 低保 医保 失业金 补贴 救助 户口 落户 户籍 退休金 补助 五保 特困 优抚 社会保险 工龄 退休 断保 买断 特殊工种".split()
    ),
    "fraud": tuple("诈骗 被骗 骗走 盗窃 被盗 偷走 敲诈 骗子 传销 骗了 忽悠 骗老 刷单".split()),
    # a flat let and a loan between people (借款: a fund's is 借贷, 集资): neither a developer's nor a fund's
    "renting": tuple(
        "房东 房租 租金 退租 租赁 租客 转租 租房中介 房屋中介 二房东 承租 商铺 门市 涨租".split()
    ),
    "debt": tuple(
        "借钱 借款 欠钱 借条 欠条 借给 还钱 讨债 催债 高利贷 民间借贷 借我 借了我 向我借 向其借 借了 不还 担保 欠债 赌债".split()
    ),
    # produce a dealer or a cooperative bought from the farmers and has not paid for (菜款, 货款)
    "produce": tuple("货款 菜款 果款 瓜款 收购 收菜 农产品 合作社 农户".split()),
    # a child's school: a place, a fee, a teacher, a classmate (a training course is a consumer's purchase)
    "education": tuple(
        "学籍 转学 入学 学位 学区 划片 就读 小学 中学 幼儿园 班主任 老师 教师 体罚 欺凌 校园 课后服务 教辅 补课 校服 "
        "午托 招生 教育局".split()
    ),
    # a claim an insurer refuses or delays (the social insurances are welfare)
    "insurance": tuple("保险公司 理赔 拒赔 车险 出险 保单 投保 赔付".split()),
}
TOPICS: tuple[str, ...] = tuple(TOPIC_WORDS)
# Phrases that say a topic's word did not happen: the police's 现场无人员受伤 (nobody was hurt) names no
# injury. Found as words of their own, leftmost-longest, they hide the word inside them; they name nothing.
NEGATED_WORDS = tuple("无人员受伤 无人受伤 未造成人员受伤 未造成受伤 未受伤 没有受伤 没受伤 无受伤".split())
_TOPIC_OF = {word: topic for topic, words in TOPIC_WORDS.items() for word in words} | dict.fromkeys(
    NEGATED_WORDS, ""
)

# Matter -> the words that name it: what, inside a topic, a dispute is over (a flat's heating, its lift,
# the parking fee; a divorce, a child's support, an old parent's). One person's two disputes often share
# a topic (the heating in winter, the leaking roof in spring) and seldom a matter, while the reports of
# one dispute name its matter however they are worded. The words are those of hotline and petition work
# orders; a topic whose disputes are all over one thing (unpaid wages, a fund that stopped paying) has
# none. At most 63 matters (token_overlap gives each a bit of an int64).
MATTER_WORDS: dict[str, tuple[str, ...]] = {
    # a flat and its building
    "heating": tuple("供暖 暖气 采暖 室温 室内温度 供热 热力公司 暖气片 地暖".split()),
    "lift": tuple("电梯".split()),
    "parking": tuple("停车 车位 车库".split()),
    "leak": tuple("漏水 渗水 渗漏 返水 防水 漏雨".split()),
    "charges": tuple("上涨 涨价 乱收费 多收费 收费标准 多收费用".split()),
    "water": tuple("停水 水压 自来水 二次供水 水质".split()),
    "power": tuple("停电 电压 电费".split()),
    "gas": tuple("燃气 天然气 煤气".split()),
    "repair_fund": tuple("维修基金 维修资金".split()),
    "cleaning": tuple("保洁 清运 绿化".split()),
    "access": tuple("门禁 监控 保安".split()),
    # neighbours
    "clutter": tuple("堆放 杂物 堆物 占用楼道".split()),
    "works": tuple("装修 施工".split()),
    "pets": tuple("犬 狗 宠物".split()),
    "boundary": tuple("边界 院墙 地界".split()),
    "illegal_building": tuple("违建 违章建筑 私搭乱建 乱搭乱建 加盖 铁皮房 彩钢房".split()),
    "thrown_objects": tuple("高空抛物".split()),
    # family
    "divorce": tuple("离婚 财产分割".split()),
    "child_support": tuple("抚养 探视".split()),
    "elder_support": tuple("赡养 养老送终".split()),
    "violence": tuple("家暴 家庭暴力".split()),
    "inheritance": tuple("继承 遗产 遗嘱".split()),
    "betrothal": tuple("彩礼".split()),
    "title": tuple("房产归属 房产证 不动产证 办证 过户".split()),
    # flats sold and land taken
    "delivery": tuple("交房 延期交付 逾期交付 逾期未交付 烂尾 停工 复工".split()),
    "compensation": tuple("补偿款 补偿标准 赔偿款".split()),
    "transition": tuple("过渡费 租房补贴".split()),
    "resettlement": tuple("安置房 安置面积 回迁".split()),
    "homestead": tuple("宅基地".split()),
    # shops, schools, clinics
    "refund": tuple("退款 退费 退钱 退货 不退".split()),
    "prepaid": tuple("预付 储值 会员卡 办卡".split()),
    "quality": tuple("质量问题 质量差 不合格 假货".split()),
    "advertising": tuple("虚假宣传 夸大宣传".split()),
    "absconded": tuple("跑路 关门 人去楼空 找不到人".split()),
    "misdiagnosis": tuple("误诊 漏诊".split()),
    "infection": tuple("感染".split()),
    "aftereffects": tuple("后遗症 致残 残疾".split()),
    "death": tuple("死亡 去世 身亡".split()),
    # streets and services
    "road_damage": tuple("破损 坑洼 塌陷".split()),
    "street_lights": tuple("路灯".split()),
    "manholes": tuple("井盖".split()),
    "bus": tuple("公交站 公交线路 公交车站".split()),
    "household_register": tuple("户口 落户".split()),
    "subsistence": tuple("低保".split()),
    # what a neighbour, a shop or a site emits
    "fumes": tuple("油烟".split()),
    "dust": tuple("粉尘 扬尘".split()),
    "odour": tuple("异味 臭味 恶臭".split()),
    "square_dancing": tuple("广场舞".split()),
    # a child's school
    "enrolment": tuple("学籍 转学 入学 学位 学区 划片 招生".split()),
    "bullying": tuple("欺凌 欺负 体罚".split()),
    "canteen": tuple("食堂".split()),
}
MATTERS: tuple[str, ...] = tuple(MATTER_WORDS)
_MATTER_OF = {word: matter for matter, words in MATTER_WORDS.items() for word in words}


def _automaton(words: dict[str, str]) -> ahocorasick_rs.AhoCorasick:
    # Leftmost-longest, without overlaps: what a regex alternation with the longest word first finds
    # (养老保险, not 养老 in it), 2.5-4x faster over a million descriptions.
    return ahocorasick_rs.AhoCorasick(
        sorted(words), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, store_patterns=True
    )


_WORDS = _automaton(_TOPIC_OF)
_MATTER_WORDS = _automaton(_MATTER_OF)


def _traditional_forms(words: list[str]) -> str:
    """Every traditional character that OpenCC's table folds into a character of ``words`` (資 for 资)."""
    wanted = {char for word in words for char in word}
    return "".join(sorted(chr(t) for t, s in t2s_table().items() if s in wanted and chr(t) not in wanted))


# Folding a million descriptions to simplified characters costs more than searching them: a text is
# folded only when it holds a traditional form of some topic word's character (one character-class scan).
_TRADITIONAL = re.compile(f"[{re.escape(_traditional_forms(sorted(_TOPIC_OF)))}]")
_MATTER_TRADITIONAL = re.compile(f"[{re.escape(_traditional_forms(sorted(_MATTER_OF)))}]")


def dispute_topics(value: object) -> str | None:
    """The topics a text names, as space-separated topic names in :data:`TOPICS` order.

    Args:
        value: the complaint's description (any string; missing values give ``None``).

    Returns:
        e.g. ``"wages housing"``, or ``None`` when no topic word occurs.
    """
    return _names_in(value, _WORDS, _TRADITIONAL, _TOPIC_OF, TOPICS)


def dispute_matters(value: object) -> str | None:
    """The matters a text names (:data:`MATTER_WORDS`), as space-separated names in :data:`MATTERS` order.

    Args:
        value: the complaint's description (any string; missing values give ``None``).

    Returns:
        e.g. ``"heating"``, ``"divorce title"``, or ``None`` when no matter word occurs.
    """
    return _names_in(value, _MATTER_WORDS, _MATTER_TRADITIONAL, _MATTER_OF, MATTERS)


def _names_in(
    value: object, words: ahocorasick_rs.AhoCorasick, traditional: re.Pattern[str], name_of: dict[str, str],
    order: tuple[str, ...],
) -> str | None:  # fmt: skip
    """The names (in ``order``) of the ``words`` a text holds, space-separated; ``None`` for none."""
    if is_missing(value):
        return None
    # Simplified characters are all the words need (no NFKC or punctuation folding: no word holds
    # either); 工資 and 工资 are one word.
    text = str(value)
    if traditional.search(text):
        text = to_simplified(text)
    found = {name_of[match] for match in words.find_matches_as_strings(text)}
    return " ".join(name for name in order if name in found) or None
