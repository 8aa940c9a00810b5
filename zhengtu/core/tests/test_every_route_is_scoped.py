"""Walk the whole URLconf: every route that names a record by id answers 404 to a user of another county.

Generated, not written by hand: a new page or endpoint is covered the day it is added. On the county demo
(two counties, every role in each), for each route with an id the test looks for a record that a user of
溆浦 can open (GET 200) and then asks for the same URL as the user of 辰溪 with the same role, who must get 404.
Routes that only accept POST (or DELETE, PATCH, PUT) are tried by the outsider with records proven to belong to
溆浦 on other routes, made for 溆浦 (below), or else hanging under 溆浦 through their foreign keys; the outsider must
be refused (404 or 403) and nothing may change hands. The test prints what it covered and what it could not try,
with the reason (UNTRIED).

How a route is filled. Every table has its own id range (model n starts at n × 10⁶), so an id names one record
of one model and a wrong guess of the model is a 404, never a false finding. The last id of a route names the
record (its model guessed from the route's words, WORD_NAMES and ROUTE_MODELS for the exceptions); every id
before it is read from that record through its foreign keys (projects/<pk>/reports/<report_pk>/ gets the
report's own project); an int parameter that is no id but an integer field (versions/<number>.docx) is read from
the record, one named after its model (photos/<int:photo>) is the record's id; text parameters take the values
the views accept (TEXT_VALUES). Records are sampled the demo supervisee's own first, then the 溆浦 county's, then
the table's first and last, then those made for the walk. Routes with several ids are tried once more by the
outsider with their own parent (辰溪 gets a purchased-service project, with a voucher, an adjustment and a report
version, for this) in front of 溆浦's record: the view must look the record up under the parent, not by its id
alone; the POST-only ones are posted to with a parent of the outsider's county (the city pairs' second city has
no records to cross with). The supervisees' browsers are confirmed by a face check first, as the app asks of a new device.

Records the demo lacks. The county demo holds no record of some kinds, or none in the state a page needs (an API
token, a finished import, an approved leave to close, a questionnaire being filled, a pending override, a phone
check-in, a county's own course and questionnaire, ...). route_walk_records.py makes them for 溆浦 through the
apps' own services after the seed, inside the test's transaction: the demo `make run` seeds is unchanged.

City-level work (the association's inspections, trainings, members and filings) is tried by CITY_PAIRS: the walk
gives a second city (邵阳) an association administrator and an inspector, the outsiders of 怀化's records.

271 of 271 routes with an id were tried on 2026-12-07 (180 by GET, 91 by POST or the method the route takes; 14
of the 20 with several ids also with the outsider's own parent, by GET or POST; the other 6 are the city pairs'
inspections and association routes, whose second city has no records to cross with) and no outsider reached a
record. Before route_walk_records.py, 188 of 271 were tried (132 by GET, 56 by POST, 2 crossed): the other 83
lacked a record (API tokens, jobs, open approvals, attachments, unfinished assessments, the phone app's records,
which were never reached because the supervisee's browser was not confirmed, ...) or a user of the same role in
another city.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import is_supervisee

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
# City-level work (the association's inspections, trainings and members) has one city in the demo: the walk gives
# a second city (route_walk_records.second_city) users of the same roles, and tries what the pairs above left.
CITY_PAIRS = [
    ("association_admin", "association_admin_shaoyang"),
    ("inspector_city", "inspector_shaoyang"),
]
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLES_PER_MODEL = 2
MODELS_PER_PARAM = 3
# Route words that name a model other than their own: a person's pages take the supervisee's id.
WORD_NAMES = {"people": "supervisee", "oversight": "supervisee", "registry": "supervisee", "mine": "assessment"}
# A route whose words name no model of its own: the model its id names, by (route, parameter).
ROUTE_MODELS = {("assessment/paper/template/<int:pk>/", "pk"): "assessment.Instrument"}
LEAF = "__record__"  # the filled values also carry the id of the record the last parameter names
# Text parameters that sit beside an id: the values the views accept (a wrong one is a 404 for the insider too).
TEXT_VALUES = {
    "field": ["identity_number"],
    "kind": ["leave", "execution"],
    "fmt": ["pdf", "docx"],
    "action": ["acknowledge", "draft"],
    "what": ["voice"],
}
# Catalogues every county reads by design, not records of one county: the national questionnaires and their
# paper templates, and the city association's trainings, which members of every county sign up for. Of these models
# the county pairs try only records hanging under the 溆浦 county (a county's own course must stay in that county);
# the city pairs try the whole demo city's (another city's users must see none of them).
SHARED_MODELS = {
    "assessment.Instrument": "shipped questionnaires are the same for every county",
    "assessment.InstrumentVersion": "shipped questionnaires are the same for every county",
    "association.Training": "the city association's trainings are open to every county's staff",
    # A course published by the city bureau is shared down its tree (the demo's first courses are the city's);
    # a county's own courses stay in that county, which the outsider tests in learning/tests/test_pages.py prove.
    "learning.Course": "courses published above both counties are theirs to use",
    "learning.Lesson": "lessons of those shared courses",
}
# The share of routes with an id the walk must try (raise it as the walk reaches more, never lower it). All 271
# were tried on 2026-12-07; the margin leaves room for a new route whose record the walk does not make yet.
COVERAGE = 0.95
# Routes that take only POST but answer any other method with 404 (not 405): tried as the POST-only ones are.
POST_ONLY = {"app/learning/courses/<int:pk>/exam/"}
# Why a route is left untried (a part of the route): printed beside the route. Nothing is left on 2026-12-07.
UNTRIED: list[tuple[str, str]] = []
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
    if word.endswith(("sses", "xes")):  # classes, boxes (but cases, courses: drop the s)
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _shared() -> set[type[models.Model]]:
    return {apps.get_model(label) for label in SHARED_MODELS}


def _candidate_models(route: str, param: str, app: str) -> list[type[models.Model]]:
    """The models the id probably names: the route's words matched in its own app, else in any app, else the
    app's first models; exact names before suffixes before prefixes (inspections/projects/<pk> names a
    ProjectInspection). The ids' separate ranges make a wrong guess a 404, never a false finding."""
    if (route, param) in ROUTE_MODELS:
        return [apps.get_model(ROUTE_MODELS[route, param])]
    hints = []
    if param not in ("pk", "id"):
        hints.append(re.sub(r"_(pk|id)$", "", param).replace("_", ""))
    before = route.split(f"<int:{param}>")[0].rstrip("/").split("/")
    if before and before[-1] and not before[-1].startswith("<"):
        word = _singular(before[-1]).replace("_", "")
        hints.append(WORD_NAMES.get(word, word))
    ours = [m for m in apps.get_models() if m.__module__.startswith("zhengtu.")]

    def rank(model: type[models.Model]) -> int | None:
        name = model._meta.model_name or ""
        if name in hints:
            return 0
        if any(name.endswith(hint) or hint.endswith(name) for hint in hints):
            return 1
        if any(name.startswith(hint) for hint in hints):
            return 2
        return None

    def ranked(pool: list[type[models.Model]]) -> list[type[models.Model]]:
        scored = [(score, m._meta.label, m) for m in pool if (score := rank(m)) is not None]
        return [m for _score, _label, m in sorted(scored, key=lambda item: (item[0], item[1]))]

    own = [m for m in ours if m._meta.app_label == app]
    return (ranked(own) or ranked(ours) or own[:3])[:MODELS_PER_PARAM]


def _path_to(model: type[models.Model], target: type[models.Model], depth: int = 3) -> str | None:
    """The shortest chain of foreign keys from model to target ("report__project"), if there is one."""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(depth):
        following = []
        for current, path in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model
                if not field.many_to_one and not field.one_to_one or not isinstance(related, type):
                    continue
                step = f"{path}__{field.name}" if path else field.name
                if related is target:
                    return step
                following.append((related, step))
        frontier = following
    return None


def _of_person(model: type[models.Model], person: int) -> list[int]:
    """Records of the model that belong to one supervisee."""
    from zhengtu.supervisees.models import Supervisee

    lookup = "pk" if model is Supervisee else _path_to(model, Supervisee)
    if lookup is None:
        return []
    return list(model._default_manager.filter(**{lookup: person}).order_by("-pk").values_list("pk", flat=True)[:2])


def _in_county(model: type[models.Model], prefix: str) -> list[int]:
    """Records of the model that hang under the county whose organisation path starts with prefix."""
    from zhengtu.orgs.models import Organisation

    if model is Organisation:
        lookup = "path__startswith"
    elif model is User:
        lookup = "organisation__path__startswith"
    elif (to_org := _path_to(model, Organisation)) is not None:
        lookup = f"{to_org}__path__startswith"
    elif (to_user := _path_to(model, User)) is not None:
        lookup = f"{to_user}__organisation__path__startswith"
    else:
        return []
    manager = model._default_manager
    pks = list(manager.filter(**{lookup: prefix}).order_by("pk").values_list("pk", flat=True)[:SAMPLES_PER_MODEL])
    return pks + list(manager.filter(**{lookup: prefix}).order_by("-pk").values_list("pk", flat=True)[:1])


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


def _organisation_path(username: str, city: bool) -> str:
    """The path of the user's organisation, or with city=True of the city bureau above it."""
    from zhengtu.orgs.models import Organisation, OrganisationKind

    organisation = User.objects.get(username=username).organisation
    assert organisation is not None
    if city:
        organisation = Organisation.objects.get(
            kind=OrganisationKind.CITY_BUREAU, pk__in=[int(pk) for pk in organisation.path.strip("/").split("/")]
        )
    return organisation.path


def _sample_pks(
    model: type[models.Model], prefix: str = "", person: int | None = None, city_level: bool = False
) -> list[int]:
    """The person's own records (the demo supervisee's, for the app's routes), the insider county's first records
    (when the model leads to an organisation), then the table's ends. Of a shared catalogue only the county's own
    records: the ones above both counties are everyone's."""
    pks = _of_person(model, person) if person else []
    pks += _in_county(model, prefix) if prefix else []
    if model in _shared() and not city_level:
        return list(dict.fromkeys(pks))
    pks += list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:SAMPLES_PER_MODEL])
    pks += list(model._default_manager.order_by("-pk").values_list("pk", flat=True)[:SAMPLES_PER_MODEL])
    return list(dict.fromkeys(pks))


def _give_the_outsider_a_project() -> None:
    """The county demo buys social-work services in 溆浦 only. 辰溪 gets a project too, so that routes naming a
    project and one of its parts are also tried with the outsider's own project in front of 溆浦's part."""
    from zhengtu.audit.services import Actor
    from zhengtu.projects import seeding
    from zhengtu.projects.models import StaffRole

    bureau = User.objects.get(username="bureau_chenxi")
    manager = User.objects.get(username="manager_chenxi")
    seeding.create_project(
        manager=Actor(user=bureau, username=bureau.username),
        buying_bureau=bureau.organisation,  # type: ignore[arg-type]
        agency=manager.organisation,  # type: ignore[arg-type]
        data=seeding.load("xupu_2020"),
        name="辰溪县司法局社区矫正购买服务项目",
        staff=[(manager, StaffRole.MANAGER)],
    )


def _client_for(username: str) -> Client:
    from conftest import verified_login

    from .route_walk_records import confirm_browser

    client = Client()
    user = User.objects.get(username=username)
    verified_login(client, user)
    if is_supervisee(user):
        confirm_browser(client, username)  # the app asks a new browser for a face check first
    return client


def _is_pk(param: str) -> bool:
    return param in ("pk", "id") or param.endswith(("_pk", "_id"))


def _fillings(route: str, app: str, leaf_pks: list[int], leaf: type[models.Model]) -> Iterator[dict[str, Any]]:
    """Every way to fill the route's parameters from one record of the last id's model: its own id (or the field
    the parameter names, e.g. a version's number), the ids before it read through its foreign keys, and each
    known value of a text parameter. A parameter that cannot be filled yields nothing."""
    params = list(PARAM.finditer(route))
    ints = [p["name"] for p in params if p["converter"] == "int"]
    texts = [p["name"] for p in params if p["converter"] != "int"]
    if any(name not in TEXT_VALUES for name in texts):
        return
    *parents, last = ints
    # versions/<int:number> is read from a number field; group-sessions/<pk>/photos/<int:photo> names the photo
    # by its id (its field "photo" is the image file)
    fields = {f.name for f in leaf._meta.concrete_fields if isinstance(f, models.IntegerField)}
    names_record = _is_pk(last) or (last not in fields and (leaf._meta.model_name or "").endswith(last))
    columns: dict[str, str] = {LEAF: "pk", last: "pk" if names_record else last}
    for name in parents:
        path = next(
            (found for m in _candidate_models(route, name, app) if (found := _path_to(leaf, m)) is not None), None
        )
        if path is None:
            return
        columns[name] = path
    if not names_record and last not in fields:
        return
    wanted = list(dict.fromkeys(columns.values()))
    rows = {row[0]: row for row in leaf._default_manager.filter(pk__in=leaf_pks).values_list(*wanted)}
    for pk in leaf_pks:  # in the order given: the insider's county first
        if pk not in rows:
            continue
        read = dict(zip(wanted, rows[pk], strict=True))
        ids = {name: read[column] for name, column in columns.items()}
        if any(value is None for value in ids.values()):
            continue
        combos: list[dict[str, Any]] = [ids]
        for name in texts:
            combos = [{**combo, name: value} for combo in combos for value in TEXT_VALUES[name]]
        yield from combos


def _url(route: str, values: dict[str, Any]) -> str:
    return "/" + PARAM.sub(lambda match: str(values[match["name"]]), route)  # LEAF is no parameter


@dataclass
class Walk:
    """What the walk tried: routes proven by GET, tried by POST (or the method the route takes), tried with the
    outsider's own parent, and the ones it found nothing to try with."""

    with_ids: list[str] = dataclasses.field(default_factory=list)
    proven: list[str] = dataclasses.field(default_factory=list)
    posted: list[str] = dataclasses.field(default_factory=list)
    crossed: list[str] = dataclasses.field(default_factory=list)
    leaks: list[str] = dataclasses.field(default_factory=list)
    unproven: list[str] = dataclasses.field(default_factory=list)


def test_an_outsider_gets_404_on_every_route_that_names_a_record() -> None:
    from zhengtu.demo.seed import seed

    from .route_walk_records import create_records

    _separate_id_ranges()
    seed("county")
    _give_the_outsider_a_project()
    created = create_records()
    result = walk(created)
    city = walk(created, pairs=CITY_PAIRS, among=result.unproven)
    result.proven += city.proven
    result.posted += city.posted
    result.crossed += city.crossed
    result.leaks += city.leaks
    result.unproven = [r for r in result.unproven if r not in city.with_ids] + city.unproven
    multi = [r for r in result.with_ids if len([p for p in PARAM.finditer(r) if p["converter"] == "int"]) > 1]
    print(
        f"\n{len(result.with_ids)} routes name a record ({len(multi)} of them several): {len(result.proven)} proven"
        f" by GET, {len(result.posted)} by POST, {len(result.crossed)} also with the outsider's own parent id;"
        f" {len(result.unproven)} without a record to try."
        + "".join(f"\n  {route}  [{why_untried(route)}]" for route in result.unproven)
    )
    assert not result.leaks, "An outsider reached another county's record:\n" + "\n".join(result.leaks)
    # The walk must give the routes something to try, or this test proves little (78 of 160 on 2026-12-07 with
    # one id; 150 of 238 once every id was filled; 188 of 271 before route_walk_records.py, 271 of 271 after).
    assert len(result.proven) + len(result.posted) >= COVERAGE * len(result.with_ids)


def walk(
    created: dict[type[models.Model], set[int]],
    only: str = "",
    pairs: list[tuple[str, str]] = PAIRS,
    among: list[str] | None = None,
) -> Walk:
    """Try every route with an id (or those starting with `only`, or those among a list) as the outsider; created
    are records made for 溆浦 beside the demo (route_walk_records.py), which the POST-only routes may use as well.
    With the city pairs, the insider's records are the whole demo city's (shared catalogues included: a catalogue
    shared by a city's counties is still no business of another city)."""
    from zhengtu.supervisees.models import Supervisee

    clients = {name: _client_for(name) for pair in pairs for name in pair}
    city_level = pairs is CITY_PAIRS
    insider_prefix = _organisation_path(pairs[0][0], city_level)
    person = Supervisee.objects.filter(user__username=pairs[-1][0]).values_list("pk", flat=True).first()
    outsider_prefix = _organisation_path(pairs[0][1], city_level)
    owned: dict[type[models.Model], set[int]] = defaultdict(set)
    result = Walk()
    post_only: list[tuple[str, str, list[type[models.Model]]]] = []

    routes = [(r, cb) for r, cb in _routes(get_resolver().url_patterns) if not r.startswith(SKIPPED_PREFIXES)]
    with_ids = [(r, cb) for r, cb in routes if any(m["converter"] == "int" for m in PARAM.finditer(r))]
    with_ids = [(r, cb) for r, cb in with_ids if r.startswith(only) and (among is None or r in among)]
    result.with_ids = [r for r, _cb in with_ids]
    for route, callback in with_ids:
        app = _app_of(callback)
        params = list(PARAM.finditer(route))
        unknown_text = [p["name"] for p in params if p["converter"] != "int" and p["name"] not in TEXT_VALUES]
        if unknown_text:
            result.unproven.append(f"{route} (no known value for {', '.join(unknown_text)})")
            continue
        last = [p["name"] for p in params if p["converter"] == "int"][-1]
        candidates = _candidate_models(route, last, app)
        found = False
        saw_405 = False
        for model in candidates:
            made = sorted(created.get(model, ()), reverse=True)[:SAMPLES_PER_MODEL]
            pks = list(dict.fromkeys([*_sample_pks(model, insider_prefix, person, city_level), *made]))
            for values in _fillings(route, app, pks, model):
                url = _url(route, values)
                for insider, outsider in pairs:
                    status = clients[insider].get(url).status_code
                    if status == 405:
                        saw_405 = True
                        break
                    if status != 200:
                        continue
                    owned[model].add(values[LEAF])
                    refused = clients[outsider].get(url).status_code
                    if refused == 404:
                        result.proven.append(route)
                    else:
                        result.leaks.append(f"{route} as {outsider}: {refused} for {model.__name__} {url}")
                    if len([p for p in params if p["converter"] == "int"]) > 1:
                        _cross(route, app, model, values, last, outsider, clients[outsider], outsider_prefix, result)
                    found = True
                    break
                if found or saw_405:
                    break
            if found or saw_405:
                break
        if route in POST_ONLY and not found:
            saw_405 = True
        if saw_405 and not found:
            post_only.append((route, app, candidates))
        elif not found:
            result.unproven.append(route)

    for route, app, candidates in post_only:
        tried = False
        for model in candidates:
            known = sorted(owned.get(model, set()) | created.get(model, set()))
            if not known and (city_level or model not in _shared()):  # no GET route shows it: one under 溆浦
                known = _in_county(model, insider_prefix)[-1:]
            for values in _fillings(route, app, known[-1:], model):
                url = _url(route, values)
                for _insider, outsider in pairs:
                    status = _refused(clients[outsider], url)
                    if status not in (403, 404):
                        result.leaks.append(f"POST {route} as {outsider}: {status} for {model.__name__} {url}")
                _cross_post(route, app, model, values, [clients[o] for _i, o in pairs], outsider_prefix, result)
                tried = True
                break
            if tried:
                break
        (result.posted if tried else result.unproven).append(route)
    return result


def _cross_post(
    route: str,
    app: str,
    leaf: type[models.Model],
    insider_values: dict[str, Any],
    outsiders: list[Client],
    outsider_prefix: str,
    result: Walk,
) -> None:
    """A POST-only route with several ids: the outsiders post with a parent of their own county in front of the
    insider's record (supervisees/<their person>/assignments/<溆浦's assignment>/end). They must be refused."""
    ints = [p["name"] for p in PARAM.finditer(route) if p["converter"] == "int"]
    if len(ints) < 2:
        return
    for values in _fillings(route, app, _in_county(leaf, outsider_prefix), leaf):  # the outsider's own records
        url = _url(route, {**insider_values, ints[0]: values[ints[0]]})
        for client in outsiders:
            status = _refused(client, url)
            if status not in (403, 404):
                result.leaks.append(f"POST {route}: {status} for an outsider's parent with another county's record")
        result.crossed.append(route)
        return


def _refused(client: Client, url: str) -> int:
    """The outsider's answer to a route that takes no GET: POST, or the method it takes (DELETE, PATCH, PUT)."""
    status = client.post(url, {}).status_code
    for method in (client.delete, client.patch, client.put):
        if status != 405:
            break
        status = method(url).status_code
    return status


def why_untried(route: str) -> str:
    return next(
        (reason for part, reason in UNTRIED if part in route),
        "no record of this kind in 溆浦 in the state the page needs: make one in route_walk_records.py",
    )


def _cross(
    route: str,
    app: str,
    leaf: type[models.Model],
    insider_values: dict[str, Any],
    last: str,
    outsider: str,
    client: Client,
    outsider_prefix: str,
    result: Walk,
) -> None:
    """A route with several ids: the outsider puts their own parent (which they may open) in front of the
    insider's record. The view must look the record up under that parent, not by its id alone. Only the first id is
    the outsider's: in projects/<pk>/reports/<report_pk>/versions/<int:number> the number is no id (the outsider's
    own report has a version 1 too), the report is the record looked up under the project."""
    first = next(p["name"] for p in PARAM.finditer(route) if p["converter"] == "int")
    for values in _fillings(route, app, _sample_pks(leaf, outsider_prefix), leaf):
        if client.get(_url(route, values)).status_code != 200:
            continue
        mixed = {**insider_values, first: values[first]}
        status = client.get(_url(route, mixed)).status_code
        if status == 200:
            result.leaks.append(f"{route} as {outsider}: 200 for their parent with another county's {leaf.__name__}")
        else:
            result.crossed.append(route)
        return
