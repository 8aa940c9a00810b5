"""Lecturer pool: booking, QR sign-in on the phone, evaluation, hours in the services rule, scope."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from zhengtu.services.hours import monthly_hours

from ..models import GroupAttendance
from ..services import groups


def book(lw):  # type: ignore[no-untyped-def]
    lecturer = groups.add_lecturer(
        actor=lw.staff(),
        organisation=lw.world.county_a,
        name="周法官",
        profession="judge",
        topics="法律常识",
        phone="13800138000",
    )
    return groups.book_session(
        actor=lw.staff(),
        organisation=lw.world.county_a,
        lecturer=lecturer,
        topic="以案说法",
        starts_at=timezone.now(),
        hours=Decimal("2.0"),
        place="县矫正中心",
    )


def test_qr_sign_in_counts_hours_and_takes_an_evaluation(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    session = book(lw)
    client.force_login(lw.person_user)
    url = reverse("learning_app:sign_in", args=[groups.sign_in_token(session)])
    assert client.get(url).status_code == 200
    client.post(url)
    client.post(url, {"rating": "5", "comment": "很实用"})
    attendance = GroupAttendance.objects.get(session=session, supervisee=lw.person)
    assert attendance.rating == 5
    (hours,) = monthly_hours([lw.person], timezone.localdate())
    assert hours.actual["study"] == Decimal("2.0")
    login(client, lw.world.bureau_a)
    pool = client.get(reverse("learning:lecturers")).content.decode()
    assert "138****8000" in pool and "13800138000" not in pool and "5.0" in pool
    detail = client.get(reverse("learning:group_session", args=[session.pk])).content.decode()
    assert lw.person.name in detail and "<svg" in detail


def test_a_forged_token_and_outsiders_get_nothing(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    from .conftest import with_account

    session = book(lw)
    client.force_login(lw.person_user)
    assert client.get(reverse("learning_app:sign_in", args=[f"{session.pk}-forged"])).status_code == 404
    client.force_login(with_account(lw.outsider_person))
    client.post(reverse("learning_app:sign_in", args=[groups.sign_in_token(session)]))
    assert not GroupAttendance.objects.filter(session=session).exists()
    login(client, lw.outsider)
    assert client.get(reverse("learning:group_session", args=[session.pk])).status_code == 404
    assert "周法官" not in client.get(reverse("learning:lecturers")).content.decode()
    assert "以案说法" not in client.get(reverse("learning:group_sessions")).content.decode()
