"""Record sealing: a colleague without approval sees nothing of a sealed case, not even a count."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.juvenile.models import SealedReadRequest, SealedReadStatus
from zhengtu.juvenile.selectors import case_counts_for, cases_visible_to, search_cases
from zhengtu.juvenile.services.investigations import record_interview, request_investigation
from zhengtu.juvenile.services.sealing import decide_sealed_read, request_sealed_read, seal_case

from .conftest import Juvenile, accepted


@pytest.fixture
def sealed_case(juv: Juvenile):  # type: ignore[no-untyped-def]
    case = accepted(juv)
    investigation = request_investigation(actor=Actor(user=juv.prosecutor_a), case=case)
    record_interview(
        actor=Actor(user=juv.worker),
        investigation=investigation,
        informant_kind="school",
        informant_name="李老师",
        held_on=case.referred_on,
        section="school_or_work",
        statement="在校表现一般",
    )
    case = seal_case(actor=Actor(user=juv.worker), case=case, basis="（2026）湘1229刑初12号判决，依刑诉法第286条封存")
    return case, investigation


def test_colleague_sees_the_case_before_sealing_but_nothing_after(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    assert case_counts_for(juv.colleague)["total"] == 1
    login(client, juv.colleague)
    assert case.number in client.get(reverse("juvenile:cases")).content.decode()

    seal_case(actor=Actor(user=juv.worker), case=case, basis="依刑诉法第286条封存")

    page = client.get(reverse("juvenile:cases")).content.decode()
    assert case.number not in page and "王小明" not in page
    search = client.get(reverse("juvenile:cases"), {"q": "王小明"}).content.decode()
    assert case.number not in search
    assert case_counts_for(juv.colleague) == {"total": 0, "open": 0, "by_service_type": {}, "by_stage": {}}
    assert not search_cases(juv.colleague, "王小明").exists()
    assert client.get(reverse("juvenile:case", args=[case.pk])).status_code == 404


def test_sealed_material_is_hidden_on_every_page_and_endpoint(juv: Juvenile, sealed_case, client, login) -> None:  # type: ignore[no-untyped-def]
    case, investigation = sealed_case
    from zhengtu.juvenile.services.cases import issue_case_document

    document = issue_case_document(actor=Actor(user=juv.worker), case=case, code="juvenile.registration")
    login(client, juv.colleague)
    for url in (
        reverse("juvenile:case", args=[case.pk]),
        reverse("juvenile:investigation", args=[investigation.pk]),
        reverse("juvenile:interview_new", args=[investigation.pk]),
        reverse("juvenile:document_pdf", args=[document.pk]),
        reverse("juvenile:adult_request_new", args=[case.pk]),
        reverse("juvenile:non_prosecution_new", args=[case.pk]),
        reverse("juvenile:case_guardian", args=[case.pk]),
        reverse("api-juvenile-case", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (reverse("juvenile:case_seal", args=[case.pk]), reverse("juvenile:case_step", args=[case.pk])):
        assert client.post(url, {"basis": "x", "content": "x"}).status_code == 404, url
    assert client.get(reverse("api-juvenile-cases")).json()["results"] == []


def test_people_on_the_case_see_it_marked_sealed_but_it_is_never_counted(
    juv: Juvenile, sealed_case, client, login
) -> None:  # type: ignore[no-untyped-def]
    case, _investigation = sealed_case
    login(client, juv.worker)
    page = client.get(reverse("juvenile:cases")).content.decode()
    assert case.number in page and "封存" in page
    assert client.get(reverse("juvenile:case", args=[case.pk])).status_code == 200
    assert case_counts_for(juv.worker)["total"] == 0
    assert not cases_visible_to(juv.worker, for_counting=True).exists()
    assert client.get(reverse("api-juvenile-cases")).json()["results"] == []
    # The referring prosecutor is on the case too.
    assert cases_visible_to(juv.prosecutor_a).filter(pk=case.pk).exists()


def test_a_read_needs_a_legal_basis_and_approval_and_is_audited(juv: Juvenile, sealed_case, client, login) -> None:  # type: ignore[no-untyped-def]
    case, _investigation = sealed_case
    with pytest.raises(ValidationError):
        request_sealed_read(actor=Actor(user=juv.colleague), case_number=case.number, legal_basis="查")
    request = request_sealed_read(
        actor=Actor(user=juv.colleague),
        case_number=case.number,
        legal_basis="依《刑事诉讼法》第286条，办理关联案件需要查询",
    )
    login(client, juv.colleague)
    assert client.get(reverse("juvenile:case", args=[case.pk])).status_code == 404  # not yet approved

    decide_sealed_read(actor=Actor(user=juv.bureau_a), request=request, approve=True)
    request.refresh_from_db()
    assert request.status == SealedReadStatus.APPROVED

    page = client.get(reverse("juvenile:case", args=[case.pk]))
    assert page.status_code == 200
    assert "第286条" in page.content.decode()
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="view", username=juv.colleague.username).last()
    assert entry is not None and entry.detail["sealed"] is True and "286" in entry.detail["legal_basis"]
    # The approved read opens that one case only: still not in lists or counts.
    assert case.number not in client.get(reverse("juvenile:cases")).content.decode()
    assert case_counts_for(juv.colleague)["total"] == 0


def test_an_unknown_number_is_not_revealed_and_can_only_be_rejected(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, juv.colleague)
    response = client.post(
        reverse("juvenile:sealed"), {"case_number": "未2020-999-99999", "legal_basis": "依法查询关联案件的封存记录"}
    )
    assert response.status_code == 302
    request = SealedReadRequest.objects.get()
    assert request.case is None
    with pytest.raises(ValidationError):
        decide_sealed_read(actor=Actor(user=juv.bureau_a), request=request, approve=True)


def test_outsider_approver_cannot_decide(juv: Juvenile, sealed_case) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    case, _investigation = sealed_case
    request = request_sealed_read(
        actor=Actor(user=juv.colleague), case_number=case.number, legal_basis="依法查询关联案件的封存记录"
    )
    other_bureau = UserFactory(organisation=juv.county_b, role=Role.BUREAU_ADMIN)
    with pytest.raises(PermissionDenied):
        decide_sealed_read(actor=Actor(user=other_bureau), request=request, approve=True)


def test_only_someone_who_sees_the_case_can_seal_it(juv: Juvenile) -> None:
    from django.core.exceptions import PermissionDenied

    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    case = accepted(juv)
    other_bureau = UserFactory(organisation=juv.county_b, role=Role.BUREAU_ADMIN)
    with pytest.raises(PermissionDenied):
        seal_case(actor=Actor(user=other_bureau), case=case, basis="依法封存")
    with pytest.raises(PermissionDenied):  # a colleague not on the case
        seal_case(actor=Actor(user=juv.colleague), case=case, basis="依法封存")
    seal_case(actor=Actor(user=juv.bureau_a), case=case, basis="依法封存")
    # Whoever sealed it stays able to see it.
    assert cases_visible_to(juv.bureau_a).filter(pk=case.pk).exists()
