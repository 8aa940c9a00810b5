"""The national code tables of SF/T 0015 (社区矫正基础业务系统技术规范) and the code of each of our choices.

The tables follow the 2017 edition's clause numbers (SF/T 0015-2017 §9.x, as implemented by provincial
platforms); the 2021 edition may renumber them. Where the 2020 Community Corrections Law and its
Measures added values the 2017 tables do not have (训诫, 表扬, 提请逮捕, 赦免, 经常性跨市县活动 …), the
value carries the code 99 (其他) or a code of our own marked ``extension=True``, and the table's notes
say so: a receiving platform that knows only the 2017 tables still reads a valid code.

Our stored values never change; exchange files carry the national codes (``national_code``) and are
read back with ``our_value``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    value: str  # our stored value ("probation")
    code: str  # the national code ("02")
    name: str  # the national name ("缓刑")
    extension: bool = False  # True: a 2020-law value not in the 2017 table


@dataclass(frozen=True)
class CodeTable:
    key: str
    clause: str
    title: str
    codes: tuple[Code, ...]
    notes: str = ""

    def code_of(self, value: str) -> str:
        for code in self.codes:
            if code.value == value:
                return code.code
        raise KeyError(f"{self.key}: no national code for {value!r}")

    def value_of(self, code: str) -> str:
        for entry in self.codes:
            if entry.code == code:
                return entry.value
        raise KeyError(f"{self.key}: unknown national code {code!r}")

    @property
    def national_codes(self) -> list[str]:
        return sorted({code.code for code in self.codes})


TABLES: dict[str, CodeTable] = {}


def _table(key: str, clause: str, title: str, codes: list[tuple[str, str, str] | tuple[str, str, str, bool]],
           notes: str = "") -> CodeTable:  # fmt: skip
    table = CodeTable(key, clause, title, tuple(Code(*entry) for entry in codes), notes)
    TABLES[key] = table
    return table


SENTENCE_TYPE = _table(
    "sentence_type",
    "9.17",
    "矫正类别",
    [("control", "01", "管制"), ("probation", "02", "缓刑"), ("parole", "03", "假释"),
     ("outside_prison", "04", "暂予监外执行")],
)  # fmt: skip
SUPERVISION_LEVEL = _table(
    "supervision_level",
    "9.54",
    "管理级别",
    [("lenient", "1", "宽松"), ("standard", "2", "普通"), ("strict", "3", "严格")],
    notes="省级规范多称宽管、普管、严管，编码相同。",
)
DECIDING_ORGAN = _table(
    "deciding_organ",
    "9.55",
    "社区矫正决定机关",
    [("court", "01", "人民法院"), ("police", "02", "公安机关"), ("prison", "03", "监狱管理机关")],
)
COMMISSIONING_ORGAN = _table(
    "commissioning_organ",
    "9.55",
    "调查评估委托机关",
    [("court", "01", "人民法院"), ("police", "02", "公安机关"), ("prison", "03", "监狱管理机关"),
     ("procuratorate", "99", "人民检察院（其他）", True)],
    notes="2017年表只列决定机关；2020年《实施办法》第十二条及部分省细则允许人民检察院委托调查评估，以99（其他）交换。",
)  # fmt: skip
PERSON_TYPE = _table(
    "person_type", "9.8", "拟适用社区矫正人员类型", [("defendant", "01", "被告人"), ("convict", "02", "罪犯")]
)
INVESTIGATION_OPINION = _table(
    "investigation_opinion", "9.33", "调查评估意见", [("suitable", "01", "适宜"), ("unsuitable", "02", "不适宜")]
)
OPINION_ADOPTED = _table("opinion_adopted", "9.34", "采信情况", [("true", "01", "采信"), ("false", "02", "未采信")])
TERMINATION_TYPE = _table(
    "termination_type",
    "9.18",
    "矫正解除（终止）类型",
    [("released", "01", "期满解除"), ("revocation", "02", "收监执行"), ("return_to_prison", "02", "收监执行"),
     ("death", "03", "死亡"), ("transfer", "04", "居住地变更"), ("pardon", "99", "赦免（其他）", True)],
    notes="赦免是2020年《社区矫正法》第四十四条新增的解除情形，2017年表无此值，以99（其他）交换。",
)  # fmt: skip
RETURN_TO_PRISON_TYPE = _table(
    "return_to_prison_type",
    "9.11",
    "收监执行类型",
    [("revocation_probation", "01", "撤销缓刑"), ("revocation_parole", "02", "撤销假释"),
     ("outside_revocation", "03", "暂予监外执行收监")],
)  # fmt: skip
REWARD_PUNISHMENT = _table(
    "reward_punishment",
    "9.82",
    "奖惩类别",
    [("warning", "01", "警告"), ("police_penalty", "0201", "提请治安管理处罚"), ("sentence_reduction", "03", "减刑"),
     ("commendation", "99", "表扬（其他）", True), ("admonition", "99", "训诫（其他）", True),
     ("arrest", "99", "提请逮捕（其他）", True), ("revocation", "99", "提请撤销缓刑、假释（其他）", True),
     ("return_to_prison", "99", "提请收监执行（其他）", True),
     ("outside_revocation", "99", "提请撤销暂予监外执行（其他）", True)],
    notes="2017年表只有警告、治安处罚、减刑；表扬、训诫是2020年《社区矫正法》第二十八条新增的奖惩，提请逮捕见第四十七条；"
    "撤销缓刑、假释与收监执行另见9.11收监执行类型。",
)  # fmt: skip
PROHIBITION_TYPE = _table(
    "prohibition_type",
    "9.53",
    "禁止令类型",
    [("prohibited_place", "01", "进入特定区域"), ("prohibited_activity", "02", "从事特定活动"),
     ("prohibited_contact", "03", "接触特定人员")],
)  # fmt: skip
VIOLATION_TYPE = _table(
    "violation_type",
    "9.25",
    "违规类型",
    [("arrival", "01", "报到登记"), ("checkin", "02", "日常报告"), ("education", "03", "教育学习"),
     ("community_service", "04", "社区服务"), ("leave", "05", "外出"), ("prohibition_order", "06", "禁止令"),
     ("residence_change", "07", "居住地变更"), ("fence_breach", "08", "越界"), ("device", "09", "定位手机使用"),
     ("cross_city", "99", "经常性跨市县活动（其他）", True), ("absconding", "99", "脱管（其他）", True)],
    notes="经常性跨市县活动是2020年《实施办法》第二十九条新增的审批事项；脱管在9.16报到情况中为03。",
)  # fmt: skip
REPORT_CHANNEL = _table(
    "report_channel",
    "9.22",
    "报告方式",
    [("in_person", "01", "当面"), ("written", "02", "书面"), ("phone", "03", "通讯"), ("app", "03", "通讯")],
    notes="手机应用报到按“通讯”交换。",
)
TEAM_ROLE = _table(
    "team_role",
    "9.20",
    "矫正小组人员组成",
    [("officer", "01", "司法所工作人员"), ("social_worker", "02", "社会工作者"), ("volunteer", "03", "志愿者"),
     ("village_cadre", "04", "村(居)委会人员"), ("employer", "05", "所在单位人员"),
     ("family_member", "07", "家庭成员/监护人"), ("other", "99", "其他")],
)  # fmt: skip
CRIME_TYPE = _table(
    "crime_type",
    "9.14",
    "犯罪类型",
    [("state_security", "01", "危害国家安全"), ("public_security", "02", "危害公共安全"),
     ("market_order", "03", "破坏社会主义市场经济秩序"), ("person_rights", "04", "侵犯公民人身权利、民主权利"),
     ("property", "05", "侵犯财产"), ("social_order", "06", "妨害社会管理秩序"), ("national_defence", "07", "危害国防利益"),
     ("corruption", "08", "贪污贿赂"), ("dereliction", "09", "渎职"), ("other", "99", "其他")],
    notes="我们登记具体罪名（自由文本）；类型由罪名关键字推定（crime_type_of），无法推定的为99。",
)  # fmt: skip

# Keywords of common crimes → their chapter of the Criminal Law (the 犯罪类型 above).
CRIME_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("危险驾驶", "02"), ("交通肇事", "02"), ("放火", "02"), ("失火", "02"), ("枪支", "02"), ("重大责任事故", "02"),
    ("走私", "03"), ("非法经营", "03"), ("非法吸收公众存款", "03"), ("假冒", "03"), ("逃税", "03"), ("集资诈骗", "03"),
    ("合同诈骗", "03"), ("信用卡", "03"),
    ("故意伤害", "04"), ("过失致人", "04"), ("强奸", "04"), ("非法拘禁", "04"), ("侮辱", "04"), ("诽谤", "04"),
    ("盗窃", "05"), ("诈骗", "05"), ("抢夺", "05"), ("抢劫", "05"), ("敲诈勒索", "05"), ("侵占", "05"), ("挪用资金", "05"),
    ("寻衅滋事", "06"), ("聚众斗殴", "06"), ("赌博", "06"), ("开设赌场", "06"), ("毒品", "06"), ("妨害公务", "06"),
    ("帮助信息网络", "06"), ("掩饰、隐瞒", "06"), ("非法采矿", "06"), ("滥伐林木", "06"), ("污染环境", "06"),
    ("贪污", "08"), ("受贿", "08"), ("行贿", "08"), ("挪用公款", "08"),
    ("滥用职权", "09"), ("玩忽职守", "09"),
)  # fmt: skip


def crime_type_of(crime: str) -> str:
    """The national crime type (9.14) of a crime name; 99 when no keyword matches."""
    for keyword, code in CRIME_KEYWORDS:
        if keyword in crime:
            return code
    return "99"


def national_code(table: str, value: str) -> str:
    return TABLES[table].code_of(value)


def our_value(table: str, code: str) -> str:
    return TABLES[table].value_of(code)
