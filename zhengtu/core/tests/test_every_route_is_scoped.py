"""Walk the whole URLconf: every route that names a record by id answers 404 to a user of another county.

Generated, not written by hand: a new page or endpoint is covered the day it is added. On the county demo
(two counties, every role in each), for each route with an id the test looks for a record that a user of
溆浦 can open (GET 200) and then asks for the same URL as the user of 辰溪 with the same role, who must get 404.
Routes that only accept POST are tried by the outsider with records proven to belong to 溆浦 on other routes;
the outsider must be refused (404 or 403) and nothing may change hands. The test prints what it covered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from zhengtu.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# (insider, outsider) of the same role in the two demo counties.
PAIRS = [
    ("bureau_xupu", "bureau_chenxi"),
    ("officer_lufeng", "officer_chenyang"),
    ("sw_xupu", "sw_chenxi"),
    ("manager_xupu", "manager_chenxi"),
    ("command_xupu", "command_chenxi"),
    ("prosecutor_xupu", "prosecutor_chenxi"),
    ("supervisee_lufeng", "supervisee_chenyang"),
]
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLES_PER_MODEL = 2
# Catalogues every county reads by design, not records of one county: the national questionnaires and their
# paper templates, and the city association's trainings, which members of every county sign up for.
SHARED_MODELS = {
    "assessment.Instrument": "shipped questionnaires are the same for every county",
    "assessment.InstrumentVersion": "shipped questionnaires are the same for every county",
    "association.Training": "the city association's trainings are open to every county's staff",
    # A course published by the city bureau is shared down its tree (the demo's first courses are the city's);
    # a county's own courses stay in that county, which the outsider tests in learning/tests/test_pages.py prove.
    "learning.Course": "courses published above both counties are theirs to use",
    "learning.Lesson": "lessons of those shared courses",
}
SKIPPED_PREFIXES = ("system-admin/", "i18n/", "api/schema", "api/docs")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _app_of(callback: Any) -> str:
    module = getattr(callback, "__module__", "") or ""
    current = callback
    while hasattr(current, "__wrapped__"):
        current = current.__wrapped__
        module = getattr(current, "__module__", module)
    if hasattr(callback, "cls"):
        module = callback.cls.__module__
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "zhengtu" else ""


def _singular(word: str) -> str:
    word = word.replace("-", "_").lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ses"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _shared() -> set[type[models.Model]]:
    return {apps.get_model(label) for label in SHARED_MODELS}


def _candidate_models(route: str, param: str, app: str) -> list[type[models.Model]]:
    """The models the id probably names: the route's words matched in its own app, else in any app, else the
    app's first models. The ids' separate ranges make a wrong guess a 404, never a false finding."""
    hints = []
    if param not in ("pk", "id"):
        hints.append(re.sub(r"_(pk|id)$", "", param).replace("_", ""))
    before = route.split(f"<int:{param}>")[0].rstrip("/").split("/")
    if before and before[-1]:
        hints.append(_singular(before[-1]).replace("_", ""))
    ours = [m for m in apps.get_models() if m.__module__.startswith("zhengtu.")]

    def named(model: type[models.Model]) -> bool:
        name = model._meta.model_name or ""
        return any(name == hint or name.endswith(hint) or hint.endswith(name) for hint in hints)

    own = [m for m in ours if m._meta.app_label == app]
    chosen = [m for m in own if named(m)] or [m for m in ours if named(m)] or own[:3]
    shared = _shared()
    return [m for m in chosen if m not in shared]


def _separate_id_ranges() -> None:
    """Give every table its own range of ids (model n starts at n × 10⁶), so an id in a URL can only ever name
    a record of one model: a page that answers 200 for it opened exactly that record, nothing else."""
    from django.db import connection

    ours = sorted((m for m in apps.get_models() if m.__module__.startswith("zhengtu.")), key=lambda m: m._meta.label)
    with connection.cursor() as cursor:
        for index, model in enumerate(ours, start=1):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField):
                continue
            table, start = model._meta.db_table, index * 1_000_000
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, start])


def _sample_pks(model: type[models.Model]) -> list[int]:
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:SAMPLES_PER_MODEL])
    pks += list(model._default_manager.order_by("-pk").values_list("pk", flat=True)[:SAMPLES_PER_MODEL])
    return list(dict.fromkeys(pks))


def _client_for(username: str) -> Client:
    from conftest import verified_login

    client = Client()
    verified_login(client, User.objects.get(username=username))
    return client


def test_an_outsider_gets_404_on_every_route_that_names_a_record() -> None:
    from zhengtu.demo.seed import seed

    _separate_id_ranges()
    seed("county")
    clients = {name: _client_for(name) for pair in PAIRS for name in pair}
    owned: dict[type[models.Model], set[int]] = defaultdict(set)
    proven: list[str] = []
    leaks: list[str] = []
    unproven: list[str] = []
    post_only: list[tuple[str, list[type[models.Model]]]] = []

    routes = [(r, cb) for r, cb in _routes(get_resolver().url_patterns) if not r.startswith(SKIPPED_PREFIXES)]
    with_ids = [(r, cb) for r, cb in routes if any(m["converter"] == "int" for m in PARAM.finditer(r))]
    for route, callback in with_ids:
        params = list(PARAM.finditer(route))
        if len(params) != 1:
            unproven.append(f"{route} (several parameters)")
            continue
        name = params[0]["name"]
        candidates = _candidate_models(route, name, _app_of(callback))
        found = False
        saw_405 = False
        for model in candidates:
            for pk in _sample_pks(model):
                url = "/" + PARAM.sub(str(pk), route)
                for insider, outsider in PAIRS:
                    status = clients[insider].get(url).status_code
                    if status == 405:
                        saw_405 = True
                        break
                    if status != 200:
                        continue
                    owned[model].add(pk)
                    refused = clients[outsider].get(url).status_code
                    if refused == 404:
                        proven.append(route)
                    else:
                        leaks.append(f"{route} as {outsider}: {refused} for {model.__name__} {pk}")
                    found = True
                    break
                if found or saw_405:
                    break
            if found or saw_405:
                break
        if saw_405 and not found:
            post_only.append((route, candidates))
        elif not found:
            unproven.append(route)

    posted: list[str] = []
    for route, candidates in post_only:
        tried = False
        for model in candidates:
            for pk in sorted(owned.get(model, ()))[:1]:
                url = "/" + PARAM.sub(str(pk), route)
                for _insider, outsider in PAIRS:
                    status = clients[outsider].post(url, {}).status_code
                    if status not in (403, 404):
                        leaks.append(f"POST {route} as {outsider}: {status} for {model.__name__} {pk}")
                tried = True
                break
            if tried:
                break
        (posted if tried else unproven).append(route)

    print(
        f"\n{len(with_ids)} routes name a record: {len(proven)} proven by GET, {len(posted)} by POST,"
        f" {len(unproven)} without a demo record to try:\n  " + "\n  ".join(unproven)
    )
    assert not leaks, "An outsider reached another county's record:\n" + "\n".join(leaks)
    # The demo must give many routes something to try, or this test proves little (78 of 160 on 2026-12-07).
    assert len(proven) + len(posted) >= 0.45 * len(with_ids)
