import pytest
from rest_framework import serializers

from zhengtu.api.fields import named_choice_class, named_choice_field


def test_a_named_choice_field_validates_like_a_choice_field():
    field = named_choice_field("TestTrafficLight", [("red", "红"), ("green", "绿")])
    assert field.run_validation("red") == "red"
    with pytest.raises(serializers.ValidationError):
        field.run_validation("blue")


def test_one_name_gives_one_field_class():
    first = named_choice_class("TestAnswer", [("yes", "是"), ("no", "否")])
    assert named_choice_class("TestAnswer", [("yes", "Yes"), ("no", "No")]) is first
    assert first.__name__ == "TestAnswer"


def test_one_name_cannot_document_two_choice_sets():
    named_choice_class("TestSeason", ["spring", "summer"])
    with pytest.raises(ValueError, match="TestSeason"):
        named_choice_class("TestSeason", ["autumn", "winter"])


def test_a_blank_allowed_field_accepts_blank_and_still_checks_the_choices():
    field = named_choice_field("TestVisitKind", [("routine", "日常"), ("focus", "重点")], allow_blank=True)
    assert field.run_validation("") == ""
    assert field.run_validation("focus") == "focus"
    with pytest.raises(serializers.ValidationError):
        field.run_validation("special")
