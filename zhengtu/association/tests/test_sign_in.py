"""Sign-in at the door with the training's QR code, then the questionnaire, without an account."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.association.models import SignInMethod, TrainingRegistration
from zhengtu.association.services import trainings as services
from zhengtu.association.sign_in import questionnaire_token, sign_in_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(aw):
    now = timezone.now()
    services.ensure_default_questionnaire(actor=aw.admin_actor, association=aw.association)
    return services.create_training(
        actor=aw.admin_actor,
        association=aw.association,
        topic="人际沟通",
        trainer="王老师",
        audience="全市司法社工",
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        place="协会培训室",
    )


def sign_in_url(training):
    return reverse("association:sign-in", args=[sign_in_token(training)])


def test_the_qr_page_shows_an_svg_code_of_the_signed_link(client, login, aw, training):
    login(client, aw.admin)
    page = client.get(reverse("association:training-qr", args=[training.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<?xml" not in html
    assert sign_in_url(training) in html


def test_a_guest_signs_in_with_name_and_phone_and_answers_the_questionnaire(client, aw, training):
    registered = services.register_guest(actor=aw.admin_actor, training=training, name="陈小红", phone="13912345678")
    response = client.post(sign_in_url(training), {"guest": "1", "name": "陈小红", "phone": "139-1234-5678"})
    registered.refresh_from_db()
    assert registered.signed_in_at is not None
    assert registered.sign_in_method == SignInMethod.GUEST
    assert response.status_code == 302
    assert response["Location"] == reverse("association:questionnaire", args=[questionnaire_token(registered)])
    items = services.active_questionnaire_items(aw.association)
    answers = {f"item_{item.pk}": "5" for item in items}
    page = client.post(response["Location"], {**answers, "comment": "很有收获"})
    assert page.status_code == 200
    assert registered.training.responses.get().registration == registered
    again = client.post(response["Location"], answers)
    assert training.responses.count() == 1
    assert again.status_code == 200


def test_a_walk_in_guest_is_added_and_counted(client, training):
    client.post(sign_in_url(training), {"guest": "1", "name": "临时来宾", "phone": "13700001234"})
    walk_in = TrainingRegistration.objects.get(training=training)
    assert walk_in.attended and walk_in.registered_at is None
    assert walk_in.phone_masked == "137****1234"


def test_staff_sign_in_with_their_account(client, login, aw, training):
    login(client, aw.base.social_worker_a)
    page = client.get(sign_in_url(training))
    assert aw.base.social_worker_a.display_name in page.content.decode()
    client.post(sign_in_url(training), {"account": "1"})
    registration = TrainingRegistration.objects.get(training=training, user=aw.base.social_worker_a)
    assert registration.sign_in_method == SignInMethod.ACCOUNT
    assert registration.organisation_name == aw.base.agency_a.name


def test_a_phone_registered_under_another_name_is_refused_with_a_message(client, aw, training):
    services.register_guest(actor=aw.admin_actor, training=training, name="张三", phone="13912345678")
    page = client.post(sign_in_url(training), {"guest": "1", "name": "李四", "phone": "13912345678"})
    assert page.status_code == 200
    assert not TrainingRegistration.objects.filter(signed_in_at__isnull=False).exists()
    assert "errorlist" in page.content.decode()


def test_bad_phone_keeps_the_typed_name(client, training):
    page = client.post(sign_in_url(training), {"guest": "1", "name": "赵六", "phone": "abc"})
    assert page.status_code == 200
    assert 'value="赵六"' in page.content.decode()
    assert not TrainingRegistration.objects.exists()


def test_sign_in_is_refused_outside_the_window(client, aw):
    later = timezone.now() + dt.timedelta(days=3)
    training = services.create_training(
        actor=aw.admin_actor,
        association=aw.association,
        topic="未来的培训",
        trainer="x",
        audience="y",
        starts_at=later,
        ends_at=later + dt.timedelta(hours=2),
        place="z",
    )
    client.post(sign_in_url(training), {"guest": "1", "name": "早到者", "phone": "13700001234"})
    assert not TrainingRegistration.objects.exists()


def test_forged_or_replaced_codes_do_not_work(client, aw, training):
    old_url = sign_in_url(training)
    services.rotate_sign_in_key(actor=aw.admin_actor, training=training)
    assert client.get(old_url).status_code == 404
    assert client.get(old_url[:-3] + "xyz/").status_code == 404
    assert client.get(sign_in_url(training)).status_code == 200
