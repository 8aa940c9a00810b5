"""Namesakes on a picker: the label tells them apart without the clear identity number, and can be searched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from zhengtu.supervisees.fields import SuperviseeChoiceField
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import make_supervisee

pytestmark = pytest.mark.django_db


def test_two_people_of_the_same_name_are_told_apart_by_office_birth_year_and_id_tail(world) -> None:
    first = make_supervisee(world.office_a, name="王婷婷", birth_date=dt.date(1990, 3, 4))
    second = make_supervisee(world.office_a2, name="王婷婷", birth_date=dt.date(1995, 7, 8))
    field = SuperviseeChoiceField(queryset=Supervisee.objects.filter(pk__in=[first.pk, second.pk]))
    with translation.override("zh-hans"):
        html = field.widget.render("supervisee", None, attrs={"id": "id_supervisee"})
        labels = {field.label_from_instance(first), field.label_from_instance(second)}
    assert len(labels) == 2
    assert "卢峰司法所 · 1990年生 · 身份证尾号" + first.identity_number[-4:] in field.label_from_instance(first)
    assert first.identity_number not in html and second.identity_number not in html  # never the clear number
    assert 'data-searchable="1"' in html and 'data-search="wangtingting wtt"' in html
