"""The lifecycle of a need: record, refer, act, close with an outcome; refusals say why in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.privacy.crypto import decrypt
from zhengtu.reintegration import services
from zhengtu.reintegration.models import NeedStatus, Outcome
from zhengtu.reintegration.tasks import tasks_for
from zhengtu.workdays.calendar import add_working_days
from zhengtu.workdays.models import CalendarDay
from zhengtu.workspace.models import Notification

from .conftest import Reint, need_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _refer(user, need, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "agency_kind": "human_resources",
        "agency_name": "溆浦县公共就业服务中心",
        "contact_name": "谭主任",
        "contact_phone": "13974510021",
        "referred_on": TODAY,
    }
    fields.update(overrides)
    return services.refer_need(actor=Actor(user=user), need=need, **fields)


def test_a_need_goes_from_open_to_referred_to_under_way_to_closed(reint: Reint) -> None:
    officer = reint.world.colleague_a
    need = need_for(officer, reint.person_a)
    assert need.status == NeedStatus.OPEN
    referral = _refer(officer, need)
    need.refresh_from_db()
    assert need.status == NeedStatus.REFERRED
    assert referral.contact_phone_masked != "13974510021" and "13974510021" not in referral.contact_phone_masked
    assert decrypt(referral.contact_phone_encrypted) == "13974510021"
    services.record_action(actor=Actor(user=officer), need=need, done_on=TODAY, description="推荐参加招聘会")
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS
    services.record_outcome(actor=Actor(user=officer), need=need, outcome=Outcome.EMPLOYED, outcome_on=TODAY)
    need.refresh_from_db()
    assert (need.status, need.outcome, need.outcome_on) == (NeedStatus.CLOSED, Outcome.EMPLOYED, TODAY)
    # Every write is in the audit log, and the responsible officer (not the one who acted) was told.
    assert AuditEntry.objects.filter(object_type="reintegration.need", object_id=str(need.pk)).count() >= 2
    assert AuditEntry.objects.filter(object_type="reintegration.referral").exists()
    assert AuditEntry.objects.filter(object_type="reintegration.helpaction").exists()
    titles = list(Notification.objects.filter(recipient=reint.world.officer_a).values_list("title", flat=True))
    assert len(titles) == 3 and not Notification.objects.filter(recipient=officer).exists()


@pytest.mark.parametrize("doing", ["refer", "act", "outcome", "withdraw"])
def test_a_closed_need_refuses_everything_with_a_chinese_reason(reint: Reint, doing: str) -> None:
    officer = reint.world.officer_a
    need = need_for(officer, reint.person_a)
    services.record_outcome(actor=Actor(user=officer), need=need, outcome=Outcome.EMPLOYED, outcome_on=TODAY)
    actor = Actor(user=officer)
    calls = {
        "refer": lambda: _refer(officer, need),
        "act": lambda: services.record_action(actor=actor, need=need, done_on=TODAY, description="x"),
        "outcome": lambda: services.record_outcome(actor=actor, need=need, outcome="trained", outcome_on=TODAY),
        "withdraw": lambda: services.withdraw_need(actor=actor, need=need, reason="x"),
    }
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        calls[doing]()
    assert "结案" in " ".join(refused.value.messages) and "不能再" in " ".join(refused.value.messages)
    need.refresh_from_db()
    assert need.outcome == Outcome.EMPLOYED and need.referrals.count() == 0 and need.actions.count() == 0


def test_a_withdrawn_need_takes_no_referral(reint: Reint) -> None:
    officer = reint.world.officer_a
    need = need_for(officer, reint.person_a)
    with pytest.raises(ValidationError):
        services.withdraw_need(actor=Actor(user=officer), need=need, reason="  ")
    services.withdraw_need(actor=Actor(user=officer), need=need, reason="本人已自行就业")
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="已撤回"):
        _refer(officer, need)


def test_bad_input_is_refused_and_nothing_is_written(reint: Reint) -> None:
    officer = reint.world.officer_a
    actor = Actor(user=officer)
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError, match="不能晚于今天|未来"):
            need_for(officer, reint.person_a, days_ago=-2)
        need = need_for(officer, reint.person_a, days_ago=5)
        with pytest.raises(ValidationError, match="早于"):
            _refer(officer, need, referred_on=TODAY - dt.timedelta(days=6))
        with pytest.raises(ValidationError, match="7"):
            _refer(officer, need, contact_phone="12")
        with pytest.raises(ValidationError, match="原因"):
            services.record_outcome(actor=actor, need=need, outcome=Outcome.UNRESOLVED, outcome_on=TODAY)
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and not need.referrals.exists()


def test_outsiders_and_readers_cannot_write(reint: Reint) -> None:
    world = reint.world
    with pytest.raises(PermissionDenied):  # another county
        need_for(world.officer_b, reint.person_a)
    need = need_for(world.officer_a, reint.person_a)
    with pytest.raises(PermissionDenied):
        _refer(world.officer_b, need)
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    manager = UserFactory(organisation=world.agency_a, role=Role.AGENCY_MANAGER)  # reads, does not record
    with pytest.raises(PermissionDenied):
        _refer(manager, need)


def test_my_tasks_list_needs_left_without_a_referral(reint: Reint, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {"reintegration_referral_days": 7}
    officer = reint.world.officer_a
    old = need_for(officer, reint.person_a, days_ago=40)
    need_for(officer, reint.person_a, days_ago=2)  # not yet due
    referred = need_for(officer, reint.person_a, days_ago=60)
    _refer(officer, referred)
    tasks = tasks_for(officer)
    assert [t.url for t in tasks] == [f"/reintegration/needs/{old.pk}/"]
    assert tasks[0].subject == "王建华" and tasks[0].due == add_working_days(old.found_on, 7).due
    assert tasks_for(reint.world.officer_b) == []


def test_my_tasks_count_working_days_not_weekends_or_holidays(reint: Reint, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {"reintegration_referral_days": 3}
    officer = reint.world.officer_a
    today = timezone.localdate()
    friday = today - dt.timedelta(days=(today.weekday() - 4) % 7 + 21)  # a Friday three weeks back or more
    need = need_for(officer, reint.person_a, days_ago=(today - friday).days)
    assert need.found_on == friday and friday.weekday() == 4
    monday, tuesday, wednesday, thursday = (friday + dt.timedelta(days=n) for n in (3, 4, 5, 6))
    for day in (monday, tuesday, wednesday, thursday):
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working_day": True})
    # Four calendar days but only Monday and Tuesday are working days: not yet overdue.
    assert tasks_for(officer, today=tuesday) == []
    # Monday, Tuesday, Wednesday: three working days, due on Wednesday.
    assert [t.due for t in tasks_for(officer, today=wednesday)] == [wednesday]
    # That Monday a public holiday: due on Thursday instead.
    CalendarDay.objects.filter(date=monday).update(is_working_day=False)
    assert tasks_for(officer, today=wednesday) == []
    assert [t.due for t in tasks_for(officer, today=thursday)] == [thursday]
