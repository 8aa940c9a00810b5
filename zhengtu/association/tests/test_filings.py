"""Supervisor credential filing: requirements, validity, renewal, and the status a project page shows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from zhengtu.accounts.roles import Role
from zhengtu.association.models import FilingDocumentKind, FilingStatus
from zhengtu.association.selectors import FilingState, lapsed_supervisors, supervisor_filing_status
from zhengtu.association.services import filings as services
from zhengtu.projects.models import ProjectStaff, StaffRole
from zhengtu.testing.factories import UserFactory

from .builders import add_supervisor

pytestmark = pytest.mark.django_db


def certificate():
    return (FilingDocumentKind.CERTIFICATE, SimpleUploadedFile("证书.pdf", b"%PDF-1.4 test", "application/pdf"))


def _submit(aw, supervisor, **fields):
    values = {
        "qualification_level": "intermediate",
        "certificate_number": "SW2019-0101",
        "education": "社会工作硕士",
        "years_in_social_work": 6,
        "years_supervising": 2,
        "documents": [certificate()],
    }
    values.update(fields)
    return services.submit_filing(
        actor=aw.admin_actor, association=aw.association, supervisor=supervisor, agency=aw.base.agency_a, **values
    )


def _approved(aw, supervisor, on_date, **fields):
    filing = _submit(aw, supervisor, **fields)
    return services.review_filing(actor=aw.admin_actor, filing=filing, decision="approve", on_date=on_date)


def test_approval_files_for_the_configured_years_with_a_number(aw):
    filing = _approved(aw, aw.base.social_worker_a, dt.date(2026, 3, 1))
    assert filing.status == FilingStatus.APPROVED
    assert (filing.valid_from, filing.valid_until) == (dt.date(2026, 3, 1), dt.date(2029, 2, 28))
    assert filing.filing_number == "督导备案〔2026〕1号"


def test_requirements_block_approval_with_reasons(aw):
    filing = _submit(aw, aw.base.social_worker_a, qualification_level="assistant", years_in_social_work=1)
    problems = services.requirement_problems(filing)
    assert len(problems) == 2
    with pytest.raises(ValidationError):
        services.review_filing(actor=aw.admin_actor, filing=filing, decision="approve")
    services.review_filing(actor=aw.admin_actor, filing=filing, decision="return", note="请补充工作年限证明")
    services.resubmit_filing(
        actor=aw.admin_actor, filing=filing, qualification_level="intermediate", years_in_social_work=4
    )
    assert services.requirement_problems(filing) == []


def test_an_application_needs_a_document_and_only_one_may_wait(aw):
    with pytest.raises(ValidationError):
        _submit(aw, aw.base.social_worker_a, documents=[])
    _submit(aw, aw.base.social_worker_a)
    with pytest.raises(ValidationError):
        _submit(aw, aw.base.social_worker_a)


def test_only_documents_of_allowed_types_are_accepted(aw):
    script = (FilingDocumentKind.OTHER, SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"))
    with pytest.raises(ValidationError):
        _submit(aw, aw.base.social_worker_a, documents=[certificate(), script])


def test_a_renewal_continues_without_a_gap(aw):
    first = _approved(aw, aw.base.social_worker_a, dt.date(2023, 5, 1))
    renewal = _submit(aw, aw.base.social_worker_a, renewal_of=first)
    services.review_filing(actor=aw.admin_actor, filing=renewal, decision="approve", on_date=dt.date(2026, 3, 1))
    assert renewal.valid_from == dt.date(2026, 5, 1)
    assert renewal.valid_until == dt.date(2029, 4, 30)


def test_status_through_the_life_of_a_filing(aw):
    supervisor = aw.base.social_worker_a
    assert supervisor_filing_status(supervisor, dt.date(2026, 1, 1)).state == FilingState.NONE
    filing = _submit(aw, supervisor)
    assert supervisor_filing_status(supervisor, dt.date(2026, 1, 1)).state == FilingState.PENDING
    services.review_filing(actor=aw.admin_actor, filing=filing, decision="approve", on_date=dt.date(2026, 1, 1))
    assert supervisor_filing_status(supervisor, dt.date(2027, 1, 1)).state == FilingState.VALID
    expiring = supervisor_filing_status(supervisor, dt.date(2028, 11, 1))
    assert expiring.state == FilingState.EXPIRING and expiring.valid_until == dt.date(2028, 12, 31)
    assert supervisor_filing_status(supervisor, dt.date(2029, 1, 1)).state == FilingState.LAPSED
    services.revoke_filing(actor=aw.admin_actor, filing=filing, note="资质证书被注销")
    assert supervisor_filing_status(supervisor, dt.date(2027, 1, 1)).state == FilingState.NONE


def test_lapsed_supervisors_of_a_project(aw):
    valid = UserFactory(organisation=aw.base.agency_a, role=Role.SOCIAL_WORKER, full_name="有效督导")
    lapsed = UserFactory(organisation=aw.base.agency_a, role=Role.SOCIAL_WORKER, full_name="过期督导")
    never = UserFactory(organisation=aw.base.agency_a, role=Role.SOCIAL_WORKER, full_name="未备案督导")
    gone = UserFactory(organisation=aw.base.agency_a, role=Role.SOCIAL_WORKER, full_name="已离开督导")
    _approved(aw, valid, dt.date(2025, 1, 1))
    _approved(aw, lapsed, dt.date(2022, 1, 1))
    for user in (valid, lapsed, never):
        add_supervisor(aw.project_a, user)
    ProjectStaff.objects.create(
        project=aw.project_a, user=gone, role=StaffRole.SUPERVISOR, left_on=dt.date(2026, 1, 31)
    )
    ProjectStaff.objects.create(project=aw.project_a, user=aw.manager_a, role=StaffRole.MANAGER)
    names = {
        entry.user.full_name: entry.status.state for entry in lapsed_supervisors(aw.project_a, dt.date(2026, 6, 1))
    }
    assert names == {"过期督导": FilingState.LAPSED, "未备案督导": FilingState.NONE}


def test_the_template_tag_for_the_project_page_shows_a_lapsed_filing(aw):
    lapsed = UserFactory(organisation=aw.base.agency_a, role=Role.SOCIAL_WORKER, full_name="过期督导")
    _approved(aw, lapsed, dt.date(2020, 1, 1))
    add_supervisor(aw.project_a, lapsed)
    html = Template("{% load association_tags %}{% supervisor_filing_panel project %}").render(
        Context({"project": aw.project_a})
    )
    assert "过期督导" in html
    assert "2022-12-31" in html
    assert 'role="alert"' in html
