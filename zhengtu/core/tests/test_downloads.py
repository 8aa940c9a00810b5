"""Downloads: a Chinese file name survives the trip to the browser, and nothing caches or sniffs the file."""

from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import Http404

from zhengtu.core.downloads import XLSX, content_disposition, download_response, stored_file_response


def _star_name(header: str) -> str:
    marker = "filename*=UTF-8''"
    assert marker in header
    return unquote(header.split(marker, 1)[1])


def test_a_chinese_name_is_sent_in_utf8_with_an_ascii_fallback():
    response = download_response(b"data", "社区矫正对象-20261207.xlsx", XLSX)
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="download.xlsx"; ')
    assert _star_name(header) == "社区矫正对象-20261207.xlsx"
    assert header.isascii()  # an HTTP header must stay ASCII
    assert response["Content-Type"] == XLSX
    assert response.content == b"data"


def test_a_plain_name_is_sent_as_is_and_the_fallback_can_be_named():
    assert content_disposition("ledger-20261207.xlsx") == 'attachment; filename="ledger-20261207.xlsx"'
    header = content_disposition("社区矫正对象导入模板.csv", ascii_name="template.csv")
    assert header.startswith('attachment; filename="template.csv"; ')
    assert _star_name(header) == "社区矫正对象导入模板.csv"


def test_inline_and_names_that_would_break_the_header():
    assert content_disposition("a.pdf", inline=True) == 'inline; filename="a.pdf"'
    header = content_disposition('报告 "初稿"; 2/3.docx')
    assert header.count('"') == 2  # the quote in the name cannot close the quoted fallback
    assert ";" not in header.split("filename*=")[1]  # nor split the encoded name
    assert _star_name(header) == '报告 "初稿"; 2/3.docx'
    assert "\n" not in content_disposition("a\r\nSet-Cookie: x.txt")


def test_type_guessed_from_the_name_and_private_headers():
    response = download_response(b"%PDF", "宣告书.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


class _Holder:
    pass


def test_a_missing_stored_file_is_404_not_500(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    from django.core.files.storage import FileSystemStorage
    from django.db import models

    field = models.FileField(storage=FileSystemStorage(location=str(tmp_path)))
    field.name = "file"
    empty = FieldFile(_Holder(), field, "")
    with pytest.raises(Http404):
        stored_file_response(empty)
    gone = FieldFile(_Holder(), field, "gone.pdf")
    with pytest.raises(Http404):
        stored_file_response(gone)
    field.storage.save("证明.pdf", ContentFile(b"%PDF-1.4"))
    present = FieldFile(_Holder(), field, "证明.pdf")
    response = stored_file_response(present)
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert _star_name(response["Content-Disposition"]) == "证明.pdf"
    assert response["Content-Type"] == "application/pdf"
