"""Content templates: how each channel's writer words a dispute of each category.

Styles: ``formal`` (petition registrar's summary), ``operator`` (12345 operator's long summary),
``terse`` (110 dispatcher's one-liner) and ``citizen`` (what a person types in the app).
Placeholders are the dispute's facts (:mod:`simulators.facts`) plus ``area`` (district),
``peers`` (``等15人`` for group disputes, else empty) and ``amount`` (rendered per style).
"""

from __future__ import annotations

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "劳资欠薪": {
        "formal": (
            "反映{org}拖欠其{period}{job}工资{amount}问题，经多次讨要未果，请求协调解决。",
            "信访人{peers}称其在{project}从事{job}工作，{org}（负责人{boss}）拖欠其{period}工资{amount}至今未付，要求依法支付。",
            "反映在{project}务工期间，包工头{boss}及{org_short}拖欠工资{amount}，要求尽快兑付。",
        ),
        "operator": (
            "来电人反映：其在{area}{project}做{job}，{org}拖欠其{period}工资共计{amount}，负责人{boss}一直推脱，来电人多次讨要无果。诉求：尽快结清工资。",
            "来电人反映{project}的{org_short}拖欠其{period}的工资{amount}，其为{job}，现联系不上负责人{boss}，来电人情绪激动，要求相关部门尽快协调支付。",
            "市民来电反映：其于{period}在{project}务工，至今被拖欠工资{amount}未发放，用工单位为{org}。来电人希望劳动监察部门介入处理。",
        ),
        "terse": (
            "报警称被拖欠工资",
            "报警称在{project}干活被拖欠工资{amount}",
            "报警人称{boss}欠其工资不给",
            "报警称{org_short}拖欠工资，现场有纠纷",
        ),  # fmt: skip
        "citizen": (
            "我在{project}干{job}，{period}的工资一直没给，{org_short}说没钱，一共欠了{amount}，马上过年了，希望领导帮忙要回血汗钱！",
            "{org_short}拖欠工资{amount}，找了{boss}好多次都推脱，我们农民工太难了，请政府帮帮我们",
            "举报{project}拖欠农民工工资，我{period}的工资{amount}到现在没发",
        ),
    },
    "逾期交房": {
        "formal": (
            "反映其购买的{org}开发的{project}{house}房屋，合同约定{due}交房，至今逾期未交付，要求开发商按约交房并承担违约责任。",
            "信访人{peers}反映{project}项目停工，{org}逾期未交房，其已付房款{amount}，请求政府督促开发商复工交房。",
        ),
        "operator": (
            "来电人反映：其于{buy_year}年购买了{area}{project}{house}的房子，已付房款{amount}，合同约定{due}交房，现项目停工，开发商{org_short}一直不给说法。诉求：尽快复工交房。",
            "业主来电反映{project}逾期交房问题，开发商为{org}，约定交房时间为{due}，至今未交付，来电人房号{house}，要求相关部门督促处理。",
        ),
        "terse": ("报警称{project}业主在售楼部聚集维权", "报警称开发商逾期不交房", "报警称{project}交房纠纷"),
        "citizen": (
            "{project}到现在都不交房！合同写的{due}交房，现在工地上一个人都没有，我们每个月还在还房贷，希望政府管管{org_short}！",
            "我是{project}的业主，{house}，房款{amount}都交了，开发商一拖再拖，请求帮助",
        ),
    },
    "拆迁安置": {
        "formal": (
            "反映{project}拆迁安置问题，其房屋面积{area_m2}平方米，{sign_year}年签订安置协议后{issue}，要求落实安置政策。",
            "信访人{peers}反映{org}在{project}中{issue}，涉及补偿款{amount}，请求依法解决。",
        ),
        "operator": (
            "来电人反映：其家房屋属于{project}拆迁范围，{sign_year}年已签协议并搬离，现{issue}，多次找{org}未得到答复。诉求：尽快落实安置。",
            "来电人反映{area}{project}的拆迁问题，{issue}，其房屋{area_m2}平方米，补偿款{amount}，请相关部门核实。",
        ),
        "terse": ("报警称因拆迁补偿问题发生纠纷", "报警称{project}拆迁现场有纠纷"),
        "citizen": (
            "我家是{project}的拆迁户，{sign_year}年就签了协议，{issue}，现在一家人在外面租房子住，希望政府给个说法。",
            "{project}{issue}，我们等了好几年了，请领导关注",
        ),
    },
    "投资受损": {
        "formal": (
            "反映其于{invest_date}投资{org}“{product}”{amount}，承诺{rate}收益，现公司无法兑付，要求追回本金。",
            "信访人{peers}反映{org}以高息为诱饵吸收公众资金，其投入{amount}无法取回，请求依法处理。",
        ),
        "operator": (
            "来电人反映：其于{invest_date}在{org_short}购买了“{product}”理财产品，金额{amount}，承诺{rate}，现在到期无法兑付，公司人员联系不上。诉求：追回投资款。",
            "来电人反映{org}涉嫌非法集资，其投资{amount}血本无归，希望相关部门立案调查。",
        ),
        "terse": ("报警称投资被骗{amount}", "报警称{org_short}理财无法兑付", "报警称被骗投资款"),
        "citizen": (
            "{org_short}的“{product}”说好{rate}，我{invest_date}投了{amount}，现在人跑了，钱一分都拿不回来，请政府帮帮我们老百姓！",
            "举报{org}非法集资，我投了{amount}，公司已经关门了",
        ),
    },
    "物业纠纷": {
        "formal": (
            "反映{project}物业公司{org}服务不到位，{issue_text}，要求督促整改。",
            "信访人{peers}反映其居住的{project}{house}{issue_text}，物业公司推诿，请求协调解决。",
        ),  # fmt: skip
        "operator": (
            "来电人反映：其居住的{area}{project}{house}{issue_text}，多次联系{org_short}未解决。诉求：尽快处理。",
            "来电人反映{project}小区{issue_text}，物业{org_short}不作为，请相关部门督促。",
        ),
        "terse": ("报警称与物业发生纠纷", "报警称因{issue_short}与物业争吵"),
        "citizen": (
            "{project}{issue_text}，找物业好几次了都没人管，交了物业费就是这种服务？",
            "我家在{project}{house}，{issue_text}，希望相关部门管一管{org_short}",
        ),  # fmt: skip
    },
    "医疗纠纷": {
        "formal": (
            "反映其于{date}在{org}{dept}进行{treatment}后{outcome}，认为医院存在过错，要求赔偿{amount}。",
        ),
        "operator": (
            "来电人反映：其于{date}在{org}{dept}{treatment}，之后{outcome}，与医院协商无果。诉求：医院给予合理赔偿。",
            "来电人反映{org}{dept}在其{treatment}过程中存在问题，导致{outcome}，要求卫健部门调查。",
        ),  # fmt: skip
        "terse": ("报警称在{org}发生医疗纠纷", "报警称与医院因治疗问题发生纠纷"),
        "citizen": ("{date}在{org}{dept}{treatment}，结果{outcome}，医院态度很差不给解决，要求赔偿{amount}",),
    },
    "交通事故": {
        "formal": ("反映{date}在{loc}被{other}撞伤，{injury}，对方（车牌{plate}）拒不赔偿，要求依法处理。",),
        "operator": (
            "来电人反映：{date}在{loc}与{other}（车牌{plate}）发生交通事故，造成{injury}，对方拒绝赔偿{amount}。诉求：尽快处理赔偿。",
        ),
        "terse": ("报警称{loc}发生交通事故", "报警称被车撞伤，{injury}", "报警称交通事故赔偿纠纷"),
        "citizen": ("{date}我在{loc}被{other}撞了，{injury}，车牌{plate}，到现在对方一分钱都不赔",),
    },
    "邻里纠纷": {
        "formal": ("反映与{rel}因{issue}问题长期发生矛盾，已持续{months}个月，要求协调解决。",),
        "operator": (
            "来电人反映：其{rel}{issue}，已经{months}个月了，多次沟通无果，社区调解未成功。诉求：相关部门协调处理。",
            "来电人反映与{rel}因{issue}产生纠纷，对方态度恶劣，希望社区介入调解。",
        ),  # fmt: skip
        "terse": ("报警称与{rel}发生纠纷", "报警称因{issue}与邻居吵架", "邻里纠纷"),
        "citizen": ("{rel}{issue}都{months}个月了，说了好多次也不改，实在受不了了，希望社区来管一下",),
    },
    "婚姻家庭": {
        "formal": ("反映与{party}因{issue}问题发生纠纷，要求依法处理。",),
        "operator": (
            "来电人反映：其与{party}因{issue}产生矛盾，共同生活{years}年，现协商不成。诉求：寻求调解帮助。",
        ),
        "terse": ("报警称家庭纠纷", "报警称与{party}发生家庭纠纷", "报警称被{party}打了"),
        "citizen": ("我和{party}因为{issue}闹矛盾，{years}年了，想请妇联或者社区帮忙调解",),
    },
    "消费维权": {
        "formal": ("反映{date}在{org}购买{product}，花费{amount}，现商家{issue}，要求退款。",),
        "operator": (
            "来电人反映：其于{date}在{org}办理了{product}，金额{amount}，现商家{issue}。诉求：退还费用。",
            "来电人投诉{org}{issue}，涉及{product}费用{amount}，要求市场监管部门处理。",
        ),  # fmt: skip
        "terse": ("报警称与商家发生消费纠纷", "报警称{org}{issue}"),
        "citizen": (
            "{org}{issue}！我{date}花了{amount}办的{product}，现在找不到人，大家不要上当",
            "投诉{org}，{product}{issue}，{amount}",
        ),  # fmt: skip
    },
    "环境污染": {
        "formal": ("反映住所附近{org}{source}扰民问题，严重影响生活，要求予以整治。",),
        "operator": ("来电人反映：其住所附近的{org}{when}{source}严重，影响居民休息。诉求：相关部门查处。",),
        "terse": ("报警称{org}{source}扰民",),
        "citizen": (
            "家门口的{org}{when}{source}太严重了，老人孩子都受不了，投诉好多次了没人管！",
            "举报{org}{source}污染",
        ),  # fmt: skip
    },
    "其他": {
        "formal": ("反映{issue}问题，要求相关部门予以解决。",),
        "operator": ("来电人反映：{issue}，希望相关部门尽快处理。",),
        "terse": ("报警称{issue}",),
        "citizen": ("{issue}，请相关部门管一下",),
    },
}

OPERATOR_TAILS: tuple[str, ...] = (
    "",
    "请相关部门核实处理。",
    "请相关单位核实处理并回复来电人。",
    "来电人要求回复。",
)
FORMAL_TAILS: tuple[str, ...] = ("", "", "信访人表示如不解决将继续上访。", "信访人情绪激动。")

# Simplified -> traditional for the characters of these templates (a registrar's old input method).
TRADITIONAL = str.maketrans(
    "资题问请协调决经讨门务动劳筑项负责认为医疗赔偿购买开发约违从业迁补签订议后现无还东区县镇阳兰园华书费钱给实这个时间对说没处应该楼单层长场厂车伤损环声邻乱护导帮农乐诉达与进让们将继续访属关电话过难权结诚证据办纠纷强损",
    "資題問請協調決經討門務動勞築項負責認為醫療賠償購買開發約違從業遷補簽訂議後現無還東區縣鎮陽蘭園華書費錢給實這個時間對說沒處應該樓單層長場廠車傷損環聲鄰亂護導幫農樂訴達與進讓們將繼續訪屬關電話過難權結誠證據辦糾紛強損",
)
