"""Bench: score and render a year of initial assessments, as in seed 000 (2,025 questionnaires, a report
each in Word and PDF). Aim: under 2 minutes on this machine.

    /tmp/venv/bin/python -m bench assessment                  # 2,025 reports, 2 rendering processes
    ZHENGTU_BENCH_REPORTS=200 ZHENGTU_BENCH_WORKERS=1 /tmp/venv/bin/python bench/bench_assessment.py

Set-up (not timed): a throw-away SQLite file, migrations, the 2026 holiday calendar, the shipped
instruments, one county with six offices and 2,025 supervisees, the PDF font subset.
Timed: (1) scoring — every questionnaire checked, scored and saved through the real service (skip
logic, levels, needs, deadline, audit entry); (2) rendering — the report of each in Word (docxtpl)
and PDF (WeasyPrint, with the inline SVG chart) through zhengtu.documents, in a pool of processes.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = int(os.environ.get("ZHENGTU_BENCH_REPORTS", "2025"))
WORKERS = int(os.environ.get("ZHENGTU_BENCH_WORKERS", "2"))
_output: Path | None = None


def _setup_django(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtu.settings.test")
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = str(folder / "bench.sqlite3")
    settings.DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"}
    settings.MEDIA_ROOT = folder / "media"
    settings.LOGGING_CONFIG = None
    django.setup()
    import logging

    logging.disable(logging.INFO)


def _prepare() -> tuple[list[int], Any]:
    """Everything before the clock starts: database, calendar, instruments, people, font."""
    from django.core.management import call_command

    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.assessment.models import Instrument
    from zhengtu.assessment.report_font import report_font_path
    from zhengtu.assessment.services.instruments import load_shipped_instruments
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.orgs.services import create_organisation
    from zhengtu.supervisees.identity import make_identity_number
    from zhengtu.supervisees.models import SentenceType, Sex, Supervisee
    from zhengtu.workdays.calendar import load_year_from_chinesecalendar

    call_command("migrate", verbosity=0)
    load_year_from_chinesecalendar(2026)
    load_shipped_instruments()
    report_font_path()
    county = create_organisation(name="溆浦县社区矫正管理局", kind=OrganisationKind.COUNTY_BUREAU)
    offices = [
        create_organisation(name=name, kind=OrganisationKind.JUSTICE_OFFICE, parent=county)
        for name in ("卢峰司法所", "桥江司法所", "龙潭司法所", "低庄司法所", "观音阁司法所", "思蒙司法所")
    ]
    assessor = User.objects.create(
        username="bench-assessor", full_name="李社工", role=Role.OFFICE_OFFICER, organisation=offices[0]
    )
    # Supervisees are created in bulk with the registry's own field rules skipped: they are set-up,
    # not what is measured (the registry has its own bench).
    people = []
    for number in range(REPORTS):
        sex = Sex.MALE if number % 5 else Sex.FEMALE
        birth = dt.date(1970 + number % 35, 1 + number % 12, 1 + number % 28)
        identity = make_identity_number("431224", birth, number, sex)
        people.append(
            Supervisee(
                name=f"对象{number:04d}",
                identity_number_index=identity,
                identity_number_masked=identity[:6] + "********" + identity[-4:],
                sex=sex,
                birth_date=birth,
                sentence_type=SentenceType.PROBATION,
                crime="盗窃罪",
                deciding_organ="溆浦县人民法院",
                term_start=dt.date(2026, 1, 5),
                term_months=12,
                term_end=dt.date(2027, 1, 4),
                responsible_office=offices[number % len(offices)],
            )
        )
    Supervisee.objects.bulk_create(people, batch_size=500)
    ids = list(Supervisee.objects.order_by("pk").values_list("pk", flat=True))
    instrument = Instrument.objects.get(code="intake_example", organisation__isnull=True)
    return ids, (assessor, instrument)


def _answers(definition: Any, chooser: random.Random) -> dict[str, str]:
    answers: dict[str, str] = {}
    for item in definition.questions:
        choices = definition.choices.get(item.list_name, ())
        if choices:
            answers[item.name] = chooser.choice(choices).name
        elif item.type == "integer":
            answers[item.name] = str(chooser.randint(14, 60))
    return answers


def _score_all(ids: list[int], assessor: Any, instrument: Any) -> tuple[list[int], float]:
    from zhengtu.assessment.services.assessments import take_assessment
    from zhengtu.audit.services import Actor
    from zhengtu.supervisees.models import Supervisee
    from zhengtu.workdays.calendar import WorkingDayCalendar

    chooser = random.Random(2025)  # noqa: S311
    definition = instrument.current_version.parsed
    calendar = WorkingDayCalendar.load()
    actor = Actor(user=assessor)
    people = Supervisee.objects.in_bulk(ids)
    start = dt.date(2026, 1, 5)
    made = []
    began = time.perf_counter()
    for index, pk in enumerate(ids):
        received = start + dt.timedelta(days=index * 300 // len(ids))
        assessment = take_assessment(
            actor=actor,
            supervisee=people[pk],
            instrument=instrument,
            answers=_answers(definition, chooser),
            received_on=received,
            calendar=calendar,
        )
        made.append(assessment.pk)
    return made, time.perf_counter() - began


def _worker_init(folder: str) -> None:
    global _output
    _output = Path(folder)
    from django.db import connections

    connections.close_all()  # each process opens its own connection to the SQLite file


def _render_chunk(ids: list[int]) -> list[tuple[float, float, int, int]]:
    from zhengtu.assessment.models import Assessment
    from zhengtu.assessment.services.reports import render_report_docx, render_report_pdf

    assert _output is not None
    figures = []
    rows = Assessment.objects.filter(pk__in=ids).select_related(
        "supervisee", "instrument_version", "instrument_version__instrument", "office", "assessor"
    )
    for assessment in rows:
        options = {"number": f"矫评〔2026〕{assessment.pk}号", "issued_on": assessment.due_on, "issued_by": "王审核"}
        # CPU time of this process: on a shared machine, wall time also counts other people's work.
        began = time.process_time()
        docx = render_report_docx(assessment, **options)
        middle = time.process_time()
        pdf = render_report_pdf(assessment, **options)
        ended = time.process_time()
        (_output / f"{assessment.pk}.docx").write_bytes(docx)
        (_output / f"{assessment.pk}.pdf").write_bytes(pdf)
        figures.append((middle - began, ended - middle, len(docx), len(pdf)))
    return figures


def _render_all(ids: list[int], folder: Path) -> tuple[list[tuple[float, float, int, int]], float]:
    from django.db import connections

    connections.close_all()
    chunks = [ids[i : i + 25] for i in range(0, len(ids), 25)]
    began = time.perf_counter()
    if WORKERS <= 1:
        _worker_init(str(folder))
        results = [_render_chunk(chunk) for chunk in chunks]
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(WORKERS, initializer=_worker_init, initargs=(str(folder),)) as pool:
            results = pool.map(_render_chunk, chunks, chunksize=1)
    return [figure for chunk in results for figure in chunk], time.perf_counter() - began


def run() -> None:
    """Entry point of `make bench`: the work runs in a child process with its own Django set-up, so
    benchmarks run before it in the same `python -m bench` cannot have configured another database."""
    import subprocess

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhengtu.settings.test"}
    code = subprocess.call([sys.executable, "-u", str(Path(__file__).resolve())], cwd=ROOT, env=env)
    if code:
        print(f"assessment bench failed with exit code {code}")


def _measure() -> None:
    folder = Path(tempfile.mkdtemp(prefix="zhengtu-bench-assessment-"))
    try:
        set_up = time.perf_counter()
        _setup_django(folder)
        ids, (assessor, instrument) = _prepare()
        print(f"assessment bench: {len(ids)} questionnaires, {WORKERS} rendering process(es), {os.cpu_count()} cores")
        print(f"  set-up (not timed): {time.perf_counter() - set_up:.1f} s")
        made, scoring = _score_all(ids, assessor, instrument)
        print(f"  scoring: {scoring:.1f} s, {scoring / len(made) * 1000:.1f} ms per questionnaire")
        output = folder / "reports"
        output.mkdir()
        figures, rendering = _render_all(made, output)
        word = [f[0] for f in figures]
        pdf = [f[1] for f in figures]
        print(
            f"  rendering: {rendering:.1f} s wall for {len(figures)} reports in Word and PDF "
            f"({rendering / len(figures) * 1000:.1f} ms per report wall)"
        )
        print(
            f"    per report (CPU time of its process): Word median {statistics.median(word) * 1000:.0f} ms, "
            f"PDF median {statistics.median(pdf) * 1000:.0f} ms, p95 {sorted(pdf)[int(len(pdf) * 0.95)] * 1000:.0f} ms"
        )
        print(
            f"    sizes: Word {statistics.mean(f[2] for f in figures) / 1024:.0f} KB, "
            f"PDF {statistics.mean(f[3] for f in figures) / 1024:.0f} KB on average"
        )
        cpu = sum(word) + sum(pdf)
        print(
            f"    rendering CPU: {cpu:.1f} s in all, {cpu / len(figures) * 1000:.0f} ms per report; "
            f"ideal on {WORKERS} free cores: {cpu / max(WORKERS, 1):.1f} s"
        )
        print(
            f"    load average during the run: {os.getloadavg()[0]:.1f} (other work on the machine slows the wall time)"
        )
        total = scoring + rendering
        projected = total * 2025 / len(figures)
        verdict = "within" if projected < 120 else "OVER"
        scale = "" if len(figures) == 2025 else f"; {projected:.0f} s projected for 2,025"
        print(f"  total scored and rendered: {total:.1f} s{scale} ({verdict} the 2-minute aim for 2,025)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _measure()
