"""The registry pages as a clerk uses them; an outsider gets 404 on every page about a person."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry, Outcome
from zhengtu.audit.services import Actor
from zhengtu.supervisees import services
from zhengtu.supervisees.models import Assignment, AssignmentRole, Supervisee
from zhengtu.testing.factories import make_supervisee

from .builders import form_data, identity
from .test_services import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):  # type: ignore[no-untyped-def]
    return make_supervisee(world.office_a, name="张三", phone="13812345678")


PERSON_PAGES = [
    ("get", "supervisees:detail", ()),
    ("get", "supervisees:edit", ()),
    ("post", "supervisees:edit", ()),
    ("post", "supervisees:reveal", ("identity_number",)),
    ("post", "supervisees:reveal", ("phone",)),
    ("get", "supervisees:photo", ()),
    ("get", "supervisees:assignments", ()),
    ("post", "supervisees:assignments", ()),
]


@pytest.mark.parametrize(("method", "name", "extra"), PERSON_PAGES)
def test_outsider_gets_404_on_every_page_about_a_person(client, login, world, person, method, name, extra) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    response = getattr(client, method)(reverse(name, args=[person.pk, *extra]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__in=[Action.VIEW, Action.REVEAL]).exists()


def test_outsider_gets_404_when_ending_an_assignment(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    assignment = Assignment.objects.create(supervisee=person, user=world.colleague_a, role=AssignmentRole.OFFICER)
    login(client, world.officer_b)
    response = client.post(reverse("supervisees:assignment_end", args=[person.pk, assignment.pk]))
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.ended_at is None


def test_pages_need_a_login(client, person) -> None:  # type: ignore[no-untyped-def]
    for url in (reverse("supervisees:list"), reverse("supervisees:detail", args=[person.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_only_the_scope_with_masked_numbers(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_b, name="李四")
    login(client, world.officer_a)
    response = client.get(reverse("supervisees:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "张三" in page and "李四" not in page
    assert person.identity_number_masked in page and person.identity_number not in page


def test_list_search_and_filters_by_query_string(client, login, world) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_a, name="张三", supervision_level="strict")
    make_supervisee(world.office_a2, name="王五")
    login(client, world.bureau_a)
    page = client.get(reverse("supervisees:list"), {"q": "zs"}).content.decode()
    assert "张三" in page and "王五" not in page
    page = client.get(reverse("supervisees:list"), {"office": world.office_a2.pk}).content.decode()
    assert "王五" in page and "张三" not in page
    page = client.get(reverse("supervisees:list"), {"supervision_level": "strict"}).content.decode()
    assert "张三" in page and "王五" not in page


def test_a_bad_filter_value_is_reported_and_the_rest_still_applies(client, login, world) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_a, name="张三")
    make_supervisee(world.office_b, name="李四")
    login(client, world.officer_a)
    response = client.get(
        reverse("supervisees:list"), {"office": world.office_b.pk, "q": "zs", "term_ending_within": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "张三" in page and "李四" not in page
    assert response.context["form"].errors.keys() == {"office", "term_ending_within"}


def test_list_is_paginated_by_fifty(client, login, world) -> None:  # type: ignore[no-untyped-def]
    for _ in range(51):
        make_supervisee(world.office_a)
    login(client, world.officer_a)
    first = client.get(reverse("supervisees:list"))
    assert len(first.context["page"].object_list) == 50 and first.context["page"].paginator.count == 51
    second = client.get(reverse("supervisees:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1


def test_htmx_filter_returns_only_the_results(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get(reverse("supervisees:list"), {"q": "zs"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "张三" in response.content.decode() and "<html" not in response.content.decode()


def test_users_without_the_capability_get_403(client, login, world) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.testing.factories import UserFactory

    inspector = UserFactory(organisation=world.county_a, role="inspector")
    login(client, inspector)
    assert client.get(reverse("supervisees:list")).status_code == 403
    login(client, world.social_worker_a)
    assert client.get(reverse("supervisees:create")).status_code == 403
    assert client.get(reverse("supervisees:import")).status_code == 403
    assert client.get(reverse("supervisees:export")).status_code == 403


def test_detail_view_is_audited_and_shows_the_record(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.colleague_a)
    response = client.get(reverse("supervisees:detail", args=[person.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert person.identity_number_masked in page and person.identity_number not in page
    assert "13812345678" not in page and "138****5678" in page
    entry = AuditEntry.objects.get(action=Action.VIEW)
    assert (entry.username, entry.object_id) == (world.colleague_a.username, str(person.pk))


def test_assigned_social_worker_sees_the_person_but_cannot_reveal(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    Assignment.objects.create(supervisee=person, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER)
    login(client, world.social_worker_a)
    page = client.get(reverse("supervisees:detail", args=[person.pk])).content.decode()
    assert "张三" in page and "hx-post" not in page
    response = client.post(reverse("supervisees:reveal", args=[person.pk, "identity_number"]))
    assert response.status_code == 403
    assert AuditEntry.objects.get(action=Action.REVEAL).outcome == Outcome.DENIED


def test_reveal_swaps_in_the_clear_number_and_is_audited(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(reverse("supervisees:reveal", args=[person.pk, "identity_number"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert person.identity_number in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert (entry.username, entry.object_id, entry.detail) == (
        world.officer_a.username,
        str(person.pk),
        {"field": "identity_number"},
    )
    assert client.get(reverse("supervisees:reveal", args=[person.pk, "identity_number"])).status_code == 405
    assert client.post(reverse("supervisees:reveal", args=[person.pk, "notes"])).status_code == 404


def test_photo_is_served_only_through_the_scoped_view(client, login, world) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    person = make_supervisee(world.office_a, photo=upload)
    login(client, world.officer_a)
    response = client.get(reverse("supervisees:photo", args=[person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert response["Cache-Control"] == "private, no-store"
    assert client.get("/media-not-served/" + person.photo.name).status_code == 404
    without = make_supervisee(world.office_a)
    assert client.get(reverse("supervisees:photo", args=[without.pk])).status_code == 404


def test_register_with_family_and_division(client, login, world, divisions) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    assert client.get(reverse("supervisees:create")).status_code == 200
    response = client.post(
        reverse("supervisees:create"), form_data(world.office_a, responsible_officer=world.officer_a.pk)
    )
    person = Supervisee.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervisees:detail", args=[person.pk])
    assert person.residence_division_id == "431224"
    assert person.responsible_officer == world.officer_a
    assert [(m.relation, m.name) for m in person.family_members.all()] == [("母亲", "李秀英")]
    assert AuditEntry.objects.filter(action=Action.CREATE, object_id=str(person.pk)).exists()


def test_register_reports_errors_in_chinese_and_keeps_the_input(client, login, world, divisions) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    bad = identity()[:-1] + ("0" if identity()[-1] != "0" else "1")
    data = form_data(world.office_a, identity_number=bad, term_start="2026-02-30", residence_division__2="")
    data["residence_division__1"] = ""
    response = client.post(reverse("supervisees:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"term_start"} <= set(errors)
    page = response.content.decode()
    assert "盗窃罪" in page  # what was typed is still there
    assert not Supervisee.objects.exists()
    data = form_data(world.office_a, identity_number=bad, residence_division__2="")
    response = client.post(reverse("supervisees:create"), data)
    errors = response.context["form"].errors
    assert set(errors) == {"identity_number", "residence_division"}
    assert "校验" in errors["identity_number"][0]
    assert "区县" in errors["residence_division"][0]


def test_office_choice_is_limited_to_the_subtree(client, login, world, divisions) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    form = client.get(reverse("supervisees:create")).context["form"]
    assert list(form.fields["responsible_office"].queryset) == [world.office_a]
    response = client.post(reverse("supervisees:create"), form_data(world.office_b))
    assert "responsible_office" in response.context["form"].errors
    assert not Supervisee.objects.exists()


def test_edit_does_not_prefill_the_clear_numbers_and_saves(client, login, world, person, divisions) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    page = client.get(reverse("supervisees:edit", args=[person.pk])).content.decode()
    assert person.identity_number not in page and "13812345678" not in page
    data = form_data(world.office_a, name="张叁", identity_number="", phone="", term_months="18")
    response = client.post(reverse("supervisees:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.term_months, person.phone) == ("张叁", 18, "13812345678")
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(person.pk)).exists()


def test_preview_shows_derived_values(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(
        reverse("supervisees:preview"),
        {"identity_number": identity(), "term_start": "2026-01-05", "term_months": "6", "term_extra_days": "3"},
    )
    page = response.content.decode()
    assert "1985-03-02" in page and "2026-07-07" in page
    page = client.post(reverse("supervisees:preview"), {"identity_number": "123"}).content.decode()
    assert "18" in page


def test_division_picker_cascades(client, login, world, divisions) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    url = reverse("supervisees:division_picker")
    page = client.get(url, {"field": "residence_division", "residence_division__0": "430000"}).content.decode()
    assert "怀化市" in page and "溆浦县" not in page
    page = client.get(
        url,
        {"field": "residence_division", "residence_division__0": "430000", "residence_division__1": "431200"},
    ).content.decode()
    assert "溆浦县" in page
    # The province changed: the stale prefecture is dropped, Guangdong's cities are offered.
    page = client.get(
        url,
        {"field": "residence_division", "residence_division__0": "440000", "residence_division__1": "431200"},
    ).content.decode()
    assert "广州市" in page and "溆浦县" not in page


def test_officer_options_follow_the_office(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    page = client.get(
        reverse("supervisees:officer_options"), {"responsible_office": world.office_a.pk}
    ).content.decode()
    assert str(world.officer_a) in page and str(world.bureau_a) in page
    login(client, world.officer_a)
    page = client.get(
        reverse("supervisees:officer_options"), {"responsible_office": world.office_b.pk}
    ).content.decode()
    assert str(world.officer_b) not in page


def test_assign_and_end_staff(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    url = reverse("supervisees:assignments", args=[person.pk])
    assert str(world.social_worker_a) in client.get(url).content.decode()
    response = client.post(url, {"user": world.social_worker_a.pk, "role": "social_worker"})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    response = client.post(url, {"user": world.officer_b.pk, "role": "officer"})
    assert "user" in response.context["form"].errors
    client.post(reverse("supervisees:assignment_end", args=[person.pk, assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.ended_at is not None


def test_my_tasks_lists_terms_ending_soon(client, login, world) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    start = timezone.localdate() - dt.timedelta(days=20)
    make_supervisee(world.office_a, name="张三", term_start=start, term_months=1, responsible_officer=world.officer_a)
    login(client, world.officer_a)
    page = client.get(reverse("workspace:tasks")).content.decode()
    assert "张三" in page


def test_reveal_through_service_needs_scope_first(world, person) -> None:  # type: ignore[no-untyped-def]
    # The page fetches through the scoped selector before the service: nothing is logged for outsiders.
    with pytest.raises(Exception):  # noqa: B017
        from zhengtu.supervisees.selectors import get_supervisee_for_user

        get_supervisee_for_user(world.officer_b, person.pk)
    assert services.reveal_identity(actor=Actor(user=world.officer_a), supervisee=person) == person.identity_number


def test_a_broad_search_stops_counting_and_asks_to_refine(client, login, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_SUPERVISEES_SEARCH_COUNT_LIMIT = 2
    for name in ("张三", "张四", "张五"):
        make_supervisee(world.office_a, name=name)
    login(client, world.officer_a)
    response = client.get(reverse("supervisees:list"), {"q": "张"})
    assert "超过 2 人" in response.content.decode()
    assert len(response.context["page"].object_list) == 3
    response = client.get(reverse("supervisees:list"))
    assert "共 3 人" in response.content.decode()


def test_the_english_interface(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    page = client.get(reverse("supervisees:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Register a supervisee" in page


def test_detail_links_to_the_assessment_records_only_for_who_may_read_them(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.testing.factories import UserFactory

    records = reverse("assessment:person", args=[person.pk])
    login(client, world.officer_a)
    page = client.get(reverse("supervisees:detail", args=[person.pk])).content.decode()
    assert f'href="{records}"' in page and "评估记录" in page
    assert client.get(records).status_code == 200

    duty_staff = UserFactory(organisation=world.county_a, role="command_center")  # sees the registry, not results
    login(client, duty_staff)
    response = client.get(reverse("supervisees:detail", args=[person.pk]))
    assert response.status_code == 200
    assert records not in response.content.decode()
    assert client.get(records).status_code == 403
