"""Every juvenile page and endpoint: another county's users get 404/403 and see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.juvenile.selectors import case_counts_for, cases_visible_to
from zhengtu.juvenile.services.cases import issue_case_document
from zhengtu.juvenile.services.investigations import request_investigation
from zhengtu.juvenile.services.measures import add_adult, request_adult

from .conftest import Juvenile, accepted


@pytest.fixture
def objects(juv: Juvenile) -> dict[str, int]:
    case = accepted(juv)
    investigation = request_investigation(actor=Actor(user=juv.prosecutor_a), case=case)
    add_adult(actor=Actor(user=juv.worker), county=juv.county_a, name="赵阿姨", phone="13900001111")
    adult_request = request_adult(
        actor=Actor(user=juv.prosecutor_a),
        case=case,
        questioning_at=timezone.now() + dt.timedelta(days=1),
        place="溆浦县公安局询问室",
    )
    document = issue_case_document(actor=Actor(user=juv.worker), case=case, code="juvenile.registration")
    return {"case": case.pk, "investigation": investigation.pk, "request": adult_request.pk, "document": document.pk}


CASE_PAGES = [
    "juvenile:case",
    "juvenile:case_consent",
    "juvenile:case_guardian",
    "juvenile:case_link",
    "juvenile:investigation_new",
    "juvenile:adult_request_new",
    "juvenile:non_prosecution_new",
    "juvenile:periodic_report_new",
    "juvenile:non_prosecution_conclude",
]
CASE_POSTS = ["juvenile:case_step", "juvenile:case_document", "juvenile:case_seal"]


@pytest.mark.parametrize("outsider", ["worker_b", "prosecutor_b"])
def test_outsiders_get_404_everywhere(juv: Juvenile, objects: dict[str, int], client, login, outsider: str) -> None:  # type: ignore[no-untyped-def]
    user = getattr(juv, outsider)
    login(client, user)
    for name in CASE_PAGES:
        assert client.get(reverse(name, args=[objects["case"]])).status_code == 404, name
    for name in CASE_POSTS:
        assert client.post(reverse(name, args=[objects["case"]]), {"content": "x"}).status_code == 404, name
    investigation = objects["investigation"]
    for name in ("juvenile:investigation", "juvenile:interview_new", "juvenile:report_edit"):
        assert client.get(reverse(name, args=[investigation])).status_code == 404, name
    assert client.post(reverse("juvenile:report_action", args=[investigation, "draft"])).status_code == 404
    for name in ("juvenile:adult_request_assign", "juvenile:adult_request_attendance"):
        assert client.get(reverse(name, args=[objects["request"]])).status_code == 404, name
    assert client.get(reverse("juvenile:document_pdf", args=[objects["document"]])).status_code == 404
    assert client.get(reverse("api-juvenile-case", args=[objects["case"]])).status_code == 404
    assert client.get(reverse("api-juvenile-cases")).json()["results"] == []
    page = client.get(reverse("juvenile:cases"))
    assert "王小明" not in page.content.decode()
    assert case_counts_for(user)["total"] == 0
    assert not cases_visible_to(user).exists()


def test_outsider_lists_show_nothing(juv: Juvenile, objects: dict[str, int], client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, juv.worker_b)
    assert "赵阿姨" not in client.get(reverse("juvenile:roster")).content.decode()
    login(client, juv.prosecutor_b)
    assert "王小明" not in client.get(reverse("juvenile:received")).content.decode()


def test_roles_without_the_capability_are_refused(juv: Juvenile, objects: dict[str, int], client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, juv.officer_a)  # a justice office officer does not do juvenile work
    assert client.get(reverse("juvenile:cases")).status_code == 403
    assert client.get(reverse("juvenile:case", args=[objects["case"]])).status_code == 404
    assert client.get(reverse("api-juvenile-cases")).status_code == 403
    assert client.get(reverse("juvenile:oversight")).status_code == 403
    login(client, juv.worker)
    assert client.get(reverse("juvenile:oversight")).status_code == 403
    assert client.get(reverse("juvenile:received")).status_code == 403


def test_anonymous_is_sent_to_login(objects: dict[str, int], client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("juvenile:case", args=[objects["case"]])).status_code == 302
    assert client.get(reverse("api-juvenile-cases")).status_code in (401, 403)


def test_the_people_in_scope_see_it(juv: Juvenile, objects: dict[str, int], client, login) -> None:  # type: ignore[no-untyped-def]
    for user in (juv.worker, juv.colleague, juv.manager, juv.bureau_a, juv.prosecutor_a):
        login(client, user)
        assert client.get(reverse("juvenile:case", args=[objects["case"]])).status_code == 200, user.role
    login(client, juv.worker)
    body = client.get(reverse("api-juvenile-cases")).json()
    assert [row["id"] for row in body["results"]] == [objects["case"]]
