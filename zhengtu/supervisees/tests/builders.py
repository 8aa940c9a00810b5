"""Inputs for the registry's tests, as a clerk or a browser would give them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhengtu.supervisees.identity import make_identity_number


def identity(birth: dt.date = dt.date(1985, 3, 2), sequence: int = 7, sex: str = "male", code: str = "431224") -> str:
    return make_identity_number(code, birth, sequence, sex)


def form_data(office: Any, **overrides: Any) -> dict[str, Any]:
    """A complete, valid registration form as a browser posts it."""
    data: dict[str, Any] = {
        "name": "张三",
        "identity_number": identity(),
        "phone": "13812345678",
        "ethnicity": "汉族",
        "residence_division__0": "430000",
        "residence_division__1": "431200",
        "residence_division__2": "431224",
        "residence_address": "卢峰镇沿河路 12 号",
        "sentence_type": "probation",
        "crime": "盗窃罪",
        "deciding_organ": "溆浦县人民法院",
        "term_start": "2026-01-05",
        "term_months": "12",
        "term_extra_days": "0",
        "supervision_level": "standard",
        "responsible_office": str(office.pk),
        "family-TOTAL_FORMS": "2",
        "family-INITIAL_FORMS": "0",
        "family-MIN_NUM_FORMS": "0",
        "family-MAX_NUM_FORMS": "1000",
        "family-0-relation": "母亲",
        "family-0-name": "李秀英",
        "family-0-phone": "13900001111",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
