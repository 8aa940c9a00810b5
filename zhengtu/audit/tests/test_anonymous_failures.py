"""Issue 16 item 10: anonymous input must not grow the audit log without bound.

Before, every bogus bearer token wrote one audit entry (kept at least six months)."""

import datetime as dt

import pytest
from django.utils import timezone

from zhengtu.audit.anonymous import summarise_closed_windows
from zhengtu.audit.models import Action, AuditEntry, EventCounter
from zhengtu.audit.rules import anonymous_limit

MINE_URL = "/api/v1/auth/tokens/"
LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _a_still_clock(monkeypatch):  # type: ignore[no-untyped-def]
    """The counters are per window of wall-clock time: on a busy machine a thousand requests can straddle two
    windows and get two allowances. The clock stands still at the start of a window instead."""
    seconds = anonymous_limit("window_minutes") * 60
    epoch = int(timezone.now().timestamp())
    still = dt.datetime.fromtimestamp(epoch - epoch % seconds + 1, tz=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: still)


def _after_the_window() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=anonymous_limit("window_minutes") + 1)


def _bogus(client, n, address="203.0.113.5"):  # type: ignore[no-untyped-def]
    return client.get(MINE_URL, HTTP_AUTHORIZATION=f"Bearer zt_bogus-{n}", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_thousand_bogus_tokens_write_a_bounded_number_of_audit_entries(client):
    statuses = {_bogus(client, n).status_code for n in range(1000)}
    assert statuses == {401}
    individual = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count()
    assert individual == anonymous_limit("per_source") == 5

    assert summarise_closed_windows(now=_after_the_window()) == 1
    summary = AuditEntry.objects.filter(detail__summary="bearer").get()
    assert summary.detail["attempts"] == 1000 and summary.ip_address == "203.0.113.5"
    assert AuditEntry.objects.count() == 6
    assert summarise_closed_windows(now=_after_the_window()) == 0  # each window once


@pytest.mark.django_db
def test_many_addresses_are_bounded_too(client, settings):
    settings.ZHENGTU_AUDIT_ANONYMOUS_LIMITS = {"per_source": 2, "per_window": 20, "sources": 30}
    for n in range(300):
        _bogus(client, n, address=f"2001:db8::{n // 3 + 1:x}")  # 100 addresses, 3 tries each
    assert AuditEntry.objects.count() == 20  # the window's allowance, then counting only
    assert EventCounter.objects.filter(scope="anonymous:bearer").count() == 31  # 30 sources + "others"
    summaries = summarise_closed_windows(now=_after_the_window())
    assert summaries <= 31
    assert sum(e.detail["attempts"] for e in AuditEntry.objects.filter(detail__summary="bearer")) == 300


@pytest.mark.django_db
def test_failed_logins_of_unknown_usernames_are_bounded(client):
    for n in range(40):
        client.post(LOGIN_URL, {"username": f"ghost{n}", "password": "x" * 12, "otp_token": ""})
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == anonymous_limit("per_source")


@pytest.mark.django_db
def test_failed_logins_of_real_accounts_are_still_recorded_one_by_one(client, world):
    for address in ("198.51.100.1", "198.51.100.2"):
        for _ in range(4):
            client.post(
                LOGIN_URL,
                {"username": world.officer_a.username, "password": "x" * 12, "otp_token": ""},
                REMOTE_ADDR=address,
            )
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, username=world.officer_a.username).count() == 8
