from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.exceptions import NotFound

from zhengtu.api.errors import error_body, exception_handler


def test_service_validation_errors_become_400_with_field_errors():
    with translation.override("zh-hans"):
        response = exception_handler(ValidationError({"term_months": ["矫正期限必须大于零。"]}), {})
    assert response.status_code == 400
    assert response.data == {
        "detail": "提交的数据有误：矫正期限必须大于零。",
        "errors": {"term_months": ["矫正期限必须大于零。"]},
    }


def test_plain_validation_messages_become_non_field_errors():
    response = exception_handler(ValidationError("不能撤销。"), {})
    assert response.data["errors"] == {"non_field_errors": ["不能撤销。"]}


def test_a_refusal_about_the_whole_record_is_named_like_a_serializer_s():
    # Views let a service's ValidationError through; its "__all__" key reads as DRF's "non_field_errors".
    error = ValidationError({"__all__": ["已有在矫记录。"], "name": ["必填。"]})
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["已有在矫记录。"], "name": ["必填。"]}


def test_other_errors_keep_only_detail():
    with translation.override("zh-hans"):
        response = exception_handler(NotFound(), {})
    assert response.status_code == 404
    assert set(response.data) == {"detail"} and response.data["detail"] != "Not found."


def test_unexpected_shapes_still_give_a_detail():
    assert error_body(["a", "b"], is_validation=False) == {"detail": "a"}
    assert error_body({}, is_validation=False)["detail"]
