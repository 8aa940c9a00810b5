"""A replayed action (same idempotency key) is answered from the receipt and never stored twice."""

from __future__ import annotations

import json

import pytest
from django.http import JsonResponse
from django.test import RequestFactory

from zhengtu.selfservice.idempotency import idempotent
from zhengtu.selfservice.models import ActionReceipt

pytestmark = pytest.mark.django_db

stored: list[str] = []


@idempotent
def store_something(request):  # type: ignore[no-untyped-def]
    if request.POST.get("text") == "":
        return JsonResponse({"ok": False, "error": "empty"}, status=400)
    stored.append(request.POST["text"])
    return JsonResponse({"ok": True, "id": len(stored)}, status=201)


def _post(user, key, text="hello"):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/app/x/", {"text": text}, HTTP_IDEMPOTENCY_KEY=key)
    request.user = user
    return store_something(request)


def test_a_replay_returns_the_first_answer_and_stores_nothing_more(my_account) -> None:  # type: ignore[no-untyped-def]
    stored.clear()
    first = _post(my_account, "key-aaaaaaaa")
    again = _post(my_account, "key-aaaaaaaa")
    assert first.status_code == again.status_code == 201
    assert json.loads(first.content) == json.loads(
        again.content
    )  # the same answer (PostgreSQL may order the keys differently)
    assert again["Idempotent-Replay"] == "true"
    assert stored == ["hello"]


def test_another_key_is_another_action(my_account) -> None:  # type: ignore[no-untyped-def]
    stored.clear()
    _post(my_account, "key-aaaaaaaa")
    _post(my_account, "key-bbbbbbbb")
    assert len(stored) == 2


def test_a_refusal_frees_the_key_for_a_corrected_retry(my_account) -> None:  # type: ignore[no-untyped-def]
    stored.clear()
    assert _post(my_account, "key-cccccccc", text="").status_code == 400
    assert _post(my_account, "key-cccccccc", text="fixed").status_code == 201
    assert stored == ["fixed"]


def test_a_key_in_progress_answers_409(my_account) -> None:  # type: ignore[no-untyped-def]
    stored.clear()
    ActionReceipt.objects.create(user=my_account, key="key-dddddddd", path="/app/x/")
    response = _post(my_account, "key-dddddddd")
    assert response.status_code == 409
    assert stored == []


def test_keys_are_per_user(world, my_account) -> None:  # type: ignore[no-untyped-def]
    stored.clear()
    _post(my_account, "key-eeeeeeee")
    _post(world.officer_a, "key-eeeeeeee")
    assert len(stored) == 2
