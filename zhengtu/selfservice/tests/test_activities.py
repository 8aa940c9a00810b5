"""Community service: published by the office, signed up and attended on the phone, hours into the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengtu.faces import samples
from zhengtu.selfservice.models import Activity, ActivitySignup, SignupStatus
from zhengtu.services.hours import actual_hours, first_of_month
from zhengtu.services.models import ServiceAttendance, ServiceKind

pytestmark = pytest.mark.django_db


def _attend(client, activity, leaving):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("selfservice:activity_attend", args=[activity.pk]),
        {
            "photo": SimpleUploadedFile("a.jpg", samples.first_person_variant(), content_type="image/jpeg"),
            "latitude": "27.9",
            "longitude": "110.6",
            "accuracy": "10",
            "leaving": "1" if leaving else "0",
        },
        HTTP_ACCEPT="application/json",
    )


def test_community_service_hours_reach_the_ledger(app_client, me, world, login) -> None:  # type: ignore[no-untyped-def]
    officer = Client()
    login(officer, world.officer_a)
    now = timezone.localtime()
    officer.post(
        reverse("appstaff:activities"),
        {
            "office": world.office_a.pk,
            "title": "社区环境清扫",
            "place": "卢峰镇文化广场",
            "starts_at": (now - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "hours": "2",
            "capacity": "10",
        },
    )
    activity = Activity.objects.get()
    assert "社区环境清扫" in app_client.get(reverse("selfservice:activities")).content.decode()
    assert app_client.post(reverse("selfservice:activity_sign_up", args=[activity.pk])).status_code == 201
    assert _attend(app_client, activity, leaving=False).status_code == 201
    assert _attend(app_client, activity, leaving=True).status_code == 201
    signup = ActivitySignup.objects.get()
    assert signup.status == SignupStatus.ATTENDED
    assert signup.check_in_face.matched and signup.check_out_face.matched
    # Not in the ledger before the office confirms.
    assert not ServiceAttendance.objects.filter(supervisee=me).exists()
    officer.post(reverse("appstaff:activity", args=[activity.pk]), {"signup": [signup.pk]})
    attendance = ServiceAttendance.objects.get(supervisee=me)
    assert attendance.kind == ServiceKind.COMMUNITY_SERVICE
    assert attendance.hours == Decimal("2.0")
    month = first_of_month(timezone.localdate(activity.starts_at))
    assert actual_hours([me.pk], month)[me.pk]["community_service"] == Decimal("2.0")
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CONFIRMED


def test_outsiders_cannot_see_or_confirm_an_activity(world, login, me) -> None:  # type: ignore[no-untyped-def]
    activity = Activity.objects.create(
        office=world.office_a,
        title="x",
        place="y",
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        hours=Decimal("1"),
    )
    outsider = Client()
    login(outsider, world.officer_b)
    assert outsider.get(reverse("appstaff:activity", args=[activity.pk])).status_code == 404
    assert outsider.post(reverse("appstaff:activity", args=[activity.pk]), {"signup": []}).status_code == 404


def test_an_activity_of_another_office_is_not_open_to_the_person(app_client, world) -> None:  # type: ignore[no-untyped-def]
    activity = Activity.objects.create(
        office=world.office_b,
        title="别的司法所的活动",
        place="y",
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        hours=Decimal("1"),
    )
    assert "别的司法所的活动" not in app_client.get(reverse("selfservice:activities")).content.decode()
    assert app_client.post(reverse("selfservice:activity_sign_up", args=[activity.pk])).status_code == 404
