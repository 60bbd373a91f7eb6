"""The person a relative or an agent files for, read from the report's words."""

from __future__ import annotations

from typing import Any

import pytest

from matching import dedupe, standardise
from matching._proxies import represented_person

from .conftest import frame, record

FILED_FOR = [
    ("信访人系当事人李博财的女儿，代为来访。反映楼顶漏水", "李博财"),
    ("来电人是当事人王芳的丈夫，反映孩子学费退款问题", "王芳"),
    ("信访人系当事人欧阳娜的委托代理人，要求处理", "欧阳娜"),
    ("代其父亲李博财反映工资拖欠问题", "李博财"),
    ("替母亲王秀英来访，反映拆迁补偿", "王秀英"),
    ("我代我爸爸张建国投诉物业", "张建国"),
    ("代李博财申请劳动仲裁", "李博财"),
    ("受李博财委托，反映工程款拖欠", "李博财"),
    ("受其父李博财的委托来访", "李博财"),
    ("委托人：李博财，诉求：退还押金", "李博财"),
    ("被代理人王芳，要求退款", "王芳"),
    ("信訪人係當事人李博財的女兒，代為來訪", "李博财"),  # traditional characters
    # A relative the report is about, in a hotline operator's or the filer's own words.
    ("来电人反映其父亲张建国在工地干活被拖欠工资", "张建国"),
    ("其哥哥（何贵杰）在建设路那家手机店做理货员，被拖欠工资近二万", "何贵杰"),
    ("我妻子范敏租的房子，房东不退押金", "范敏"),  # 租 is what she did, not her name
    ("报警人称其弟弟李明受轻伤，医药费12800元", "李明"),
    (
        "来电人黄静露反映，其弟黄瑞光住永嘉东方花园10-1-601，小区车辆在小区内被刮",
        "黄瑞光",
    ),  # 其弟: one character
    ("其妹王芳在工地干活，老板拖欠工资", "王芳"),
    ("其老婆王英在中海壹号院项目做小工，被欠5.15万元", "王英"),
    ("信访人为其丈夫张诚来访，反映交通事故赔偿", "张诚"),  # 来访 is what she did
    ("来电人姐姐刘欣霞在市妇幼妇产科治疗期间不幸去世", "刘欣霞"),  # the operator's word for the caller
    ("来电人母亲陈思燕在恒鑫私募投了94000元，现在本金也拿不回来", "陈思燕"),
    ("报警人丈夫朱敏于2022年10月购买了华湘江山樾7栋1603", "朱敏"),  # 于 is when he did it
    ("我母亲张荣自23年6月起在康聚庭院二期做钢筋工", "张荣"),  # 自 is since when
    ("来电人称其儿子阎勇振在明紫中学宿舍楼项目干塔吊司机", "阎勇振"),
    # The filer says whose relative or friend she is.
    ("我是李燕的女婿，替她反映：1月份在泰业办了健身卡花了120000", "李燕"),
    ("我是薛永强的姐姐，替他反映：盈通健身关门跑路了", "薛永强"),
    ("我是蒙美玲的女儿，二建宿舍小区，物业车被刮物业不管", "蒙美玲"),
    ("来电人系郭浩的孙子，反映汾西花园逾期交房", "郭浩"),
    ("来电人王翠兰（段保平之朋友）代为反映：段保平在通丰广场三标段务工", "段保平"),
    ("报警人杨瑞霞（雷晓峰之老伴）称雷晓峰投资被骗", "雷晓峰"),
    ("来电人徐红军（尹双喜之女婿）代为反映过渡安置费", "尹双喜"),
    ("信访人父亲苏日新的事反映：7个月前在婚纱店订套餐", "苏日新"),  # the matter is the father's
    ("李小龙父亲李永红的事反映：我在工地打工", "李永红"),
    # A petition letter: the writer names herself, then whose relative she is, in a clause of its own.
    ("尊敬的领导：我叫赵思雨，是宋霞的女儿，现代我母亲反映如下：我母亲家在双元路片区", "宋霞"),
    ("我叫于佳伟，家住平度市旧店镇，是董凤婷的丈夫，现代我爱人反映如下", "董凤婷"),
    ("各位领导：我叫杨德福，今年47岁，是刘霞的丈夫，现代我媳妇反映如下：网签备案办不下来", "刘霞"),
    ("俺叫张文军，是刘霞的丈夫，现代俺爱人反映如下：2020年8月签的购房合同", "刘霞"),  # 俺: a northern 我
    # The hotline's note at the end: the caller is the person's family (系当事人X家属).
    ("来电人反映：公司欠人民币37100元工资没发，社保也没交，系当事人贾建华家属。诉求：督促公司支付", "贾建华"),
    ("一直拖着不给，系当事人黄秀兰家属。诉求：帮忙把工钱要回来", "黄秀兰"),
    ("来访人反映补偿款没到位，其系当事人马疆生的儿子", "马疆生"),
    # The petition office's note of the visitor: whose relative, in brackets, with 系.
    ("来访人王建然，男，45岁，住开封路335号（系于家莉的儿子）。反映：其母亲在瀚海劳务承包的工地", "于家莉"),
    ("来访人周一诺，女，34岁，住金沙19-4-201（系周鹏的女儿）。反映：门口摆摊占道", "周鹏"),
    # Asking for a relative, in the north-west's words; a name of four (Tibetan, Hui); the operator's 来电系.
    ("帮我丫头韩丹霞问一下，张慧燕于2025-01-27向韩丹霞借款141000", "韩丹霞"),
    ("来电人代其女儿拉毛卓玛反映：拉毛卓玛家佳豪花园，隔壁邻居油烟问题拖了3个月", "拉毛卓玛"),
    ("受当事人德吉东智委托反映德吉东智2024年12月在昆仑家园东区买了房子", "德吉东智"),
    ("再次来电，市民来电系雷海梅的女儿反映雷海梅借给吕静3.05万元", "雷海梅"),
    ("报警人称：系沙忠财的儿子报警，沙忠财在祥和华府改造工程干活", "沙忠财"),
]
NOBODY = [
    "信访人系当事人张某的儿子，代为来访",  # a placeholder, not a name
    "一直拖着不给，系当事人王某某家属。诉求：帮忙把工钱要回来",  # a placeholder again
    "民警已对当事人进行劝导。",  # the police's parties
    "已告知当事人向相关部门反映",
    "民警为当事人双方调解",
    "代为来访。反映楼顶漏水",
    "代其父亲反映工资拖欠问题",  # the relation, no name
    "替他反映噪音问题",
    "代他人投诉",
    "当事人张三与李四发生纠纷",  # two parties to a quarrel: neither is represented
    "报警称发生纠纷",
    "当事人李博财的女儿和当事人王芳的丈夫一同来访",  # two people: whose dispute is unclear
    "其被妻子周红多次殴打",  # the relative is the other side
    "其丈夫李强经常殴打她，要求处理",
    "我爸爸与妻子王萍因离婚财产分割发生争执",
    "其与其弟弟李明发生纠纷",
    "其妻子反映汇通骨科医院诊疗过失",  # the relation, no name
    "其母亲身体不好，工资被拖欠",
    "来电人父亲在工地受伤，老板不给医药费",  # the relation, no name
    "报警人丈夫李强经常殴打她",  # the relative is the other side
    "我是张三的邻居，他家天天半夜吵",  # a neighbour: as often the other side
    "我和父亲张三的事不用你管",  # the relative is a party, not represented
    "我是坞城村的，城中村改造拆了我家的房子",
    "我是滨河城业主，19号楼2单元1101",
    "是张三的儿子打伤了我，要求赔偿",  # the relative is the other side, not whose relative she is
    "我代俺爱人反映",  # the relation in dialect, no name
    "物业称业主李四家漏水，淹了我家",  # a complainant quoting the property company: no agent filing
    "来电人反映，其子女就读于第五十二中学，因乱收费与学校产生纠纷",  # the caller's children: no name
    "",
    None,
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "expected"), FILED_FOR)
def test_the_person_filed_for_is_read_from_the_text(text: str, expected: str | None) -> None:
    assert represented_person(text) == expected


@pytest.mark.unit
@pytest.mark.parametrize("text", NOBODY)
def test_texts_that_name_no_represented_person_give_nothing(text: str | None) -> None:
    assert represented_person(text) is None


@pytest.mark.unit
def test_a_relative_filing_for_a_person_named_by_surname_and_title_names_her() -> None:
    # 系当事人黄女士家属: her surname and title, as an operator writes a caller (a placeholder, 王某某, is not)
    assert represented_person("一直拖着不给，系当事人黄女士家属。诉求：帮忙把工钱要回来") == "黄女士"


@pytest.mark.unit
def test_standardising_reads_every_text_filed_for_someone_and_only_those(settings: Any) -> None:
    # The standardiser reads only the texts holding a proxy cue (代, 替, 当事, 委托, in either script):
    # every wording above must still reach the reader, and the rest give no represented person.
    texts = [text for text, _ in FILED_FOR] + NOBODY
    rows = frame(record(f"app:{i}", name="张伟", content=text) for i, text in enumerate(texts))
    out = standardise(rows, settings)
    assert out["content_proxy"].tolist() == [True] * len(FILED_FOR) + [False] * (len(NOBODY) - 1) + [None]
    assert out["name_norm"].tolist()[: len(FILED_FOR)] == [name for _, name in FILED_FOR]
    assert set(out["name_norm"].tolist()[len(FILED_FOR) :]) == {"张伟"}


@pytest.mark.unit
def test_a_represented_person_replaces_the_filers_name_only_where_named(settings: Any) -> None:
    rows = frame([
        record("petition:1", name="李紫洁", content="信访人系当事人李博财的女儿，代为来访。楼顶漏水物业不维修"),
        record("app:2", name="李博财", content="楼顶漏水物业不维修"),
        record("app:3", name="张先生", content="楼顶漏水"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out.loc["petition:1", "name_norm"] == "李博财"
    assert out.loc["petition:1", "name_pinyin"] == out.loc["app:2", "name_pinyin"] == "liboc" + "ai"
    assert out.loc["petition:1", "name"] == "李紫洁"  # the input column is kept as sent
    assert out.loc["app:3", "name_norm"] is None and out.loc["app:3", "name_surname"] == "zhang"


@pytest.mark.unit
def test_a_proxys_own_id_number_is_not_compared(settings: Any) -> None:
    rows = frame([
        record("petition:1", name="许雨哲", id_number="11010519491231002X",
               content="信访人系当事人许成琦的儿子，代为来访。反映术后感染"),
        record("petition:2", name="许雨哲", id_number="11010519491231002X", content="反映术后感染"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out.loc["petition:1", "id_norm"] is None and not out.loc["petition:1", "id_valid"]
    assert out.loc["petition:2", "id_norm"] == "11010519491231002X" and out.loc["petition:2", "id_valid"]
    assert out["id_valid"].dtype == bool


@pytest.mark.unit
def test_a_daughter_filing_for_her_father_joins_his_case(settings: Any) -> None:
    leak = "楼顶漏水物业不维修，找物业好几次了都没人管"
    rows = frame([
        record("app:1", name="李博财", phone="13893171777", id_number="620102195704077599", address="城关区酒泉路18号盛达御园1栋3单元701室",
               category="物业纠纷", content=leak, reported_at="2026-01-04T09:00:00+08:00"),
        record("petition:2", name="李紫洁", phone="15929418662", id_number="11010519491231002X",
               address="城关区酒泉路18号盛达御园1栋3单元701室",
               category="物业纠纷", content=f"信访人系当事人李博财的女儿，代为来访。反映{leak}",
               reported_at="2026-01-04T15:00:00+08:00"),
        record("app:3", name="李紫洁", phone="15929418662", address="安宁区万新路146号",
               category="消费维权", content="健身房跑路，预付卡退款", reported_at="2026-01-05T10:00:00+08:00"),
    ])  # fmt: skip
    clusters = dict(dedupe(rows, settings).clusters.itertuples(index=False, name=None))
    assert clusters["app:1"] == clusters["petition:2"]
    assert clusters["app:3"] != clusters["petition:2"]  # her own dispute stays hers


@pytest.mark.unit
def test_a_filling_field_needs_the_columns_it_fills(settings: Any) -> None:
    from matching.settings import settings_from_dict, settings_to_dict

    data = settings_to_dict(settings)
    data["fields"] = [f for f in data["fields"] if f["standardiser"] != "person_name"]
    with pytest.raises(ValueError, match="which no earlier field writes"):
        settings_from_dict(data)


# A grid worker, a residents' committee or a mediator filing for a resident, who is often written by her
# surname only: the resident is represented, the filer's own name is not hers.
FILED_BY_AGENTS = [
    ("居委会刘娜代居民冯女士反映：征收补偿标准过低", "冯女士", "feng"),
    ("社区工作人员徐辉明代居民许先生反映：楼上漏水", "许先生", "xu"),
    ("网格员陈平庆代居民董某某反映：工资被拖欠", "董某某", "dong"),
    ("调解员徐春代居民杨阿姨反映：邻居占用楼道", "杨阿姨", "yang"),
    ("网格员陈平庆代居民小王反映：物业不作为", "小王", "wang"),
    ("社区工作人员代辖区居民老李来电：垃圾不清运", "老李", "li"),
    ("网格员黄婷英代居民余*萍反映：预付卡无法退款", "余*萍", "yu"),
    ("网格员王五代居民张建国反映：车位被占", "张建国", "zhang"),
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "expected", "surname"), FILED_BY_AGENTS)
def test_an_agent_files_for_the_resident_the_text_names(text: str, expected: str, surname: str) -> None:
    assert represented_person(text) == expected


@pytest.mark.unit
def test_a_resident_named_by_surname_replaces_the_whole_of_the_agents_name(settings: Any) -> None:
    texts = [text for text, _, _ in FILED_BY_AGENTS]
    rows = frame(
        record(f"hotline:{i}", name="刘娜", phone="025-68298316", content=text)
        for i, text in enumerate(texts)
    )
    out = standardise(rows, settings)
    assert out["content_proxy"].tolist() == [True] * len(texts)
    assert out["name_surname"].tolist() == [surname for _, _, surname in FILED_BY_AGENTS]
    # 冯女士 has no given name: the filer's 刘娜 must not stay as hers
    assert out["name_norm"].tolist() == [None] * (len(texts) - 1) + ["张建国"]


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "网格员李霞代居民反映：楼顶漏水",
        "社区代辖区住户们投诉夜间施工",
        "物业管家代业主反映电梯停运",
        "网格员张艳丽来电反映：辖区居民称王建家在楼道堆放杂物",  # relayed, no name (王建 is the other side)
        # the clerk's note of who the filer is: a grid worker, for a resident it does not name
        "信访人陈伟（男，64岁）（社区网格员）反映：聚隆鑫混凝土有限公司拖欠工人工资3.06万",
        "报警人（社区网格员）称有人通过中介在天池城小区租房，交了半年房租900元",
        "工钱1.1W没结，现在人都找不到了（社区网格员）。诉求：督促公司支付拖欠工资",
    ],
)
def test_an_agent_filing_for_residents_it_does_not_name_gives_them_no_name_of_its_own(
    text: str, settings: Any
) -> None:
    assert represented_person(text) is None
    rows = frame(
        [
            record(
                "hotline:1", name="李霞", phone="0531-68388734", id_number="37010219800101001X", content=text
            )
        ]
    )
    out = standardise(rows, settings).iloc[0]
    assert out["content_proxy"]
    assert out["name_norm"] is None and out["name_surname"] is None and out["id_norm"] is None
    assert out["phone_norm"] == "053168388734"  # the agent's line, still read (and not held against anyone)


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "恒泰时代业主集体反映房屋墙体开裂",  # 时代 is the estate's name, not an agent filing
        "来电人代女士反映：晨曦悦府交房标准与宣传不符",  # 代 is her surname
        "代其父亲李博财反映工资拖欠问题",  # a son, not an agent: his own line is the family's
        "我代表全体居民反映电梯停运",
        "楼道堆满杂物，已通知社区网格员跟进。",  # the office's action, not who filed
    ],
)
def test_texts_that_are_no_agents_report_are_not_flagged_as_one(text: str, settings: Any) -> None:
    rows = frame([record("hotline:1", name="李霞", phone="0531-68388734", content=text)])
    assert not standardise(rows, settings).iloc[0]["content_agent"]


@pytest.mark.unit
def test_one_grid_worker_filing_for_two_residents_files_two_cases(settings: Any) -> None:
    worker = {
        "name": "刘娜",
        "phone": "025-68298316",
        "address": "江宁区禄口街道永庄村七组",
        "district": "江宁区",
    }
    rows = frame([
        record("hotline:1", reported_at="2026-03-02T09:10:00+08:00", category="邻里纠纷", **worker,
               content="居委会刘娜代居民冯女士反映：其与邻居因宅基地边界发生纠纷，协商未果。诉求：请求调解。"),
        record("hotline:2", reported_at="2026-03-09T15:40:00+08:00", category="邻里纠纷", **worker,
               content="居委会刘娜代居民田女士反映：其与邻居因宅基地边界发生纠纷，协商未果。诉求：请求调解。"),
    ])  # fmt: skip
    clusters = dict(dedupe(rows, settings).clusters.itertuples(index=False, name=None))
    assert clusters["hotline:1"] != clusters["hotline:2"]


# A grid worker relaying what a resident it names told it, with no 代: the report is the resident's, the
# phone the worker's.
RELAYED_BY_AGENTS = [
    ("网格员周浩宇来电反映：辖区居民崔传军于2021年12月在鲁兴汽车销售服务有限公司买了辆车", "崔传军", "cui"),
    ("【转社区居委会】网格员张艳丽来电反映：辖区居民林昌良称王建家在楼道堆放杂物", "林昌良", "lin"),
    ("网格员于芳来电反映：辖区居民衣兆成反映其所在的幸福家园物业不公示公共收益", "衣兆成", "yi"),
    ("来电人系城北区网格员，代辖区居民刘亮反映：刘亮借给吴强10300元，拖了半年", "刘亮", "liu"),
    ("楼长李刚来电反映：本小区业主王女士称地下车库被水淹", "王女士", "wang"),
    ("居委会工作人员电话反映，居民张建国家中老人无人赡养", "张建国", "zhang"),
]


@pytest.mark.unit
def test_a_resident_a_grid_worker_relayed_joins_her_own_post(settings: Any) -> None:
    wages = "在广源承建的宏盛蓝山做装卸工，单位不签合同还扣工资，拖欠工资4000元"
    rows = frame([
        record("hotline:1", name="张霞", phone="0532-68388734", reported_at="2026-06-09T10:00:00+08:00",
               category="劳资欠薪", address="劲松七路270号海逸嘉园",
               content=f"网格员张霞来电反映：辖区居民于国庆{wages}。诉求：要求协调支付。"),
        record("app:2", name="于国庆", phone="13573266801", reported_at="2026-06-20T21:00:00+08:00",
               category="劳资欠薪", address="劲松七路270号海逸嘉园", content=f"我{wages}，希望有关部门管管"),
        record("hotline:3", name="张霞", phone="0532-68388734", reported_at="2026-06-12T10:00:00+08:00",
               category="物业纠纷", address="劲松七路270号海逸嘉园",
               content="网格员张霞来电反映：辖区居民孙秀英称物业不公示公共收益。诉求：要求公开。"),
    ])  # fmt: skip
    clusters = dict(dedupe(rows, settings).clusters.itertuples(index=False, name=None))
    assert clusters["hotline:1"] == clusters["app:2"]
    assert clusters["hotline:3"] != clusters["hotline:1"]  # the worker's line is not the residents'


# A lawyer (a firm, legal aid) filing for a client it names, in full, by surname and title or masked: the
# client is represented, and the line and id are the lawyer's.
FILED_BY_LAWYERS = [
    ("福建恒兴律师事务所律师吴浩平受江敏委托反映：在鹭岛花园项目干活，被拖欠工资3万元", "江敏", "jiang"),
    ("福建恒兴律师事务所律师吴浩平受柯炳平委托反映：其在禹州书香名邸买了房子", "柯炳平", "ke"),
    ("律师吴浩平受苏某某委托反映：其在天著买了房子，逾期交房", "苏某某", "su"),
    ("律师吴浩平受蔡*明委托反映：林工头欠其四万多", "蔡*明", "cai"),
    ("本人系浙江瓯信律师事务所律师，受谢XX委托，委托人住银泰家园26-201，小区车辆在小区内被刮", "谢XX", "xie"),
    ("江苏博远律师事务所朱晓杰律师受张军委托反映：我是新城府项目的业主", "张军", "zhang"),
    ("北京盈科（厦门）律师事务所律师张敏代理委托人陈勇反映：拖欠工资", "陈勇", "chen"),
    ("律师代当事人梁磊反映：老板陈金霞拖欠其等二三十个人工资", "梁磊", "liang"),
    ("法律援助中心代理当事人王女士申请：公司拒付工伤赔偿", "王女士", "wang"),
    ("浙江金鼎律师事务所律师邵雅琳受托反映：其当事人徐勇在中鼎劳务公司扎钢筋，工资没结", "徐勇", "xu"),
    ("律师受托反映：周某某以做生意周转为由向其当事人何女士借款396600元", "何女士", "he"),
    ("浙江良渚律师事务所律师姚雪梅来电反映：委托人孙峰买的仁和佳苑7栋2单元502逾期交房", "孙峰", "sun"),
    (
        "代理人楼建军（浙江鼎盛律师事务所律师）受陈亭委托反映：委托人陈婷2024年11月骑电瓶车被撞",
        "陈亭",
        "chen",
    ),
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "expected", "surname"), RELAYED_BY_AGENTS + FILED_BY_LAWYERS)
def test_an_agent_files_for_the_person_it_names_from_a_line_and_id_of_its_own(
    text: str, expected: str, surname: str, settings: Any
) -> None:
    # A grid worker relaying a resident, a lawyer filing for a client.
    assert represented_person(text) == expected
    rows = frame([record("petition:1", name="吴浩平", phone="15101244164", id_number="350203197512285591",
                         content=text)])  # fmt: skip
    out = standardise(rows, settings).iloc[0]
    assert out["content_proxy"] and out["content_agent"]  # the agent's line, on many people's reports
    assert out["name_surname"] == surname and out["id_norm"] is None  # the person's name; no id of hers


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "我请了律师，律师代理费花了3万元，公司还是不给",  # a complainant's own words about her lawyer
        "公司拖欠工资，律师说可以起诉",
        "律师事务所拖欠我工资两个月",  # the firm is the other side
    ],
)
def test_a_complainant_speaking_of_a_lawyer_is_no_lawyers_report(text: str, settings: Any) -> None:
    rows = frame([record("hotline:1", name="李霞", phone="13850012345", content=text)])
    out = standardise(rows, settings).iloc[0]
    assert not out["content_agent"] and not out["content_proxy"] and out["name_norm"] == "李霞"


@pytest.mark.unit
def test_one_lawyer_filing_for_two_clients_files_two_cases(settings: Any) -> None:
    lawyer = {"name": "吴浩平", "phone": "15101244164", "id_number": "350203197512285591",
              "address": "思明区前埔路459号龙山小区9号楼1602", "district": "思明区"}  # fmt: skip
    wages = "在湖里工业区的鼎盛电子厂做普工，工头拖欠工资"
    rows = frame([
        record("petition:1", reported_at="2026-03-02T09:10:00+08:00", category="劳动社保/农民工工资", **lawyer,
               content=f"福建恒兴律师事务所律师吴浩平受陈勇委托反映：其{wages}43000元。"),
        record("petition:2", reported_at="2026-03-09T15:40:00+08:00", category="劳动社保/农民工工资", **lawyer,
               content=f"福建恒兴律师事务所律师吴浩平受黄*委托反映：其{wages}38000元。"),
        record("app:3", name="陈勇", phone="13906001234", reported_at="2026-03-20T20:00:00+08:00",
               category="劳动就业", content=f"我{wages}43000元，请求尽快解决"),
    ])  # fmt: skip
    result = dedupe(rows, settings)
    clusters = dict(result.clusters.itertuples(index=False, name=None))
    assert clusters["petition:1"] != clusters["petition:2"]  # the lawyer's line and id are not the clients'
    # The client's own post is his (his name, his sum): a reviewer sees it beside the lawyer's report for him.
    decisions = {(str(p.record_id_l), str(p.record_id_r)): str(p.decision) for p in result.pairs.itertuples()}
    assert decisions[("app:3", "petition:1")] in {"merge", "review"}
    assert decisions.get(("app:3", "petition:2"), "reject") == "reject"


# Looser wordings, read where no explicit one names anyone: the client or resident opening what happened,
# a lawyer's or an agent's 当事人 / 居民, a group member filing for another member it names.
NAMED_LOOSELY = [
    ("报警人高振龙称：在工地，委托人刘先生自2025年11月5日起在华宇市政承建的国信新城项目干架子工", "刘先生"),
    ("来电人反映：委托人郑女士自2025年2月18日起在永信建设集团有限公司的工地干电焊工", "郑女士"),
    ("报警人称：2025年9月15日委托人徐佳敏在西安大路与春城大街交汇处骑电动车被撞", "徐佳敏"),
    ("【来电反映】辖区居民赵宇轩于2025年2月3日在盛隆洗浴中心办理储值卡4700元，现该店不给退款", "赵宇轩"),
    ("我是社区网格员，辖区居民冶爱琴，西川小区车位，找了鑫泰物业好几个月一直推", "冶爱琴"),  # a Hui surname
    ("来电人称：辖区居民刘雅英系临河纺织厂家属院20-6-403业主，反映物业门禁损坏", "刘雅英"),
    ("来电人（吉林昊天律师事务所）反映，当事人韩雅琴自2024-06-16起在恒通建设承建的工程干水电工", "韩雅琴"),
    (
        "信访人林艳娟（吉林宏达律师事务所）代理反映。信访人反映：当事人杨彩霞自2024年7月16日起在工地干活",
        "杨彩霞",
    ),
    ("来电人系律师，代理黄军：当事人借给张美彩的钱78.61万催了很多次不还", "黄军"),
    (
        "网格员反映，辖区居民戴超凯（住南塘小区11幢2单元402室）在立信市政工程有限公司上班，工资一直拖",
        "戴超凯",
    ),
    ("您好，社区网格员上报：居民何文新，村里拆迁拆了该居民家房子，补偿两百多万不合理", "何文新"),
    ("来电人称：来电人系罗佳月之女，代为反映：其母在新城大道附近被车撞了", "罗佳月"),
    ("报警人系潘建贵之妻，代为反映：其丈夫家住翠微大厦2-303，楼上空调外机噪音", "潘建贵"),
    ("来电人反映：同小区业主单海龙系岭东水泥厂宿舍20栋六单元404业主，反映物业楼道漏水", "单海龙"),
    ("信访人反映：同村村民王冬华系靠山屯村民，承包地14亩被征用，安置费拖欠", "王冬华"),
    ("来电人反映，同班家长徐强子女就读于长春外国语学校，因乱收费问题与学校产生纠纷", "徐强"),
    ("【来电反映】工友杨桐自5月起在广厦建设承建的力旺世纪改造工程干钢筋工，被拖欠工资17500元", "杨桐"),
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "expected"), NAMED_LOOSELY)
def test_a_looser_wording_names_the_person_the_report_is_for(text: str, expected: str) -> None:
    assert represented_person(text) == expected


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "郑豪向委托人借款五万块，一直不还",  # a party's words: the lender is the filer's client, not named
        "我和工友张三在工地干活，老板拖欠工资",  # the filer works there too: his own dispute
        "工友等人自2025年2月27日起在盛隆建设承建的项目干厨师，工资没给",  # the group, no one named
        "邻居张三在楼道堆放杂物",  # a neighbour is the other side
        "当事人张三与李四发生纠纷，民警到场调解",  # the police's parties, no lawyer filing
    ],
)
def test_a_party_or_the_filers_group_named_loosely_is_no_one_filed_for(text: str, settings: Any) -> None:
    assert represented_person(text) is None
    rows = frame([record("hotline:1", name="李霞", phone="13850012345", content=text)])
    out = standardise(rows, settings).iloc[0]
    assert not out["content_proxy"] and not out["content_agent"] and out["name_norm"] == "李霞"


@pytest.mark.unit
def test_a_worker_filing_for_two_workmates_from_his_phone_files_two_cases(settings: Any) -> None:
    # One worker calls for each of his workmates: the sums are near (a group's members earn alike), the phone
    # is his; each workmate's dispute is her own, and his line says nothing of whose it is.
    worker = {"name": "高丽华", "phone": "15288055960", "address": "长影春天小区", "district": "朝阳区"}
    site = "在盛隆建设集团有限公司承建的长影春天花园项目干厨师，干了七个月，至今被拖欠工资"
    rows = frame([
        record("hotline:1", reported_at="2025-03-25T10:10:00+08:00", category="劳资纠纷", **worker,
               content=f"来电人反映：工友杨桐自2024年8月起{site}12100元。诉求：尽快结清"),
        record("hotline:2", reported_at="2025-03-27T15:40:00+08:00", category="劳资纠纷", **worker,
               content=f"来电人反映：工友王冬梅自2024年8月起{site}12600元。诉求：尽快结清"),
        record("hotline:3", reported_at="2025-04-08T09:00:00+08:00", category="劳资纠纷", **worker,
               content=f"来电人反映：工友杨桐自2024年8月起{site}12100元，再次来电。诉求：尽快结清"),
    ])  # fmt: skip
    out = standardise(rows, settings)
    assert out["content_agent"].tolist() == [True, True, True]
    clusters = dict(dedupe(rows, settings).clusters.itertuples(index=False, name=None))
    assert clusters["hotline:1"] != clusters["hotline:2"]
    assert clusters["hotline:1"] == clusters["hotline:3"]
