"""Build the instrument workbooks shipped with Zhengtu (run after editing this file, commit the .xlsx):

    .venv/bin/python -m zhengtu.assessment.instruments.build

PHQ-9 and GAD-7 are free to reproduce and translate (Pfizer: "no permission required"). SCL-90 is
shipped as a scoring definition only: its item texts are placeholders (“第N项”) that an agency
replaces with the texts it is licensed to use, importing the result as a new version. The intake
instrument is an example over ten domains: its items and cut-offs must be calibrated locally.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

SURVEY_COLUMNS = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "domain",
    "reverse",
    "critical",
    "critical_message",
]
CHOICE_COLUMNS = ["list_name", "name", "label", "score"]
DOMAIN_COLUMNS = ["name", "label", "group", "method", "need", "measures", "order"]
CUTOFF_COLUMNS = [
    "target",
    "sex",
    "min",
    "max",
    "condition",
    "level",
    "label",
    "rank",
    "supervision_level",
    "measures",
    "supervisee_note",
]

FREQUENCY_CHOICES = [("0", "完全不会", 0), ("1", "好几天", 1), ("2", "一半以上的天数", 2), ("3", "几乎每天", 3)]
DIFFICULTY_CHOICES = [
    ("0", "毫无困难", None),
    ("1", "有点困难", None),
    ("2", "非常困难", None),
    ("3", "极度困难", None),
]


def _sheet(workbook: Workbook, title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])


def _write(
    path: Path,
    *,
    settings: dict[str, Any],
    survey: list[dict[str, Any]],
    choices: list[tuple[str, str, str, Any]],
    domains: list[dict[str, Any]],
    cutoffs: list[dict[str, Any]],
) -> None:  # noqa: E501
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _sheet(workbook, "survey", SURVEY_COLUMNS, survey)
    _sheet(
        workbook,
        "choices",
        CHOICE_COLUMNS,
        [{"list_name": ln, "name": n, "label": lb, "score": s if s is not None else ""} for ln, n, lb, s in choices],
    )
    _sheet(workbook, "settings", list(settings), [settings])
    _sheet(workbook, "domains", DOMAIN_COLUMNS, domains)
    _sheet(workbook, "cutoffs", CUTOFF_COLUMNS, cutoffs)
    workbook.save(path)


def _choices(list_name: str, entries: list[tuple[str, str, Any]]) -> list[tuple[str, str, str, Any]]:
    return [(list_name, name, label, score) for name, label, score in entries]


def build_phq9() -> None:
    texts = [
        "做事时提不起劲或没有兴趣",
        "感到心情低落、沮丧或绝望",
        "入睡困难、睡不安稳或睡眠过多",
        "感觉疲倦或没有活力",
        "食欲不振或吃太多",
        "觉得自己很糟，或觉得自己很失败，或让自己或家人失望",
        "对事物专注有困难，例如阅读报纸或看电视时",
        "动作或说话速度缓慢到别人已经觉察，或正好相反，烦躁或坐立不安、动来动去的情况更胜于平常",
        "有不如死掉或用某种方式伤害自己的念头",
    ]
    survey: list[dict[str, Any]] = [
        {"type": "note", "name": "intro", "label": "在过去两周里，你有多少时间受到以下问题的困扰？"}
    ]
    for number, text in enumerate(texts, start=1):
        row = {
            "type": "select_one frequency",
            "name": f"phq{number}",
            "label": f"{number}. {text}",
            "required": "yes",
            "domain": "depression",
        }
        if number == 9:
            row["critical"] = ". > 0"
            row["critical_message"] = (
                "PHQ-9 第9题（自伤或轻生念头）回答大于0：请立即进行自杀风险评估，并联系当事人及其家属。"
            )
        survey.append(row)
    survey.append(
        {
            "type": "select_one difficulty",
            "name": "phq10",
            "label": "10. 如果你勾选了以上任何问题，这些问题在你工作、处理家庭事务或与他人相处上造成了多大的困难？",
            "required": "yes",
            "relevant": " or ".join(f"${{phq{n}}} > 0" for n in range(1, 10)),
        }
    )
    levels = [
        (
            0,
            4,
            "minimal",
            "无或极轻微抑郁",
            "lenient",
            "常规关注，纳入心理健康教育。",
            "你近两周的情绪状况总体良好。如需帮助，可随时联系你的社工。",
        ),
        (
            5,
            9,
            "mild",
            "轻度抑郁",
            "",
            "心理健康教育，社工跟进观察，1个月后复测。",
            "你近两周有一些情绪困扰。建议多与家人朋友交流，社工会与你联系。",
        ),
        (
            10,
            14,
            "moderate",
            "中度抑郁",
            "",
            "个案心理辅导，制定辅导计划，必要时转介心理咨询师。",
            "你近两周的情绪困扰较明显。社工会尽快与你联系，提供心理辅导。",
        ),
        (
            15,
            19,
            "moderately_severe",
            "中重度抑郁",
            "",
            "尽快安排心理咨询师评估，考虑转介精神卫生专业机构。",
            "你近两周的情绪困扰较重。社工会尽快与你联系，请保持电话畅通。",
        ),
        (
            20,
            27,
            "severe",
            "重度抑郁",
            "",
            "立即转介精神卫生专业机构，通知矫正小组，加强关注。",
            "你近两周的情绪困扰很重。社工会立即与你联系，请保持电话畅通。",
        ),
    ]
    cutoffs = [
        {
            "target": "total",
            "min": low,
            "max": high,
            "level": code,
            "label": label,
            "rank": rank,
            "supervision_level": sup,
            "measures": measures,
            "supervisee_note": note,
        }
        for rank, (low, high, code, label, sup, measures, note) in enumerate(levels)
    ]
    _write(
        HERE / "phq9.xlsx",
        settings={
            "form_title": "患者健康问卷（PHQ-9）",
            "form_id": "phq9",
            "version": "2026.1",
            "kind": "psychological",
            "description": "抑郁症状筛查（过去两周）。PHQ-9 由 Spitzer、Williams、Kroenke 等编制，辉瑞公司发布，复制、翻译、展示和分发无需授权。",
            "sensitive": "yes",
            "show_to_supervisee": "yes",
            "level_target": "total",
        },
        survey=survey,
        choices=_choices("frequency", FREQUENCY_CHOICES) + _choices("difficulty", DIFFICULTY_CHOICES),
        domains=[{"name": "depression", "label": "抑郁症状", "method": "sum", "need": "no", "order": 1}],
        cutoffs=cutoffs,
    )


def build_gad7() -> None:
    texts = [
        "感觉紧张、焦虑或急切",
        "不能够停止或控制担忧",
        "对各种各样的事情担忧过多",
        "很难放松下来",
        "由于不安而无法静坐",
        "变得容易烦恼或急躁",
        "感到似乎将有可怕的事情发生而害怕",
    ]
    survey: list[dict[str, Any]] = [
        {"type": "note", "name": "intro", "label": "在过去两周里，你有多少时间受到以下问题的困扰？"}
    ]
    for number, text in enumerate(texts, start=1):
        survey.append(
            {
                "type": "select_one frequency",
                "name": f"gad{number}",
                "label": f"{number}. {text}",
                "required": "yes",
                "domain": "anxiety",
            }
        )
    survey.append(
        {
            "type": "select_one difficulty",
            "name": "gad8",
            "label": "8. 如果你勾选了以上任何问题，这些问题在你工作、处理家庭事务或与他人相处上造成了多大的困难？",
            "required": "yes",
            "relevant": " or ".join(f"${{gad{n}}} > 0" for n in range(1, 8)),
        }
    )
    levels = [
        (
            0,
            4,
            "minimal",
            "无或极轻微焦虑",
            "常规关注，纳入心理健康教育。",
            "你近两周的紧张焦虑不明显。如需帮助，可随时联系你的社工。",
        ),
        (
            5,
            9,
            "mild",
            "轻度焦虑",
            "心理健康教育，放松训练，社工跟进观察。",
            "你近两周有一些紧张焦虑。可以尝试放松练习，社工会与你联系。",
        ),
        (
            10,
            14,
            "moderate",
            "中度焦虑",
            "个案心理辅导，必要时转介心理咨询师。",
            "你近两周的紧张焦虑较明显。社工会尽快与你联系，提供心理辅导。",
        ),
        (
            15,
            21,
            "severe",
            "重度焦虑",
            "尽快转介心理咨询师或精神卫生专业机构。",
            "你近两周的紧张焦虑很重。社工会立即与你联系，请保持电话畅通。",
        ),
    ]
    cutoffs = [
        {
            "target": "total",
            "min": low,
            "max": high,
            "level": code,
            "label": label,
            "rank": rank,
            "measures": measures,
            "supervisee_note": note,
        }
        for rank, (low, high, code, label, measures, note) in enumerate(levels)
    ]
    _write(
        HERE / "gad7.xlsx",
        settings={
            "form_title": "广泛性焦虑量表（GAD-7）",
            "form_id": "gad7",
            "version": "2026.1",
            "kind": "psychological",
            "description": "焦虑症状筛查（过去两周）。GAD-7 由 Spitzer、Kroenke、Williams、Löwe 编制，辉瑞公司发布，复制、翻译、展示和分发无需授权。",
            "sensitive": "yes",
            "show_to_supervisee": "yes",
            "level_target": "total",
        },
        survey=survey,
        choices=_choices("frequency", FREQUENCY_CHOICES) + _choices("difficulty", DIFFICULTY_CHOICES),
        domains=[{"name": "anxiety", "label": "焦虑症状", "method": "sum", "need": "no", "order": 1}],
        cutoffs=cutoffs,
    )


# The ten SCL-90 factors and their items (Derogatis; the Chinese norm of 1986 uses the same keys).
SCL90_FACTORS: list[tuple[str, str, list[int]]] = [
    ("somatization", "躯体化", [1, 4, 12, 27, 40, 42, 48, 49, 52, 53, 56, 58]),
    ("obsessive", "强迫症状", [3, 9, 10, 28, 38, 45, 46, 51, 55, 65]),
    ("interpersonal", "人际关系敏感", [6, 21, 34, 36, 37, 41, 61, 69, 73]),
    ("depression", "抑郁", [5, 14, 15, 20, 22, 26, 29, 30, 31, 32, 54, 71, 79]),
    ("anxiety", "焦虑", [2, 17, 23, 33, 39, 57, 72, 78, 80, 86]),
    ("hostility", "敌对", [11, 24, 63, 67, 74, 81]),
    ("phobic", "恐怖", [13, 25, 47, 50, 70, 75, 82]),
    ("paranoid", "偏执", [8, 18, 43, 68, 76, 83]),
    ("psychoticism", "精神病性", [7, 16, 35, 62, 77, 84, 85, 87, 88, 90]),
    ("additional", "其他（睡眠、饮食等）", [19, 44, 59, 60, 64, 66, 89]),
]


def build_scl90() -> None:
    factor_of = {number: name for name, _label, numbers in SCL90_FACTORS for number in numbers}
    assert sorted(factor_of) == list(range(1, 91)), "every SCL-90 item belongs to exactly one factor"
    survey: list[dict[str, Any]] = [
        {
            "type": "note",
            "name": "intro",
            "label": "以下列出了有些人可能会有的问题，请仔细阅读每一条，然后根据最近一星期以内下述情况影响你的实际感觉，选择最合适的一项。",
        }
    ]
    for number in range(1, 91):
        row = {
            "type": "select_one severity",
            "name": f"scl{number:02d}",
            "label": f"第{number}项",
            "required": "yes",
            "domain": factor_of[number],
        }
        if number == 15:
            row["critical"] = ". > 1"
            row["critical_message"] = (
                "SCL-90 第15项（轻生念头）回答“很轻”及以上：请立即进行自杀风险评估，并联系当事人及其家属。"
            )
        survey.append(row)
    domains = [
        {
            "name": name,
            "label": label,
            "method": "mean",
            "need": "yes",
            "order": order,
            "measures": "该因子分≥2，建议心理咨询师进一步评估并进行针对性辅导。",
        }
        for order, (name, label, _numbers) in enumerate(SCL90_FACTORS, start=1)
    ]
    cutoffs = [
        {"target": "domain", "min": 4, "level": "severe", "label": "重度", "rank": 3},
        {"target": "domain", "min": 3, "level": "moderate", "label": "中度", "rank": 2},
        {"target": "domain", "min": 2, "level": "mild", "label": "轻度", "rank": 1},
        {"target": "domain", "level": "none", "label": "无明显症状", "rank": 0},
        {
            "target": "total",
            "condition": "${total} > 160 or ${positive_items} > 43 or ${max_domain} >= 2",
            "level": "positive",
            "label": "筛查阳性",
            "rank": 1,
            "measures": "安排心理咨询师进一步评估，制定个案心理辅导计划。",
            "supervisee_note": "你的测评结果提示需要进一步了解你的心理状况，社工会与你联系。",
        },
        {
            "target": "total",
            "level": "negative",
            "label": "筛查阴性",
            "rank": 0,
            "measures": "常规关注，纳入心理健康教育。",
            "supervisee_note": "你的测评结果未见明显异常。如需帮助，可随时联系你的社工。",
        },
    ]
    _write(
        HERE / "scl90.xlsx",
        settings={
            "form_title": "症状自评量表（SCL-90）",
            "form_id": "scl90",
            "version": "2026.1-placeholder",
            "kind": "psychological",
            "description": (
                "评分定义：1–5 级评分，10 个因子（因子分为因子均分）、总分、总均分、阳性项目数（≥2 分）、阳性症状均分；"
                "筛查阳性：总分>160，或阳性项目数>43，或任一因子分≥2。项目文字为占位符“第N项”，"
                "请机构载入已获授权的题目文字后以新版本号导入。"
            ),
            "sensitive": "yes",
            "placeholder_texts": "yes",
            "show_to_supervisee": "yes",
            "level_target": "total",
            "positive_item_score": 2,
        },
        survey=survey,
        choices=_choices(
            "severity", [("1", "没有", 1), ("2", "很轻", 2), ("3", "中等", 3), ("4", "偏重", 4), ("5", "严重", 5)]
        ),
        domains=domains,
        cutoffs=cutoffs,
    )


INTAKE_DOMAINS = [
    ("criminal_history", "犯罪史", "static", "no", "按风险等级落实监管措施。"),
    ("education_work", "教育与就业", "static", "yes", "链接职业技能培训和就业信息，协助求职。"),
    ("finances", "经济状况", "static", "yes", "评估救助条件，链接临时救助和社会保障资源。"),
    ("family", "家庭与婚姻", "static", "yes", "开展家庭走访和家庭关系辅导，动员家庭支持。"),
    ("accommodation", "住所", "static", "yes", "协助落实稳定住所，必要时链接过渡性安置。"),
    ("leisure", "休闲娱乐", "dynamic", "yes", "安排公益活动和兴趣小组，培养健康的业余生活。"),
    ("companions", "交友与同伴", "dynamic", "yes", "开展交友教育，减少与不良同伴接触，建立正向支持网络。"),
    ("substance", "酒精与毒品", "dynamic", "yes", "开展禁毒限酒教育，必要时转介戒断和康复服务。"),
    ("emotion", "情绪与人格", "dynamic", "yes", "安排心理测评和个案辅导，开展情绪管理训练。"),
    ("attitudes", "态度与认知", "dynamic", "yes", "开展认罪悔罪和法治教育，纠正不良认知。"),
]


def build_intake_example() -> None:
    survey: list[dict[str, Any]] = [
        {
            "type": "note",
            "name": "intro",
            "label": "示例量表，需本地校准：题目、分值和分级界值仅供参考，须经本地数据校准后方可用于正式评估。",
        },
        {"type": "begin_group", "name": "static", "label": "静态因素"},
        {
            "type": "select_one prior",
            "name": "ch_prior",
            "label": "既往被判处刑罚次数",
            "required": "yes",
            "domain": "criminal_history",
        },
        {
            "type": "integer",
            "name": "ch_first_age",
            "label": "首次被判处刑罚时的年龄（周岁）",
            "required": "yes",
            "constraint": ". >= 12 and . <= 100",
            "constraint_message": "年龄应在12至100周岁之间。",
        },
        {
            "type": "select_one age_band",
            "name": "ch_first_age_band",
            "label": "首次违法犯罪时的年龄段",
            "required": "yes",
            "domain": "criminal_history",
        },
        {
            "type": "select_one yesno",
            "name": "ch_violent",
            "label": "本次犯罪是否涉及暴力",
            "required": "yes",
            "domain": "criminal_history",
        },
        {
            "type": "select_one education",
            "name": "ew_education",
            "label": "文化程度",
            "required": "yes",
            "domain": "education_work",
        },
        {
            "type": "select_one yesno",
            "name": "ew_unemployed",
            "label": "目前是否处于无业状态",
            "required": "yes",
            "domain": "education_work",
        },
        {
            "type": "select_one stability",
            "name": "ew_stability",
            "label": "工作稳定性",
            "required": "yes",
            "relevant": "${ew_unemployed} = 'no'",
            "domain": "education_work",
        },
        {
            "type": "select_one finance",
            "name": "fi_income",
            "label": "家庭经济状况",
            "required": "yes",
            "domain": "finances",
        },
        {
            "type": "select_one yesno",
            "name": "fi_debt",
            "label": "是否有较大数额债务",
            "required": "yes",
            "domain": "finances",
        },
        {
            "type": "select_one yesno",
            "name": "fi_assistance",
            "label": "是否需要社会救助",
            "required": "yes",
            "domain": "finances",
        },
        {"type": "select_one marital", "name": "fa_married", "label": "婚姻状况", "required": "yes"},
        {
            "type": "select_one relation",
            "name": "fa_marriage",
            "label": "夫妻关系",
            "required": "yes",
            "relevant": "${fa_married} = 'married'",
            "domain": "family",
        },
        {
            "type": "select_one support",
            "name": "fa_support",
            "label": "家人是否支持其接受社区矫正",
            "required": "yes",
            "domain": "family",
        },
        {
            "type": "select_one yesno",
            "name": "fa_conflict",
            "label": "近一年是否有家庭暴力或严重冲突",
            "required": "yes",
            "domain": "family",
        },
        {
            "type": "select_one housing",
            "name": "ac_stable",
            "label": "住所情况",
            "required": "yes",
            "domain": "accommodation",
        },
        {
            "type": "select_one moves",
            "name": "ac_moves",
            "label": "近一年搬家次数",
            "required": "yes",
            "domain": "accommodation",
        },
        {"type": "end_group", "name": ""},
        {"type": "begin_group", "name": "dynamic", "label": "动态因素"},
        {
            "type": "select_one often",
            "name": "le_structured",
            "label": "空闲时间是否有学习、运动等有益活动",
            "required": "yes",
            "domain": "leisure",
        },
        {
            "type": "select_one satisfaction",
            "name": "le_satisfaction",
            "label": "对自己业余生活的满意程度",
            "required": "yes",
            "domain": "leisure",
            "reverse": "yes",
        },
        {
            "type": "select_one friends",
            "name": "co_criminal_friends",
            "label": "经常来往的朋友中是否有违法犯罪人员",
            "required": "yes",
            "domain": "companions",
        },
        {
            "type": "select_one protective",
            "name": "co_prosocial",
            "label": "遇到困难时是否有遵纪守法的朋友可以求助",
            "required": "yes",
            "domain": "companions",
        },
        {
            "type": "select_one drinking",
            "name": "su_alcohol",
            "label": "饮酒频率",
            "required": "yes",
            "domain": "substance",
        },
        {
            "type": "select_one yesno",
            "name": "su_alcohol_trouble",
            "label": "是否因饮酒引发过冲突或违法行为",
            "required": "yes",
            "relevant": "${su_alcohol} != 'never'",
            "domain": "substance",
        },
        {
            "type": "select_one yesno",
            "name": "su_drugs",
            "label": "是否曾吸食毒品",
            "required": "yes",
            "domain": "substance",
        },
        {
            "type": "select_one recent",
            "name": "su_drugs_recent",
            "label": "最近一次吸食距今",
            "required": "yes",
            "relevant": "${su_drugs} = 'yes'",
            "domain": "substance",
        },
        {
            "type": "select_one mood",
            "name": "em_mood",
            "label": "近一个月的情绪状况",
            "required": "yes",
            "domain": "emotion",
        },
        {
            "type": "select_one often_bad",
            "name": "em_impulsive",
            "label": "遇事是否容易冲动",
            "required": "yes",
            "domain": "emotion",
        },
        {
            "type": "select_one yesno",
            "name": "em_self_harm",
            "label": "近期是否有自伤或轻生念头",
            "required": "yes",
            "domain": "emotion",
            "critical": ". = 'yes'",
            "critical_message": "当事人报告近期有自伤或轻生念头：请立即进行风险评估并联系其家属。",
        },
        {
            "type": "select_one responsibility",
            "name": "at_responsibility",
            "label": "对本人犯罪行为的认识",
            "required": "yes",
            "domain": "attitudes",
        },
        {
            "type": "select_one cooperation",
            "name": "at_supervision",
            "label": "对社区矫正的态度",
            "required": "yes",
            "domain": "attitudes",
        },
        {"type": "end_group", "name": ""},
        {"type": "text", "name": "interviewer_notes", "label": "访谈员备注"},
    ]
    choices = (
        _choices("yesno", [("yes", "是", 1), ("no", "否", 0)])
        + _choices("protective", [("yes", "是", 0), ("no", "否", 1)])
        + _choices("prior", [("0", "无", 0), ("1", "1次", 1), ("2", "2次及以上", 2)])
        + _choices("age_band", [("under18", "18岁以下", 2), ("18to25", "18至25岁", 1), ("over25", "25岁以上", 0)])
        + _choices(
            "education", [("primary", "小学及以下", 2), ("junior", "初中", 1), ("senior", "高中、中专及以上", 0)]
        )
        + _choices("stability", [("stable", "稳定", 0), ("unstable", "不稳定（经常更换）", 1)])
        + _choices("finance", [("ok", "能维持基本生活", 0), ("hard", "较困难", 1), ("very_hard", "非常困难", 2)])
        + _choices("marital", [("married", "已婚", None), ("single", "未婚", None), ("divorced", "离异或丧偶", None)])
        + _choices("relation", [("good", "和睦", 0), ("average", "一般", 1), ("poor", "紧张或冲突", 2)])
        + _choices("support", [("yes", "支持", 0), ("partly", "部分支持", 1), ("no", "不支持", 2)])
        + _choices("housing", [("own", "自有或长期租住", 0), ("temporary", "临时住所", 1), ("none", "无固定住所", 2)])
        + _choices("moves", [("0", "0次", 0), ("1", "1至2次", 1), ("3", "3次及以上", 2)])
        + _choices("often", [("often", "经常", 0), ("sometimes", "有时", 1), ("never", "从不", 2)])
        + _choices(
            "satisfaction",
            [("1", "很不满意", 0), ("2", "不满意", 1), ("3", "一般", 2), ("4", "满意", 3), ("5", "很满意", 4)],
        )
        + _choices("friends", [("none", "没有", 0), ("some", "少数", 1), ("many", "较多", 2)])
        + _choices("drinking", [("never", "从不", 0), ("monthly", "每月数次", 1), ("daily", "几乎每天", 2)])
        + _choices("recent", [("within1", "一年以内", 2), ("over1", "一年以上", 1)])
        + _choices("mood", [("stable", "平稳", 0), ("low", "低落或焦虑", 1), ("unstable", "经常失控", 2)])
        + _choices("often_bad", [("rarely", "很少", 0), ("sometimes", "有时", 1), ("often", "经常", 2)])
        + _choices(
            "responsibility", [("accept", "认罪悔罪", 0), ("partial", "部分认识", 1), ("deny", "否认或合理化", 2)]
        )
        + _choices("cooperation", [("active", "积极配合", 0), ("passive", "消极应付", 1), ("resist", "抵触", 2)])
    )
    domains = [
        {
            "name": name,
            "label": label,
            "group": group,
            "method": "percent",
            "need": need,
            "measures": measures,
            "order": order,
        }
        for order, (name, label, group, need, measures) in enumerate(INTAKE_DOMAINS, start=1)
    ]
    risk_levels = [
        ("low", "低风险", 0, "lenient", "按宽管要求落实日常监管，每季度走访一次。"),
        ("medium", "中风险", 1, "standard", "按普管要求落实监管，每月走访一次，针对需求领域制定矫正措施。"),
        ("high", "高风险", 2, "strict", "按严管要求落实监管，每周报告、每月走访，优先处理高需求领域。"),
    ]
    bands = {"male": [(0, 12), (13, 24), (25, None)], "female": [(0, 14), (15, 26), (27, None)]}
    cutoffs: list[dict[str, Any]] = []
    for sex, ranges in bands.items():
        for (low, high), (code, label, rank, sup, measures) in zip(ranges, risk_levels, strict=True):
            cutoffs.append(
                {
                    "target": "total",
                    "sex": sex,
                    "min": low,
                    "max": high if high is not None else "",
                    "level": code,
                    "label": label,
                    "rank": rank,
                    "supervision_level": sup,
                    "measures": measures,
                }
            )
    cutoffs += [
        {"target": "domain", "min": 67, "level": "high_need", "label": "高需求", "rank": 2},
        {"target": "domain", "min": 34, "level": "medium_need", "label": "中需求", "rank": 1},
        {"target": "domain", "level": "low_need", "label": "低需求", "rank": 0},
    ]
    _write(
        HERE / "intake_example.xlsx",
        settings={
            "form_title": "初始风险与需求评估（示例，需本地校准）",
            "form_id": "intake_example",
            "version": "2026.1",
            "kind": "risk_needs",
            "description": "示例，需本地校准：十个领域（静态：犯罪史、教育与就业、经济状况、家庭与婚姻、住所；动态：休闲娱乐、交友与同伴、酒精与毒品、情绪与人格、态度与认知）。分级界值按性别区分，仅为示例。",
            "sensitive": "no",
            "example": "yes",
            "show_to_supervisee": "no",
            "level_target": "total",
        },
        survey=survey,
        choices=choices,
        domains=domains,
        cutoffs=cutoffs,
    )


def main() -> None:
    build_phq9()
    build_gad7()
    build_scl90()
    build_intake_example()


if __name__ == "__main__":
    main()
