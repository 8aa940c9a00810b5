"""Absconding: a search opened, its steps and the police within the limits, closed when found or with a legal step;
release by pardon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from zhengtu.supervisees.models import Status
from zhengtu.supervision.models import SanctionKind, SearchOutcome
from zhengtu.supervision.services.absconding import (
    close_search,
    notify_police,
    open_search,
    record_search_step,
    search_alerts,
)
from zhengtu.supervision.services.closure import complete_release, prepare_release
from zhengtu.supervision.services.sanctions import propose_sanction
from zhengtu.workspace.models import Notification

from ..conftest import actor, today
from ..pdf import pdf_text


def _open(people, world, hours_ago: int = 30):  # type: ignore[no-untyped-def]
    return open_search(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        trigger="missed_check_ins",
        lost_contact_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


def test_a_search_warns_when_its_limits_pass(people, world) -> None:  # type: ignore[no-untyped-def]
    record = _open(people, world)
    assert Notification.objects.filter(recipient=world.bureau_a, kind="absconding_opened").exists()
    with pytest.raises(ValidationError):
        _open(people, world)  # one open search per person
    alerts = search_alerts(record)
    assert len(alerts) == 1 and "24" in alerts[0]  # no step within 24 hours; police still within 48
    record_search_step(
        actor=actor(world.officer_a), record=record, kind="family", taken_at=timezone.now(), notes="家属称其外出打工"
    )
    assert any("24" in alert for alert in search_alerts(record))  # the first step came too late
    later = timezone.now() + dt.timedelta(hours=20)
    assert any("48" in alert for alert in search_alerts(record, later))
    notify_police(actor=actor(world.officer_a), record=record, police_station="卢峰派出所")
    assert not any("48" in alert for alert in search_alerts(record, later))
    month_later = record.lost_contact_at + dt.timedelta(days=31)
    assert any("30" in alert for alert in search_alerts(record, month_later))
    with override_settings(ZHENGTU_ABSCONDING_RULES={"legal_step_days": 40}):
        assert not any("40" in alert for alert in search_alerts(record, month_later))


def test_a_timely_search_raises_no_alert_and_closes_when_found(people, world) -> None:  # type: ignore[no-untyped-def]
    record = _open(people, world, hours_ago=3)
    record_search_step(
        actor=actor(world.officer_a),
        record=record,
        kind="phone",
        taken_at=timezone.now() - dt.timedelta(hours=2),
        notes="电话关机",
    )
    notify_police(actor=actor(world.officer_a), record=record, police_station="卢峰派出所")
    assert search_alerts(record) == []
    close_search(actor=actor(world.officer_a), record=record, outcome=SearchOutcome.FOUND, notes="已到司法所报到")
    assert record.closed_at is not None and search_alerts(record) == []
    with pytest.raises(ValidationError):
        record_search_step(
            actor=actor(world.officer_a), record=record, kind="phone", taken_at=timezone.now(), notes="—"
        )


def test_closing_with_the_next_legal_step_needs_the_proposal(people, world) -> None:  # type: ignore[no-untyped-def]
    record = _open(people, world)
    with pytest.raises(ValidationError) as error:
        close_search(actor=actor(world.officer_a), record=record, outcome=SearchOutcome.LEGAL_STEP, notes="逾期未归")
    assert "next_step" in error.value.message_dict
    from django.core.files.uploadedfile import SimpleUploadedFile

    proposal = propose_sanction(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=SanctionKind.REVOCATION,
        facts="失去联系超过一个月。",
        occurred_on=today(),
        receiving_organ="溆浦县人民法院",
        evidence=[SimpleUploadedFile("找寻记录.txt", b"x", content_type="text/plain")],
    )
    close_search(
        actor=actor(world.officer_a), record=record, outcome=SearchOutcome.LEGAL_STEP, notes="提请撤销缓刑",
        next_step=proposal,
    )  # fmt: skip
    assert record.next_step == proposal


def test_release_by_pardon_before_the_term_ends(people, world) -> None:  # type: ignore[no-untyped-def]
    prepare_release(
        actor=actor(world.officer_a), supervisee=people.supervisee, self_summary="认真改造", appraisal="表现良好"
    )
    with pytest.raises(ValidationError):  # the term has not ended and no pardon
        complete_release(actor=actor(world.officer_a), supervisee=people.supervisee, released_on=today(),
                         announcement_place="卢峰司法所")  # fmt: skip
    with pytest.raises(ValidationError):  # a pardon names its order
        complete_release(actor=actor(world.officer_a), supervisee=people.supervisee, released_on=today(),
                         announcement_place="卢峰司法所", by_pardon=True)  # fmt: skip
    documents = complete_release(
        actor=actor(world.officer_a), supervisee=people.supervisee, released_on=today(),
        announcement_place="卢峰司法所", by_pardon=True, pardon_decision="国家主席特赦令",
    )  # fmt: skip
    people.supervisee.refresh_from_db()
    assert people.supervisee.status == Status.RELEASED
    text = pdf_text(documents[0].pdf.read()).replace("\n", "")
    assert "经国家主席特赦令予以赦免" in text


def test_the_search_page_opens_records_and_closes(client, login, people, world) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    url = reverse("supervision:search", args=[people.supervisee.pk])
    login(client, world.officer_a)
    lost = (timezone.localtime() - dt.timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"action": "open", "trigger": "device_offline", "lost_contact_at": lost})
    record = people.supervisee.searches.get()
    page = client.get(url).content.decode()
    assert 'data-testid="search-alert"' in page and "24小时" in page
    client.post(url, {"action": "police", "police_station": "卢峰派出所"})
    client.post(url, {"action": "close", "outcome": "found", "notes": "已找到"})
    record.refresh_from_db()
    assert record.police_station == "卢峰派出所" and record.closed_at is not None
    login(client, world.officer_b)
    assert client.get(url).status_code == 404
