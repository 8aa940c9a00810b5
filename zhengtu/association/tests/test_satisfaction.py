"""A training's satisfaction figure comes from its questionnaires; the year's figures pool every answer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from zhengtu.association.models import QuestionnaireItem, SignInMethod
from zhengtu.association.selectors import training_figures, trainings_managed_by, year_figures
from zhengtu.association.services import trainings as services

from .builders import local_datetime

pytestmark = pytest.mark.django_db


def _training(aw, *, day=dt.date(2026, 6, 10), topic="社区矫正实务技巧"):
    return services.create_training(
        actor=aw.admin_actor,
        association=aw.association,
        topic=topic,
        trainer="李老师",
        audience="驻所司法社工",
        starts_at=local_datetime(day, 9),
        ends_at=local_datetime(day, 12),
        place="市司法局三楼会议室",
    )


def _attendees(aw, training, count):
    registrations = []
    for n in range(count):
        registration = services.register_guest(
            actor=aw.admin_actor, training=training, name=f"学员{n}", phone=f"1380000{n:04d}"
        )
        services.record_attendance(actor=aw.admin_actor, registration=registration, attended=True)
        registrations.append(registration)
    return registrations


def _answer(aw, training, registration, scores):
    items = services.active_questionnaire_items(aw.association)
    return services.submit_questionnaire(
        actor=aw.admin_actor,
        training=training,
        registration=registration,
        scores={item.pk: score for item, score in zip(items, scores, strict=True)},
    )


def test_training_satisfaction_is_the_share_of_answers_scored_four_or_five(aw):
    services.ensure_default_questionnaire(actor=aw.admin_actor, association=aw.association)
    training = _training(aw)
    people = _attendees(aw, training, 4)
    _answer(aw, training, people[0], [5, 5, 5, 5, 5])
    _answer(aw, training, people[1], [4, 5, 4, 5, 4])
    _answer(aw, training, people[2], [3, 4, 5, 5, 2])  # two answers below 4
    figures = training_figures(training)
    assert figures.attended == 4
    assert figures.responses == 3
    assert figures.satisfaction.answers == 15
    assert figures.satisfaction.satisfied_answers == 13
    assert figures.satisfaction.percent == Decimal("86.67")  # 13 / 15
    assert figures.satisfaction.mean_score == Decimal("4.40")  # 66 / 15


@override_settings(ZHENGTU_RULES={"training_satisfaction_method": "mean_over_max"})
def test_satisfaction_can_be_defined_as_the_mean_over_the_top_score(aw):
    services.ensure_default_questionnaire(actor=aw.admin_actor, association=aw.association)
    training = _training(aw)
    people = _attendees(aw, training, 2)
    _answer(aw, training, people[0], [5, 5, 5, 5, 5])
    _answer(aw, training, people[1], [4, 4, 5, 5, 3])
    assert training_figures(training).satisfaction.percent == Decimal("92.00")  # mean 4.6 / 5


def test_no_questionnaires_means_no_figure_rather_than_zero(aw):
    training = _training(aw)
    assert training_figures(training).satisfaction.percent is None


def test_year_figures_count_sessions_person_times_and_pool_answers(aw):
    services.ensure_default_questionnaire(actor=aw.admin_actor, association=aw.association)
    first = _training(aw, day=dt.date(2026, 3, 5))
    second = _training(aw, day=dt.date(2026, 9, 5), topic="项目管理")
    cancelled = _training(aw, day=dt.date(2026, 10, 5), topic="取消的培训")
    _training(aw, day=dt.date(2025, 12, 5), topic="去年的培训")
    services.cancel_training(actor=aw.admin_actor, training=cancelled)
    first_people = _attendees(aw, first, 3)
    second_people = _attendees(aw, second, 2)
    services.register_guest(actor=aw.admin_actor, training=second, name="缺席者", phone="13900001111")
    _answer(aw, first, first_people[0], [5, 5, 5, 5, 5])
    _answer(aw, second, second_people[0], [5, 5, 5, 5, 1])
    figures = year_figures(trainings_managed_by(aw.admin), 2026)
    assert figures.sessions == 2
    assert figures.person_times == 5  # the absent registrant is not counted
    assert figures.responses == 2
    assert figures.satisfaction.percent == Decimal("90.00")  # 9 of 10 answers are 4 or 5


def test_paper_questionnaire_must_score_every_item_on_the_scale(aw):
    services.ensure_default_questionnaire(actor=aw.admin_actor, association=aw.association)
    training = _training(aw)
    items = list(QuestionnaireItem.objects.filter(association=aw.association))
    scores = {item.pk: 5 for item in items}
    scores[items[0].pk] = 6
    scores[items[1].pk] = None
    with pytest.raises(ValidationError) as error:
        services.submit_questionnaire(actor=aw.admin_actor, training=training, scores=scores)
    assert set(error.value.message_dict) == {f"item_{items[0].pk}", f"item_{items[1].pk}"}
    assert training.responses.count() == 0


def test_an_absent_registrant_cannot_answer_and_an_attendee_answers_once(aw):
    services.ensure_default_questionnaire(actor=aw.admin_actor, association=aw.association)
    training = _training(aw)
    absent = services.register_guest(actor=aw.admin_actor, training=training, name="甲", phone="13800000001")
    with pytest.raises(ValidationError):
        _answer(aw, training, absent, [5] * 5)
    present = _attendees(aw, training, 1)[0]
    assert present.sign_in_method == SignInMethod.RECORDED
    _answer(aw, training, present, [5] * 5)
    with pytest.raises(ValidationError):
        _answer(aw, training, present, [4] * 5)


def test_registration_refuses_duplicates_and_a_full_training(aw):
    training = _training(aw)
    training.capacity = 1
    training.save()
    services.register_user(actor=aw.admin_actor, training=training, user=aw.base.social_worker_a)
    with pytest.raises(ValidationError):
        services.register_user(actor=aw.admin_actor, training=training, user=aw.base.social_worker_a)
    with pytest.raises(ValidationError, match="full|满"):
        services.register_guest(actor=aw.admin_actor, training=training, name="乙", phone="13800000002")


def test_bad_phone_numbers_are_refused_with_a_message(aw):
    training = _training(aw)
    with pytest.raises(ValidationError) as error:
        services.register_guest(actor=aw.admin_actor, training=training, name="丙", phone="12345")
    assert "phone" in error.value.message_dict


def test_a_training_must_end_after_it_starts(aw):
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.create_training(
            actor=aw.admin_actor,
            association=aw.association,
            topic="x",
            trainer="y",
            audience="z",
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            place="p",
        )


def test_coming_trainings_are_not_counted_as_sessions_held(aw):
    coming = timezone.now() + dt.timedelta(days=1)
    services.create_training(
        actor=aw.admin_actor,
        association=aw.association,
        topic="明天的培训",
        trainer="x",
        audience="y",
        starts_at=coming,
        ends_at=coming + dt.timedelta(hours=2),
        place="z",
    )
    assert year_figures(trainings_managed_by(aw.admin), timezone.localdate(coming).year).sessions == 0
