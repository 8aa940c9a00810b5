from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from zhengtu.core.pages import add_service_errors, run_action, run_form_action, save_form


class LeaveForm(forms.Form):
    destination = forms.CharField()
    days = forms.IntegerField()


def _request(method: str = "post", data: dict[str, Any] | None = None) -> Any:
    request = getattr(RequestFactory(), method)("/", data or {})
    request._messages = CookieStorage(request)
    return request


def test_a_service_refusal_lands_on_the_field_it_names_and_the_rest_above_the_form():
    form = LeaveForm({"destination": "长沙", "days": "3"})
    form.is_valid()
    add_service_errors(form, ValidationError({"days": ["最多 30 天。"], "approver": ["无审批人。"]}))
    assert form.errors["days"] == ["最多 30 天。"]
    assert form.non_field_errors() == ["无审批人。"]


def test_a_refusal_about_a_model_field_lands_on_the_form_field_that_edits_it():
    form = LeaveForm({"destination": "长沙", "days": "3"})
    form.is_valid()
    add_service_errors(form, ValidationError({"duration": ["最多 30 天。"]}), aliases={"duration": "days"})
    assert form.errors["days"] == ["最多 30 天。"]
    assert not form.non_field_errors()


def test_a_refusal_without_fields_goes_above_the_form():
    form = LeaveForm({"destination": "长沙", "days": "3"})
    form.is_valid()
    add_service_errors(form, ValidationError("本月已提交。"))
    assert form.non_field_errors() == ["本月已提交。"]


def test_save_form_calls_the_service_with_the_cleaned_data_and_returns_its_result():
    request = _request(data={"destination": "长沙", "days": "3"})
    form = LeaveForm(request.POST)
    saved = save_form(request, form, lambda data: ("saved", data["days"]))
    assert saved is not None and saved.result == ("saved", 3)


def test_save_form_tells_a_service_returning_none_from_a_refusal():
    request = _request(data={"destination": "长沙", "days": "3"})
    assert save_form(request, LeaveForm(request.POST), lambda data: None) is not None


def test_save_form_keeps_what_the_clerk_typed_when_the_service_refuses():
    request = _request(data={"destination": "长沙", "days": "40"})
    form = LeaveForm(request.POST)

    def refuse(data: dict[str, Any]) -> None:
        raise ValidationError({"days": ["一次请假最多 30 天。"]})

    assert save_form(request, form, refuse) is None
    assert form.errors["days"] == ["一次请假最多 30 天。"]
    assert form["destination"].value() == "长沙"


def test_save_form_does_not_call_the_service_on_a_get_or_invalid_input():
    calls = []
    get = _request("get")
    assert save_form(get, LeaveForm(), calls.append) is None
    post = _request(data={"destination": "长沙", "days": "三"})
    assert save_form(post, LeaveForm(post.POST), calls.append) is None
    assert calls == []


def test_run_action_shows_the_done_message_or_the_refusal():
    request = _request()
    assert run_action(request, lambda: None, done="已登记。") is True

    def refuse() -> None:
        raise ValidationError("培训已取消，不能报名。")

    assert run_action(request, refuse, done="已登记。") is False
    assert [str(message) for message in get_messages(request)] == ["已登记。", "培训已取消，不能报名。"]


def test_an_uploaded_file_reads_as_the_name_it_had_on_the_users_computer():
    from zhengtu.association.models import FilingDocument

    assert (
        str(FilingDocument(original_name="资格证书.pdf", file="association/filings/2026/11/x1.pdf")) == "资格证书.pdf"
    )
    assert str(FilingDocument(file="association/filings/2026/11/x1.pdf")) == "association/filings/2026/11/x1.pdf"


def test_run_form_action_passes_the_cleaned_data_or_says_what_is_missing():
    calls = []
    good = _request(data={"destination": "长沙", "days": "3"})
    assert run_form_action(good, LeaveForm(good.POST), calls.append, invalid="请填写目的地和天数。", done="已提交。")
    assert calls == [{"destination": "长沙", "days": 3}]
    bad = _request(data={"destination": ""})
    assert not run_form_action(bad, LeaveForm(bad.POST), calls.append, invalid="请填写目的地和天数。")
    assert len(calls) == 1
    assert [str(message) for message in get_messages(bad)] == ["请填写目的地和天数。"]
