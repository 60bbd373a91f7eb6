"""What a complaint is about, from its words, whichever category its channel filed it under."""

from __future__ import annotations

import pytest

from matching._topics import MATTER_WORDS, MATTERS, TOPICS, dispute_matters, dispute_topics


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "topics"),
    [
        pytest.param("报警称劳资纠纷", "wages", id="police terse wages"),
        pytest.param("旁边工地半夜还在施工，渣土车轰轰的，天天晚上睡不着", "noise", id="渣土车 睡不着"),
        pytest.param("早市凌晨四点多就开始卸货吆喝，严重影响附近居民休息", "noise", id="影响休息"),
        pytest.param("与装修公司签订装修合同，已付款7.3万元，对方收款后停工", "consumer", id="装修合同"),
        pytest.param("王红借我27万多，三个多月了不还，打电话不接", "debt", id="借我 不还"),
        pytest.param("马老板在村里收购百合，说好一周结账，拖欠其货款11800块", "produce", id="收购 货款"),
        pytest.param("合作社收了四十多户农户的花菜，菜款一直不给", "produce", id="合作社 菜款"),
        pytest.param("公司自其入职以来未为其缴纳社会保险", "welfare", id="社会保险"),
        pytest.param("被一辆小轿车刮了，对方车牌陕AYMXZF", "traffic", id="小轿车 车牌"),
        # Words of other cities' clerks and citizens, not of our simulator's templates.
        pytest.param("公司连续两个月欠发薪酬", "wages", id="欠发 薪酬"),
        pytest.param("单位解除劳动合同不给经济补偿", "wages", id="经济补偿"),
        pytest.param("楼盘到期不交付,业主维权", "housing", id="楼盘"),
        pytest.param("车位被人长期占用", "property", id="车位"),
        pytest.param("快递丢件,网购的东西不赔", "consumer", id="快递 网购"),
        pytest.param("热力公司供热不达标，家里冰冷", "property", id="供热: another city's word for 供暖"),
        pytest.param("小区楼道里堆放大量杂物", "neighbours", id="楼道 堆放"),
        pytest.param("理财平台爆雷，本息无法兑付", "investment", id="爆雷"),
        pytest.param("在超市买到变质的牛奶", "consumer", id="变质"),
        pytest.param("交警出具了事故认定书，对方不赔", "traffic", id="交警 事故认定"),
        pytest.param("患者在卫生院输液后出现过敏", "medical", id="患者 卫生院"),
        pytest.param("工头带着我们干了半年，工友们都没拿到钱", "wages", id="工头 工友"),
        pytest.param("某某置业公司的楼盘墙体开裂", "housing", id="置业 墙体开裂"),
        pytest.param("工厂排放黑烟，气味刺鼻", "pollution", id="黑烟 刺鼻"),
        pytest.param("低保和五保的补助一直没发", "welfare", id="五保 补助"),
        pytest.param("租的房子房东突然要收回,押金也不退", "consumer renting", id="a landlord"),
        pytest.param("借给朋友五万块钱,打了借条至今不还", "debt", id="a loan between friends"),
        pytest.param("一家人在外面租房子住,过渡费停发", "land", id="renting while resettled is land"),
        pytest.param("包工头拖欠我们三个月工钱", "wages", id="工钱"),
        pytest.param("举报拖欠农民工工资,我的工资4万多元到现在没发", "wages", id="app wages"),
        pytest.param("远宇家园到现在都不交房!我们每个月还在还房贷", "housing", id="undelivered flat"),
        pytest.param("供暖温度不达标,室内只有14度,多次联系物业未解决", "property", id="heating"),
        pytest.param("家门口的餐馆白天噪音太严重了", "noise", id="noise"),
        pytest.param("饭店油烟直排,异味很大", "pollution", id="cooking fumes"),
        pytest.param("天宇投资涉嫌非法集资,其投资血本无归", "investment", id="illegal fund-raising"),
        pytest.param("培训学校拒不退款,8000块", "consumer", id="refund"),
        pytest.param("在西固区人民医院妇产科手术后多收费用", "medical", id="hospital"),
        pytest.param("报警称被车撞伤,腿部骨折", "traffic injury", id="traffic with an injury"),
        # The police's 现场无人员受伤 says nobody was hurt: no injury, whatever else the text is about.
        pytest.param("事主称女方家不退还彩礼7.11万，现场无人员受伤。", "family", id="nobody hurt"),
        pytest.param("双方发生口角，未造成人员受伤", None, id="no one hurt, nothing else"),
        pytest.param("工人从脚手架摔伤，现场无人员受伤的说法不实", "injury", id="a fall, and a negation"),
        pytest.param("小区门口道路破损,请相关部门管一下", "road", id="road damage"),
        pytest.param("邻里纠纷,现场已调解", "neighbours", id="police terse neighbours"),
        pytest.param("拆迁补偿款至今未发放", "land", id="demolition compensation"),
        pytest.param("离婚后对方不给抚养费", "family", id="family"),
        pytest.param("退休后养老金一直没有到账", "welfare", id="pension"),
        pytest.param("网上被骗走两万元", "fraud", id="fraud"),
        pytest.param("开发商停工,工人工资也没发,买的房子交不了房", "wages housing", id="two topics"),
        # The words a citizen uses for one dispute that a clerk or the police file under a broader heading:
        # each must name the heading's topic too, or the two reports look like two disputes.
        pytest.param("我在路口被一辆货车撞了,头部受伤", "traffic injury", id="hit by a lorry"),
        pytest.param("过马路时被撞到,对方跑了", "traffic", id="hit crossing the road"),
        pytest.param(
            "同村村民通行道路被占都8个月了", "road neighbours", id="a fellow villager blocks the path"
        ),
        pytest.param("同村村民宅基地边界纠纷", "neighbours land", id="a fellow villager's boundary"),
        pytest.param("同村村民饲养犬只扰民", "noise neighbours", id="a fellow villager's dogs"),
        pytest.param("有人高空抛物,砸坏了车", "neighbours", id="thrown objects"),
        pytest.param("楼道里杂物堆了半年", "neighbours", id="clutter in the stairwell"),
        pytest.param("西滩改造项目过渡费已停发多月", "land", id="transition allowance"),
        pytest.param("城中村改造后一直没有回迁", "land", id="urban village, no return"),
        pytest.param("公交站点取消,出行不便", "road", id="bus stop"),
        pytest.param("户口迁移办理难", "welfare", id="household register"),
        # A matter's own words name its topic (家庭暴力 as 家暴), and so do a police line's terse headings.
        pytest.param("丈夫长期家庭暴力", "family", id="家庭暴力"),
        pytest.param("与儿子因房产归属问题发生纠纷", "family", id="who owns the family's flat"),
        pytest.param("离婚时财产分割不公", "family", id="财产分割"),
        pytest.param("父亲去世后兄弟争遗产", "family", id="遗产"),
        pytest.param("报警称德天健身虚假宣传", "consumer", id="a gym's false advertising"),
        pytest.param("投诉诚昌装饰公司虚假宣传,涉及装修工程费用2.21万块", "consumer", id="a decorator"),
        pytest.param("心内科检查后导致术后感染,要求卫健部门调查", "medical", id="术后 卫健"),
        pytest.param("室内温度只有12度", "property", id="室内温度"),
        pytest.param("报警求助,称有交通纠纷", "traffic", id="police: 交通纠纷"),
        pytest.param("医患纠纷,现场已调解", "medical", id="police: 医患纠纷"),
        pytest.param("报警称业主在售楼部聚集维权", "housing", id="police: buyers at the sales office"),
        pytest.param("楼上装修施工噪音", "noise neighbours", id="renovation noise is no consumer dispute"),
        pytest.param("报警称被前夫打了", "family", id="police: beaten by her ex-husband"),
        # Disputes other cities' data are full of and our simulator never writes: a child's school, an
        # insurer's refusal, a shop's deposit; and the everyday words of the topics we had.
        pytest.param(
            "来电人称其孩子学区划片在实验小学，但学校以租房不算为由拒收", "education", id="学区 划片"
        ),
        pytest.param("孩子在幼儿园被同学欺凌，老师处理不当", "education", id="欺凌 幼儿园"),
        pytest.param("市民反映洋下小学违规收取课后服务费用三千多块", "education", id="课后服务"),
        pytest.param("人保保险拒赔其车险理赔款11100元", "insurance", id="拒赔 车险"),
        pytest.param("在4S店买车收了定金不发货，不给退", "consumer", id="定金 不发货"),
        pytest.param("被养生馆忽悠买了41000元的保健品", "consumer fraud", id="保健品 忽悠"),
        pytest.param("在文化路中段被货车刮倒，双方就赔偿问题发生争执", "traffic", id="刮倒"),
        pytest.param("社区卫生服务中心过度检查，要求鉴定", "medical", id="过度检查"),
        pytest.param("村镇银行存款无法取出", "investment", id="存款 取不出"),
        pytest.param("养老服务案已立案一年，退赔进展缓慢", "investment", id="退赔"),
        pytest.param("其为蒲东小区动迁户，面积认定少算了", "land", id="动迁"),
        pytest.param("隆基物流园征占其家4亩地，青苗补偿也没给", "land", id="征占 青苗"),
        pytest.param("子女不给生活费，小儿子拿走养老钱", "family", id="生活费 养老钱"),
        pytest.param("我在冶炼厂干了二十多年，工龄认定少算了，办退休卡住了", "welfare", id="工龄 退休"),
        pytest.param("我给他做担保，现在人跑了要我还29900元", "debt", id="担保"),
        pytest.param("来电人承租商铺经营，对方突然涨租", "renting", id="承租 涨租"),
        pytest.param("搬货时砸伤脚面，老板说没给上保险", "injury", id="砸伤"),
        pytest.param("改造后屋顶漏雨，自来水发黄", "property", id="漏雨 自来水"),
        pytest.param("外卖骑手送餐超时被克扣工资", "wages", id="骑手 克扣"),
        pytest.param("其与张某某系朋友关系，对方借款3500元不还", "debt", id="a loan between friends: 借款"),
        pytest.param("网络借贷平台逾期，本金无法兑付", "investment", id="a lending platform"),
        pytest.param("其车与琼ATF42U发生刮擦，双方就赔偿17.2万元协商不成", "traffic", id="刮擦"),
        pytest.param("驾车行至华山二路路口，对事故责任认定有异议", "traffic", id="事故责任"),
        pytest.param("其家和杨某某家因空调外机对着窗户闹矛盾", "neighbours", id="空调外机"),
        pytest.param("许某家在公共区域搭建铁皮房，严重影响其家生活", "neighbours", id="公共区域 铁皮房"),
        pytest.param("来电人家和曾某某家因共用排水沟被堵闹矛盾", "neighbours", id="排水沟"),
        pytest.param("在中鲁海鲜吃饭，海鲜按个算钱被坑，结账1150块", "consumer", id="被坑"),
        pytest.param("景区饭店宰客，一盘虾要了八百", "consumer", id="宰客"),
        pytest.param("儿女杨兰不管老人，生病了也不来看", "family", id="不管老人"),
        pytest.param("征收的补偿标准太低，跟别人家不一样", "land", id="补偿标准"),
        pytest.param(
            "在西域新城那边的工地干木工，天雪建筑欠38100块钱，十个月了", "wages", id="a trade: 木工"
        ),
        pytest.param("跟着包工队扎钢筋，一万多到现在没结", "wages", id="a trade: 扎钢筋"),
        pytest.param("我在润丰电器流水线上装配，工钿31500块到现在没结清", "wages", id="Wu: 工钿"),
        pytest.param("蔡伟去年10月向其借了7800元，说5个月还，现在人跑了", "debt", id="向其借"),
        pytest.param("报警称经济纠纷", None, id="police: 经济纠纷 names no one topic"),
        pytest.param("纠纷求助", None, id="no topic"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_dispute_topics(text: str | None, topics: str | None) -> None:
    assert dispute_topics(text) == topics


@pytest.mark.unit
def test_every_topic_is_named_and_ordered() -> None:
    assert len(set(TOPICS)) == len(TOPICS) <= 63  # token_overlap gives each a bit of an int64


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "topics"),
    [
        pytest.param("報警稱勞資糾紛", "wages", id="traditional police line"),
        pytest.param("開發商逾期交房，工資也沒發", "wages housing", id="traditional, two topics"),
        pytest.param("ＡＰＰ反映：小区供暖不达标", "property", id="full-width latin and punctuation"),
    ],
)
def test_dispute_topics_in_traditional_characters(text: str, topics: str) -> None:
    assert dispute_topics(text) == topics


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "matters"),
    [
        pytest.param("供暖温度不达标,室内温度只有12度", "heating", id="heating, hotline"),
        pytest.param("家里暖气一点都不热,找物业好几次了", "heating", id="heating, app"),
        pytest.param("电梯长期故障停运,老人上下楼困难", "lift", id="lift"),
        pytest.param("物业乱收停车费", "parking", id="parking fee"),
        pytest.param("小区车位被外来车辆长期占用", "parking", id="parking space"),
        pytest.param("楼顶漏水物业不维修", "leak", id="leaking roof"),
        pytest.param("顶楼渗水好几天了", "leak", id="seeping"),
        pytest.param("物业费无故上涨", "charges", id="fee rise"),
        pytest.param("自来水水压低,高层用不上水", "water", id="water pressure"),
        pytest.param("小区经常停电", "power", id="power cuts"),
        pytest.param("燃气开通缓慢", "gas", id="gas"),
        pytest.param("楼道堆放杂物,存在消防隐患", "clutter", id="clutter"),
        pytest.param("楼上住户装修噪音", "works", id="renovation noise"),
        pytest.param("邻居饲养犬只扰民", "pets", id="dogs"),
        pytest.param("同村村民宅基地边界纠纷", "boundary homestead", id="homestead boundary"),
        pytest.param("隔壁私搭乱建,挡住采光", "illegal_building", id="illegal building"),
        pytest.param("钟某某家在公共区域搭建铁皮房", "illegal_building", id="illegal building: 铁皮房"),
        pytest.param("与妻子因离婚财产分割产生矛盾", "divorce", id="divorce"),
        pytest.param("前夫拒不支付抚养费", "child_support", id="child support"),
        pytest.param("儿子拒绝赡养老人", "elder_support", id="elder support"),
        pytest.param("丈夫长期家庭暴力", "violence", id="domestic violence"),
        pytest.param("父亲去世后兄弟争遗产", "inheritance death", id="inheritance"),
        pytest.param("报警称被儿媳打了", None, id="a blow at home: over a divorce, a flat, an old parent"),
        pytest.param("男方要求退还彩礼", "betrothal", id="bride price"),
        pytest.param("开发商逾期交房,房产证也办不下来", "title delivery", id="flat and deed"),
        pytest.param("项目停工,至今未复工", "delivery", id="stalled project"),
        pytest.param("拆迁补偿款未足额到位", "compensation", id="compensation"),
        pytest.param("过渡费已停发多月", "transition", id="transition allowance"),
        pytest.param("安置房至今未交付", "resettlement", id="resettlement flat"),
        pytest.param("健身房拒不退款", "refund", id="refund"),
        pytest.param("办的会员卡用不了,商家跑路了", "prepaid absconded", id="prepaid card, shop gone"),
        pytest.param("买的冰箱有质量问题不给处理", "quality", id="faulty goods"),
        pytest.param("培训学校虚假宣传", "advertising", id="false advertising"),
        pytest.param("孩子在医院被误诊", "misdiagnosis", id="misdiagnosis"),
        pytest.param("手术后伤口感染", "infection", id="infection"),
        pytest.param("治疗后留下后遗症", "aftereffects", id="after-effects"),
        pytest.param("小区门口道路破损", "road_damage", id="broken road"),
        pytest.param("路灯长期不亮", "street_lights", id="street lights"),
        pytest.param("公交站点取消,出行不便", "bus", id="bus stop"),
        pytest.param("与一辆公交车发生交通事故", None, id="a bus in an accident is no bus service"),
        pytest.param("户口迁移办理难", "household_register", id="household register"),
        pytest.param("低保申请未批", "subsistence", id="subsistence allowance"),
        pytest.param("烧烤店油烟直排", "fumes", id="fumes"),
        pytest.param("工地扬尘严重", "dust", id="dust"),
        pytest.param("洗车店每天晚上异味严重", "odour", id="odour"),
        pytest.param("广场舞音响太吵", "square_dancing", id="square dancing"),
        pytest.param("孩子学籍问题无法转学", "enrolment", id="enrolment"),
        pytest.param("老师体罚学生", "bullying", id="a teacher's punishment"),
        pytest.param("学校食堂卫生差", "canteen", id="canteen"),
        pytest.param("改造后屋顶漏雨", "leak", id="rain through the roof"),
        pytest.param("拖欠农民工工资", None, id="wages: one matter, none named"),
        pytest.param("报警称与妻子发生家庭纠纷", None, id="police line, no matter"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_dispute_matters(text: str | None, matters: str | None) -> None:
    assert dispute_matters(text) == (
        None if matters is None else " ".join(m for m in MATTERS if m in matters.split())
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "matters"),
    [
        pytest.param("供暖溫度不達標", "heating", id="traditional heating"),
        pytest.param("電梯長期故障停運", "lift", id="traditional lift"),
        pytest.param("拒不支付撫養費", "child_support", id="traditional child support"),
    ],
)
def test_dispute_matters_in_traditional_characters(text: str, matters: str) -> None:
    assert dispute_matters(text) == matters


@pytest.mark.unit
def test_every_matter_has_its_own_words() -> None:
    assert len(set(MATTERS)) == len(MATTERS) <= 63  # token_overlap gives each a bit of an int64
    words = [word for matter in MATTERS for word in MATTER_WORDS[matter]]
    assert all(MATTER_WORDS[matter] for matter in MATTERS)
    assert len(words) == len(set(words))  # a word names one matter


@pytest.mark.unit
def test_heating_said_as_供热_is_the_heating_matter() -> None:
    # 供热 and 热力公司 are the heating of cities whose clerks do not write 供暖.
    assert dispute_matters("热力公司供热不达标") == dispute_matters("供暖不达标") == "heating"
