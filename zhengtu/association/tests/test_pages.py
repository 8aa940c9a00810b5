"""The association's pages as users meet them, and the outsider (another city's association) rule."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.association.models import (
    FilingDocumentKind,
    MemberKind,
    Membership,
    MembershipStatus,
    SupervisorFiling,
    Training,
)
from zhengtu.association.services import filings as filing_services
from zhengtu.association.services import members as member_services
from zhengtu.association.services import trainings as training_services
from zhengtu.audit.models import Action, AuditEntry

from .builders import local_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(aw):
    training = training_services.create_training(
        actor=aw.admin_actor,
        association=aw.association,
        topic="职业生涯规划",
        trainer="周老师",
        audience="驻所司法社工",
        starts_at=local_datetime(dt.date(2026, 5, 20), 14),
        ends_at=local_datetime(dt.date(2026, 5, 20), 17),
        place="协会培训室",
    )
    registration = training_services.register_guest(
        actor=aw.admin_actor, training=training, name="陈小红", phone="13912345678"
    )
    membership = member_services.apply_for_membership(
        actor=aw.admin_actor,
        association=aw.association,
        kind=MemberKind.INDIVIDUAL,
        name="李芳",
        user=aw.base.social_worker_a,
    )
    filing = filing_services.submit_filing(
        actor=aw.admin_actor,
        association=aw.association,
        supervisor=aw.base.social_worker_a,
        agency=aw.base.agency_a,
        qualification_level="intermediate",
        certificate_number="SW-1",
        education="本科",
        years_in_social_work=5,
        documents=[(FilingDocumentKind.CERTIFICATE, SimpleUploadedFile("证书.pdf", b"%PDF-1.4", "application/pdf"))],
    )
    return {"training": training, "registration": registration, "membership": membership, "filing": filing}


def managed_urls(records):
    t, r, m, f = records["training"], records["registration"], records["membership"], records["filing"]
    document = f.documents.get()
    return [
        ("get", reverse("association:training-edit", args=[t.pk])),
        ("get", reverse("association:training-qr", args=[t.pk])),
        ("post", reverse("association:training-qr-rotate", args=[t.pk])),
        ("post", reverse("association:training-cancel", args=[t.pk])),
        ("post", reverse("association:registration-add", args=[t.pk])),
        ("post", reverse("association:registration-attendance", args=[t.pk, r.pk])),
        ("post", reverse("association:registration-remove", args=[t.pk, r.pk])),
        ("get", reverse("association:questionnaire-entry", args=[t.pk])),
        ("get", reverse("association:training-detail", args=[t.pk])),
        ("post", reverse("association:training-register", args=[t.pk])),
        ("get", reverse("association:member-detail", args=[m.pk])),
        ("post", reverse("association:member-decide", args=[m.pk])),
        ("post", reverse("association:member-status", args=[m.pk])),
        ("get", reverse("association:filing-detail", args=[f.pk])),
        ("post", reverse("association:filing-review", args=[f.pk])),
        ("post", reverse("association:filing-revoke", args=[f.pk])),
        ("get", reverse("association:filing-renew", args=[f.pk])),
        ("get", reverse("association:filing-resubmit", args=[f.pk])),
        ("get", reverse("association:filing-document", args=[document.pk])),
        ("get", reverse("association-api-training", args=[t.pk])),
        ("get", reverse("association-api-training-figures", args=[t.pk])),
        ("post", reverse("association-api-training-register", args=[t.pk])),
        ("get", reverse("association-api-filing", args=[f.pk])),
    ]


def test_another_citys_association_gets_404_on_every_record(client, login, aw, records):
    login(client, aw.other_admin)
    for method, url in managed_urls(records):
        response = getattr(client, method)(url, {"approve": "1", "decision": "approve", "note": "x", "name": "x"})
        assert response.status_code == 404, url
    assert Training.objects.get().is_cancelled is False
    assert Membership.objects.get().status == MembershipStatus.APPLIED
    assert SupervisorFiling.objects.get().status == "submitted"


def test_staff_of_another_city_get_404_for_trainings_and_see_no_directory(client, login, aw, records):
    login(client, aw.other_manager)
    assert client.get(reverse("association:training-detail", args=[records["training"].pk])).status_code == 404
    assert client.post(reverse("association:training-register", args=[records["training"].pk])).status_code == 404
    assert client.get(reverse("association-api-trainings")).json()["count"] == 0
    assert client.get(reverse("association-api-filings")).json()["count"] == 0


def test_administrator_pages_need_the_capability(client, login, aw):
    login(client, aw.base.social_worker_a)
    for name in (
        "association:dashboard",
        "association:training-create",
        "association:member-list",
        "association:questionnaire-items",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("association-api-year-figures")).status_code == 403


def test_the_administrator_schedules_a_training_and_sees_it_in_the_year(client, login, aw):
    login(client, aw.admin)
    response = client.post(
        reverse("association:training-create"),
        {
            "topic": "社区矫正法解读",
            "trainer": "刘教授",
            "audience": "全市司法社工",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T11:30",
            "place": "市司法局礼堂",
        },
    )
    training = Training.objects.get()
    assert response.status_code == 302
    assert training.starts_at.hour == 1  # 09:00 in Shanghai is 01:00 UTC
    page = client.get(reverse("association:training-list"), {"year": 2026})
    assert "社区矫正法解读" in page.content.decode()


def test_bad_times_keep_what_was_typed(client, login, aw):
    login(client, aw.admin)
    page = client.post(
        reverse("association:training-create"),
        {
            "topic": "保留的主题",
            "trainer": "t",
            "audience": "a",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T08:00",
            "place": "p",
        },
    )
    assert page.status_code == 200
    assert "保留的主题" in page.content.decode()
    assert not Training.objects.exists()


def test_a_social_worker_registers_from_the_training_page(client, login, aw, records):
    login(client, aw.base.social_worker_a)
    training = records["training"]
    page = client.get(reverse("association:training-list"), {"year": 2026})
    assert training.topic in page.content.decode()
    client.post(reverse("association:training-register", args=[training.pk]))
    assert training.registrations.filter(user=aw.base.social_worker_a).exists()


def test_attendance_and_paper_questionnaires_update_the_figures(client, login, aw, records):
    login(client, aw.admin)
    training, registration = records["training"], records["registration"]
    client.post(reverse("association:registration-attendance", args=[training.pk, registration.pk]), {"attended": "on"})
    registration.refresh_from_db()
    assert registration.attended
    client.post(reverse("association:questionnaire-items"), {"standard": "1"})
    items = training_services.active_questionnaire_items(aw.association)
    client.post(reverse("association:questionnaire-entry", args=[training.pk]), {f"item_{i.pk}": "4" for i in items})
    page = client.get(reverse("association:training-detail", args=[training.pk]))
    assert 'data-testid="satisfaction">100.00%' in page.content.decode()


def test_dashboard_shows_members_and_waiting_work(client, login, aw, records):
    login(client, aw.admin)
    member_services.decide_membership(actor=aw.admin_actor, membership=records["membership"], approve=True)
    page = client.get(reverse("association:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert records["filing"].supervisor.display_name in html


def test_membership_application_by_a_social_worker_and_decision(client, login, aw):
    login(client, aw.base.social_worker_a)
    response = client.post(
        reverse("association:member-apply"),
        {"association": aw.association.pk, "kind": "individual", "name": "李芳", "qualification": "中级社会工作师"},
    )
    membership = Membership.objects.get()
    assert response.status_code == 302
    assert membership.user == aw.base.social_worker_a
    assert client.get(reverse("association:member-detail", args=[membership.pk])).status_code == 200
    unit = client.post(
        reverse("association:member-apply"), {"association": aw.association.pk, "kind": "unit", "name": "x"}
    )
    assert unit.status_code == 200  # a social worker's workplace is an agency, but only managers apply for it
    login(client, aw.admin)
    client.post(reverse("association:member-decide", args=[membership.pk]), {"approve": "1"})
    membership.refresh_from_db()
    assert membership.member_number.startswith("HY-I-")
    login(client, aw.base.officer_a)
    assert "李芳" in client.get(reverse("association:directory")).content.decode()
    assert client.get(reverse("association-api-directory")).json()["count"] == 1


def test_filing_application_review_and_document_download_are_audited(client, login, aw):
    login(client, aw.base.social_worker_a)
    response = client.post(
        reverse("association:filing-apply"),
        {
            "association": aw.association.pk,
            "qualification_level": "intermediate",
            "certificate_number": "SW-2",
            "education": "本科",
            "years_in_social_work": "5",
            "years_supervising": "1",
            "certificate": SimpleUploadedFile("证书.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    filing = SupervisorFiling.objects.get()
    assert response.status_code == 302 and filing.supervisor == aw.base.social_worker_a
    login(client, aw.admin)
    client.post(reverse("association:filing-review", args=[filing.pk]), {"decision": "approve"})
    filing.refresh_from_db()
    assert filing.status == "approved"
    download = client.get(reverse("association:filing-document", args=[filing.documents.get().pk]))
    assert download.status_code == 200
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_id=str(filing.pk)).exists()
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(filing.pk)).count() == 0
    client.get(reverse("association:filing-detail", args=[filing.pk]))
    assert AuditEntry.objects.filter(action=Action.VIEW, object_id=str(filing.pk)).count() == 1


def test_a_missing_certificate_keeps_the_form(client, login, aw):
    login(client, aw.base.social_worker_a)
    page = client.post(
        reverse("association:filing-apply"),
        {
            "association": aw.association.pk,
            "qualification_level": "intermediate",
            "certificate_number": "SW-9",
            "education": "本科",
            "years_in_social_work": "5",
        },
    )
    assert page.status_code == 200
    assert 'value="SW-9"' in page.content.decode()
    assert not SupervisorFiling.objects.exists()


def test_an_agency_manager_sees_the_filings_of_their_staff_only(client, login, aw, records):
    login(client, aw.manager_a)
    assert client.get(reverse("association:filing-detail", args=[records["filing"].pk])).status_code == 200
    login(client, aw.manager_b)
    assert client.get(reverse("association:filing-detail", args=[records["filing"].pk])).status_code == 404


def test_year_figures_api(client, login, aw, records):
    login(client, aw.admin)
    data = client.get(reverse("association-api-year-figures"), {"year": 2026}).json()
    assert data["sessions"] == 1 and data["person_times"] == 0
