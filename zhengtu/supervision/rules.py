"""Legal and organisational defaults of the supervision workflow, each overridable in settings.

A province changes any of these in its settings module, never in code:

- ``ZHENGTU_RULES`` (shared dict): ``reporting_deadline_days`` (law art. 21: report within 10 days of the
  judgment taking effect), ``term_ending_reminder_days`` (remind 30 days before the term ends).
- ``ZHENGTU_LEAVE_RULES``: who approves leave (2020 Measures art. 27–28).
- ``ZHENGTU_MONITORING_RULES``: electronic monitoring periods (law art. 29).
- ``ZHENGTU_SANCTION_RULES``: the effect of commendations and sanctions on the supervision level.
- ``ZHENGTU_PERMIT_RULES``: levels and longest period of each other approval kind (禁止令, 会客, 迁居,
  经常性跨市县活动, 病情复查延期).
- ``ZHENGTU_ABSCONDING_RULES``: limits of a search (找寻) and when one opens by itself.
- ``ZHENGTU_EXPIRY_REMINDER_DAYS``: how early an expiring permit or leave is announced.
- ``ZHENGTU_SUPERVISION_FREQUENCIES``: days between check-ins, written reports and visits per level.

Defaults of the frequencies follow one province's strict level (weekly check-in and written report) and
loosen from there; they are a starting point each province must confirm:

=========  ========  ==============  =====
level      check-in  written report  visit
=========  ========  ==============  =====
strict     7         7               30
standard   14        30              60
lenient    30        60              90
=========  ========  ==============  =====
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from zhengtu.core.rules import Rules

DEFAULT_LEAVE_RULES: dict[str, int] = {
    # The justice office approves leave up to this many days on its own.
    "office_max_days": 7,
    # One approval covers at most this many days; longer leave goes up a level.
    "single_approval_max_days": 30,
    # More than `window_max_days` of leave within `window_months` also goes up a level.
    "window_months": 2,
    "window_max_days": 30,
}

DEFAULT_MONITORING_RULES: dict[str, int] = {
    "max_period_months": 3,
    "max_extension_months": 3,
    # "Monitoring period ending" appears in my tasks this many days before the end.
    "ending_reminder_days": 7,
}

DEFAULT_SANCTION_RULES: dict[str, Any] = {
    # Sanction kind → supervision level it moves the supervisee to once approved (None: unchanged).
    "level_effects": {
        "commendation": None,
        "admonition": None,
        "warning": "strict",
        "police_penalty": "strict",
        "revocation": "strict",
        "return_to_prison": "strict",
        "sentence_reduction": None,
        "arrest": "strict",
        "outside_revocation": "strict",
    },
    # Who decides each kind: the office proposes, the county bureau decides (2020 Measures art. 33–37).
    "approval_levels": {
        "commendation": ["office", "county_bureau"],
        "admonition": ["office", "county_bureau"],
        "warning": ["office", "county_bureau"],
        "police_penalty": ["office", "county_bureau"],
        "revocation": ["office", "county_bureau"],
        "return_to_prison": ["office", "county_bureau"],
        "sentence_reduction": ["office", "county_bureau"],
        "arrest": ["office", "county_bureau"],
        "outside_revocation": ["office", "county_bureau"],
    },
    # Requests sent to another organ: the kind of organ that receives each (the name is entered per case).
    "receiving_organs": {
        "police_penalty": "police",
        "revocation": "court",
        "return_to_prison": "court",
        "sentence_reduction": "court",
        "arrest": "court",
        "outside_revocation": "court",
    },
    # Kinds that cannot be proposed without at least one evidence file.
    "evidence_required": [
        "admonition",
        "warning",
        "police_penalty",
        "revocation",
        "return_to_prison",
        "sentence_reduction",
        "arrest",
        "outside_revocation",
    ],
}

# The permits (审批事项, models/permits.py): who decides each kind and how long one approval lasts.
# Frequent cross-city/county activity is approved for at most six months at a time (2020 Measures
# art. 29); the other periods are a starting point each province confirms.
DEFAULT_PERMIT_RULES: dict[str, dict[str, Any]] = {
    "prohibited_place": {"levels": ["office", "county_bureau"], "max_days": 30},
    "prohibited_contact": {"levels": ["office", "county_bureau"], "max_days": 30},
    "visitor": {"levels": ["office"], "max_days": 7},
    "residence_change": {"levels": ["office", "county_bureau"], "max_days": 0},
    "cross_city": {"levels": ["office", "county_bureau"], "max_months": 6},
    "medical_extension": {"levels": ["office", "county_bureau"], "max_days": 30},
}

# Absconding (脱管): the first search step within hours of losing contact, the police told within hours,
# and after this many days out of contact the next legal step (2020 Measures art. 46: more than one month
# → propose revoking probation or parole).
# The search also opens by itself (services/contact.py, run hourly) when a person cannot be reached: this many
# check-ins in a row missed (counted in the level's check-in interval), this many spot checks in a row missed, or a
# bound monitoring device silent for this many hours. Zero switches a trigger off.
DEFAULT_ABSCONDING_RULES: dict[str, int] = {
    "first_step_hours": 24,
    "police_notice_hours": 48,
    "legal_step_days": 30,
    "missed_check_ins": 2,
    "missed_spot_checks": 3,
    "device_offline_hours": 24,
}

# "About to expire" (services/expiry.py): a task and one notification this many days before the last day of an
# approved time-limited permit or leave; "default" for kinds not named.
DEFAULT_EXPIRY_REMINDER_DAYS: dict[str, int] = {"default": 7, "leave": 2, "cross_city": 14}

# Appraisal (考核): the lowest score of each grade, and how many appraisals in a row suggest a new level
# (a province sets its own scale; these are a starting point).
DEFAULT_APPRAISAL_RULES: dict[str, Any] = {
    "grade_floors": {"excellent": 90, "good": 80, "fair": 70, "poor": 60},
    # This many quarterly appraisals in a row graded good or better suggest one level looser.
    "looser_after_good_quarters": 2,
    # This many monthly appraisals in a row graded poor or worse suggest strict supervision.
    "strict_after_poor_months": 2,
}

DEFAULT_FREQUENCIES: dict[str, dict[str, int]] = {
    "strict": {"checkin_days": 7, "written_report_days": 7, "visit_days": 30},
    "standard": {"checkin_days": 14, "written_report_days": 30, "visit_days": 60},
    "lenient": {"checkin_days": 30, "written_report_days": 60, "visit_days": 90},
}

DEFAULT_DUE_SOON_DAYS = 3


# Groups of rules a site overrides key by key in a setting of their own (core.rules convention).
_leave_rule = Rules(DEFAULT_LEAVE_RULES, setting="ZHENGTU_LEAVE_RULES")
_monitoring_rule = Rules(DEFAULT_MONITORING_RULES, setting="ZHENGTU_MONITORING_RULES")
_absconding_rule = Rules(DEFAULT_ABSCONDING_RULES, setting="ZHENGTU_ABSCONDING_RULES")


def _merged(setting_name: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """A group a site may extend with keys of its own (expiry reminders per permit kind), so not a Rules."""
    configured = getattr(settings, setting_name, None) or {}
    return {**defaults, **configured}


# The keys of the shared ZHENGTU_RULES dict this app reads (core.rules convention).
DEFAULTS: dict[str, int] = {
    # Law art. 21: a supervisee reports within this many days of the judgment taking effect.
    "reporting_deadline_days": 10,
    # The officer is reminded this many days before the term ends.
    "term_ending_reminder_days": 30,
    # Each approval step is due this many working days after it opens.
    "approval_decision_working_days": 3,
}

rule = Rules(DEFAULTS)


def reporting_deadline_days() -> int:
    return int(rule("reporting_deadline_days"))


def term_ending_reminder_days() -> int:
    return int(rule("term_ending_reminder_days"))


def approval_decision_working_days() -> int:
    return int(rule("approval_decision_working_days"))


@dataclass(frozen=True)
class LeaveRules:
    office_max_days: int
    single_approval_max_days: int
    window_months: int
    window_max_days: int


def leave_rules() -> LeaveRules:
    return LeaveRules(**{key: int(_leave_rule(key)) for key in DEFAULT_LEAVE_RULES})


@dataclass(frozen=True)
class MonitoringRules:
    max_period_months: int
    max_extension_months: int
    ending_reminder_days: int


def monitoring_rules() -> MonitoringRules:
    return MonitoringRules(**{key: int(_monitoring_rule(key)) for key in DEFAULT_MONITORING_RULES})


def sanction_level_effect(kind: str) -> str | None:
    value = _sanction_setting("level_effects").get(kind)
    return str(value) if value else None


def _sanction_setting(key: str) -> Any:
    configured = getattr(settings, "ZHENGTU_SANCTION_RULES", None) or {}
    default = DEFAULT_SANCTION_RULES[key]
    value = configured.get(key, default)
    return {**default, **value} if isinstance(default, dict) else value


def sanction_approval_levels(kind: str) -> tuple[str, ...]:
    levels = _sanction_setting("approval_levels").get(kind) or ["office", "county_bureau"]
    return tuple(str(level) for level in levels)


def sanction_receiving_organ(kind: str) -> str | None:
    """The kind of organ a request of this kind goes to; None for decisions the bureau takes itself."""
    value = _sanction_setting("receiving_organs").get(kind)
    return str(value) if value else None


def sanction_needs_evidence(kind: str) -> bool:
    return kind in _sanction_setting("evidence_required")


@dataclass(frozen=True)
class Frequency:
    checkin_days: int
    written_report_days: int
    visit_days: int


def frequency_for(level: str) -> Frequency:
    configured = getattr(settings, "ZHENGTU_SUPERVISION_FREQUENCIES", None) or {}
    values = {**DEFAULT_FREQUENCIES.get(level, DEFAULT_FREQUENCIES["standard"]), **configured.get(level, {})}
    return Frequency(
        checkin_days=int(values["checkin_days"]),
        written_report_days=int(values["written_report_days"]),
        visit_days=int(values["visit_days"]),
    )


@dataclass(frozen=True)
class PermitRules:
    levels: tuple[str, ...]
    max_days: int  # 0: no limit in days
    max_months: int  # 0: no limit in months


def permit_rules(kind: str) -> PermitRules:
    """The levels and the longest period of one permit kind (``ZHENGTU_PERMIT_RULES`` overrides per kind)."""
    configured = (getattr(settings, "ZHENGTU_PERMIT_RULES", None) or {}).get(kind, {})
    values = {**DEFAULT_PERMIT_RULES.get(kind, {}), **configured}
    return PermitRules(
        levels=tuple(str(level) for level in values.get("levels", ["office", "county_bureau"])),
        max_days=int(values.get("max_days", 0)),
        max_months=int(values.get("max_months", 0)),
    )


@dataclass(frozen=True)
class AbscondingRules:
    first_step_hours: int
    police_notice_hours: int
    legal_step_days: int
    missed_check_ins: int
    missed_spot_checks: int
    device_offline_hours: int


def absconding_rules() -> AbscondingRules:
    return AbscondingRules(**{key: int(_absconding_rule(key)) for key in DEFAULT_ABSCONDING_RULES})


def expiry_reminder_days(kind: str) -> int:
    """Days before the end of a permit of this kind (or "leave") that its holder's officer is reminded."""
    values = _merged("ZHENGTU_EXPIRY_REMINDER_DAYS", DEFAULT_EXPIRY_REMINDER_DAYS)
    return int(values.get(kind, values["default"]))


appraisal_rule = Rules(DEFAULT_APPRAISAL_RULES, setting="ZHENGTU_APPRAISAL_RULES")


def due_soon_days() -> int:
    return int(getattr(settings, "ZHENGTU_SUPERVISION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))
