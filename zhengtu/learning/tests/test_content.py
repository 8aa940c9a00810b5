"""Lesson files: accepted by content, refused with a clear message, served with range requests."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..models import LessonKind
from ..services import content
from .conftest import MEDIA


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def add(lw, name: str, data: bytes, kind: str = LessonKind.VIDEO):  # type: ignore[no-untyped-def]
    return content.add_lesson(
        actor=lw.staff(), course=lw.course, title="x", kind=kind, length_seconds=10, upload=upload(name, data)
    )


def test_a_renamed_executable_is_refused_in_chinese(lw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        add(lw, "lesson.mp4", b"MZ\x90\x00" + b"\x00" * 200)
    assert "不接受" in " ".join(error.value.messages)


def test_a_matroska_file_is_refused_with_its_name(lw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        add(lw, "film.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01matroska" + b"\x00" * 100)
    assert "MKV" in " ".join(error.value.messages)


def test_an_audio_file_is_refused_for_a_video_lesson(lw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        add(lw, "talk.ogg", (MEDIA / "lesson.ogg").read_bytes())
    assert "Ogg" in " ".join(error.value.messages)


def test_audio_pdf_and_mp4_are_accepted(lw) -> None:  # type: ignore[no-untyped-def]
    audio = add(lw, "talk.ogg", (MEDIA / "lesson.ogg").read_bytes(), kind=LessonKind.AUDIO)
    pdf = add(lw, "law.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", kind=LessonKind.PDF)
    mp4 = add(lw, "a.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomavc1" + b"moov....stsd....avc1" + b"\x00" * 64)
    assert (audio.content_type, pdf.content_type, mp4.content_type) == ("audio/ogg", "application/pdf", "video/mp4")


def test_a_file_over_the_size_setting_is_refused(lw, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_RULES = {**settings.ZHENGTU_RULES, "learning_upload_max_megabytes": 0.01}
    with pytest.raises(ValidationError) as error:
        add(lw, "lesson.webm", (MEDIA / "lesson.webm").read_bytes())
    assert "MB" in " ".join(error.value.messages)


def test_the_upload_page_shows_the_refusal_and_keeps_nothing(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.world.bureau_a)
    before = lw.course.lessons.count()
    response = client.post(
        reverse("learning:lesson_new", args=[lw.course.pk]),
        {"title": "坏文件", "kind": "video", "minutes": "1", "file": upload("x.mp4", b"GIF89a" + b"\x00" * 50)},
    )
    assert response.status_code == 200
    assert "不接受" in response.content.decode()
    assert lw.course.lessons.count() == before


def test_video_is_served_whole_and_in_ranges(lw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lw.person_user)
    url = reverse("learning:lesson_media", args=[lw.video_lesson.pk])
    data = (MEDIA / "lesson.webm").read_bytes()
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == data
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == data[-10:]
    open_end = client.get(url, HTTP_RANGE=f"bytes={len(data) - 5}-")
    assert b"".join(open_end.streaming_content) == data[-5:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"


def test_the_video_is_not_served_to_an_outsider(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.outsider)
    url = reverse("learning:lesson_media", args=[lw.video_lesson.pk])
    assert client.get(url, HTTP_RANGE="bytes=0-10").status_code == 404
    client.force_login(lw.outsider_person.user) if lw.outsider_person.user else None


def test_staff_edit_and_reorder_lessons_and_questions_and_outsiders_cannot(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    text, video = lw.text_lesson, lw.video_lesson
    first, second = list(lw.course.questions.all()[:2])
    login(client, lw.world.bureau_a)
    client.post(reverse("learning:lesson_move", args=[video.pk]), {"direction": "up"})
    assert [lesson.pk for lesson in lw.course.lessons.all()] == [video.pk, text.pk]
    client.post(reverse("learning:question_move", args=[first.pk]), {"direction": "down"})
    assert [q.pk for q in lw.course.questions.all()[:2]] == [second.pk, first.pk]
    page = client.get(reverse("learning:course", args=[lw.course.pk])).content.decode()
    assert page.index(video.title) < page.index(text.title) and page.index(second.text) < page.index(first.text)
    client.post(
        reverse("learning:lesson_edit", args=[text.pk]),
        {"title": "什么是社区矫正（修订）", "minutes": "2", "body": "新的正文"},
    )
    text.refresh_from_db()
    assert (text.title, text.length_seconds, text.body) == ("什么是社区矫正（修订）", 120, "新的正文")
    client.post(
        reverse("learning:question_edit", args=[first.pk]),
        {"kind": "single", "text": "改过的题", "choices": "甲\n乙", "answer": "2", "explanation": ""},
    )
    first.refresh_from_db()
    assert (first.text, first.choices, first.answer) == ("改过的题", ["甲", "乙"], [1])
    # A wrong answer number is refused in Chinese and nothing changes.
    refused = client.post(
        reverse("learning:question_edit", args=[first.pk]),
        {"kind": "single", "text": "又改", "choices": "甲\n乙", "answer": "5", "explanation": ""},
    ).content.decode()
    first.refresh_from_db()
    assert first.text == "改过的题" and "errorlist" in refused
    # Another county's bureau: 404 and nothing moved or changed.
    login(client, lw.outsider)
    assert client.post(reverse("learning:lesson_move", args=[text.pk]), {"direction": "up"}).status_code == 404
    assert (
        client.post(reverse("learning:lesson_edit", args=[text.pk]), {"title": "x", "minutes": "1"}).status_code == 404
    )
    assert client.post(reverse("learning:question_move", args=[second.pk]), {"direction": "down"}).status_code == 404
    assert [lesson.pk for lesson in lw.course.lessons.all()] == [video.pk, text.pk]
    text.refresh_from_db()
    assert text.title == "什么是社区矫正（修订）"


def test_the_lesson_file_is_replaced_on_the_edit_page_and_the_old_one_removed_after(
    lw, client, login, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    lesson = lw.video_lesson
    old_name = lesson.file.name
    storage = lesson.file.storage
    login(client, lw.world.bureau_a)
    url = reverse("learning:lesson_edit", args=[lesson.pk])
    assert "当前文件" in client.get(url).content.decode()
    # A file that is not a video is refused in Chinese; the lesson and its old file stay as they were.
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(
            url,
            {"title": "宣告视频", "minutes": "0.2", "file": upload("talk.ogg", (MEDIA / "lesson.ogg").read_bytes())},
        )
    lesson.refresh_from_db()
    assert refused.status_code == 200 and "Ogg" in refused.content.decode() and "errorlist" in refused.content.decode()
    assert lesson.file.name == old_name and storage.exists(old_name)
    # A good one replaces it; the old file leaves storage once the new one is saved.
    webm = (MEDIA / "lesson.webm").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {"title": "宣告视频（新）", "minutes": "0.2", "file": upload("新版.webm", webm)})
    assert saved.status_code == 302
    lesson.refresh_from_db()
    assert lesson.file.name != old_name and storage.exists(lesson.file.name) and not storage.exists(old_name)
    assert lesson.original_name == "新版.webm" and lesson.size == len(webm) and lesson.content_type == "video/webm"
    served = client.get(reverse("learning:lesson_media", args=[lesson.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == webm


def test_a_text_lesson_has_no_file_to_replace(lw, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, lw.world.bureau_a)
    page = client.get(reverse("learning:lesson_edit", args=[lw.text_lesson.pk])).content.decode()
    assert 'type="file"' not in page
