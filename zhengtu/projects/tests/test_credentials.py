"""One person's credential entered once: the association's supervisor filing is the record, the project
page shows it (and the association's panel of its supervisors' filings), and refuses to enter it again."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.association.models import FilingDocumentKind, SupervisorFiling
from zhengtu.association.services import filings
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import OrganisationKind
from zhengtu.projects import services
from zhengtu.projects.credentials import credentials_of
from zhengtu.projects.forms import CredentialForm
from zhengtu.projects.models import CredentialKind, StaffCredential
from zhengtu.projects.tests.conftest import actor
from zhengtu.testing.factories import UserFactory, make_org

pytestmark = pytest.mark.django_db


def file_supervisor(world, supervisor, *, approve: bool = True) -> SupervisorFiling:  # type: ignore[no-untyped-def]
    association = make_org("怀化市司法矫治协会", OrganisationKind.ASSOCIATION, world.city)
    admin = Actor(user=UserFactory(organisation=association, role=Role.ASSOCIATION_ADMIN))
    filing = filings.submit_filing(
        actor=admin, association=association, supervisor=supervisor, agency=None,
        qualification_level="intermediate", certificate_number="SW2019-0101", education="社会工作硕士",
        years_in_social_work=6,
        documents=[(FilingDocumentKind.CERTIFICATE, SimpleUploadedFile("证书.pdf", b"%PDF-1.4", "application/pdf"))],
    )  # fmt: skip
    if approve:
        filing = filings.review_filing(actor=admin, filing=filing, decision="approve")
    return filing


def test_a_supervisor_credential_is_not_entered_on_the_project(pw) -> None:  # type: ignore[no-untyped-def]
    form = CredentialForm(project=pw.project)
    assert CredentialKind.SUPERVISOR not in [value for value, _label in form.fields["kind"].choices]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as error:
        services.add_credential(
            actor=actor(pw.manager), project=pw.project, user=pw.supervisor, kind=CredentialKind.SUPERVISOR,
            number="DD-001",
        )  # fmt: skip
    assert "协会" in error.value.message_dict["kind"][0]
    assert not StaffCredential.objects.exists()


def test_the_filing_shows_as_the_credential_and_its_certificate_is_not_entered_twice(pw, world) -> None:  # type: ignore[no-untyped-def]
    filing = file_supervisor(world, pw.supervisor)
    with pytest.raises(ValidationError) as error:
        services.add_credential(
            actor=actor(pw.manager), project=pw.project, user=pw.supervisor, kind=CredentialKind.SOCIAL_WORKER,
            number="SW2019-0101",
        )  # fmt: skip
    assert "备案" in error.value.message_dict["number"][0]
    services.add_credential(
        actor=actor(pw.manager), project=pw.project, user=pw.supervisor,
        kind=CredentialKind.PSYCHOLOGICAL_COUNSELLOR, number="XL-88",
    )  # fmt: skip
    lines = credentials_of([pw.supervisor.pk], timezone.localdate())[pw.supervisor.pk]
    assert [(line.number, line.from_filing) for line in lines] == [
        (filing.filing_number, True),
        ("SW2019-0101", True),
        ("XL-88", False),
    ]
    assert lines[0].expires_on == filing.valid_until


def test_the_project_pages_show_the_filing_and_the_association_panel(client, login, pw, world) -> None:  # type: ignore[no-untyped-def]
    filing = file_supervisor(world, pw.supervisor)
    login(client, pw.manager)
    detail = client.get(reverse("projects:detail", args=[pw.project.pk])).content.decode()
    assert "supervisor-filings" in detail  # the association's panel
    assert filing.filing_number in detail and pw.supervisor.display_name in detail
    staff = client.get(reverse("projects:staff", args=[pw.project.pk])).content.decode()
    assert filing.filing_number in staff and "SW2019-0101" in staff
    login(client, pw.outsider)
    assert client.get(reverse("projects:detail", args=[pw.project.pk])).status_code == 404
    assert client.get(reverse("projects:staff", args=[pw.project.pk])).status_code == 404


def test_a_supervisor_without_a_filing_is_flagged_on_the_project_page(client, login, pw, world) -> None:  # type: ignore[no-untyped-def]
    file_supervisor(world, pw.supervisor, approve=False)
    login(client, pw.manager)
    detail = client.get(reverse("projects:detail", args=[pw.project.pk])).content.decode()
    assert "supervisor-filings" in detail and 'role="alert"' in detail


def test_the_migration_removes_supervisor_credentials_the_association_has_filed(pw, world) -> None:  # type: ignore[no-untyped-def]
    StaffCredential.objects.create(user=pw.supervisor, kind=CredentialKind.SUPERVISOR, number="DD-001")
    StaffCredential.objects.create(user=pw.worker, kind=CredentialKind.SUPERVISOR, number="DD-002")
    StaffCredential.objects.create(user=pw.supervisor, kind=CredentialKind.SOCIAL_WORKER, number="SW-7")
    file_supervisor(world, pw.supervisor)
    migration = importlib.import_module("zhengtu.projects.migrations.0003_supervisor_credentials_from_filings")
    migration.remove_duplicated_supervisor_credentials(apps, None)
    left = sorted(StaffCredential.objects.values_list("number", flat=True))
    assert left == ["DD-002", "SW-7"]  # the unfiled one stays, shown as not filed
    lines = credentials_of([pw.worker.pk], dt.date.today())[pw.worker.pk]
    assert [line.number for line in lines] == ["DD-002"] and "未" in lines[0].label


def test_an_expired_filing_no_longer_shows_the_person_as_a_filed_supervisor(pw, world) -> None:  # type: ignore[no-untyped-def]
    filing = file_supervisor(world, pw.supervisor)
    after_expiry = filing.valid_until + dt.timedelta(days=1)
    lines = credentials_of([pw.supervisor.pk], after_expiry)[pw.supervisor.pk]
    assert lines[0].label == "督导备案已过期"
    assert lines[0].number == filing.filing_number
    on_time = credentials_of([pw.supervisor.pk], filing.valid_until)[pw.supervisor.pk]
    assert on_time[0].label == str(CredentialKind.SUPERVISOR.label)
