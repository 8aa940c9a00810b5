"""Which lesson files are accepted, decided by their first bytes (magic numbers), never by the name.

There is no transcoding step: a file is stored as uploaded, so it must be something every phone
browser plays. Accepted:

- video: MP4 (ISO BMFF "ftyp" box) with H.264/H.265/AV1 video, or WebM (EBML, DocType "webm") with
  VP8/VP9/AV1 video;
- audio: MP3 (ID3 tag or MPEG frame sync), M4A (ISO BMFF with AAC), Ogg (Vorbis or Opus);
- PDF ("%PDF-").
The codec is found in the file's header boxes/elements (the MP4 "stsd" sample entry, the WebM
CodecID). An MP4 whose header sits at the end of a large file is read there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import LessonKind

HEAD = 1024 * 1024  # codecs are named in the first (or, for MP4, possibly the last) megabyte

MP4_VIDEO_CODECS = (b"avc1", b"avc3", b"hvc1", b"hev1", b"av01")
MP4_AUDIO_CODECS = (b"mp4a",)
WEBM_VIDEO_CODECS = (b"V_VP8", b"V_VP9", b"V_AV1")
WEBM_AUDIO_CODECS = (b"A_OPUS", b"A_VORBIS")


@dataclass(frozen=True)
class Detected:
    kind: str  # LessonKind
    content_type: str
    label: str


def _read_ends(handle: IO[bytes]) -> tuple[bytes, bytes]:
    handle.seek(0)
    head = handle.read(HEAD)
    handle.seek(0, 2)
    size = handle.tell()
    tail = b""
    if size > HEAD:
        handle.seek(max(size - HEAD, HEAD))
        tail = handle.read(HEAD)
    handle.seek(0)
    return head, tail


def _mp4(head: bytes, tail: bytes) -> Detected | None:
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    data = head + tail
    has_video = any(b"stsd" in data and codec in data for codec in MP4_VIDEO_CODECS)
    has_audio = any(codec in data for codec in MP4_AUDIO_CODECS)
    if has_video:
        return Detected(LessonKind.VIDEO, "video/mp4", "MP4")
    if brand in (b"M4A ", b"M4B ") or has_audio:
        return Detected(LessonKind.AUDIO, "audio/mp4", "M4A")
    raise ValidationError(
        _("This MP4 file uses a codec phones cannot play (accepted: H.264, H.265, AV1 video or AAC audio).")
    )


def _webm(head: bytes) -> Detected | None:
    if head[:4] != b"\x1a\x45\xdf\xa3":
        return None
    if b"webm" not in head[:64]:
        raise ValidationError(_("This is a Matroska (MKV) file; only WebM is accepted."))
    if any(codec in head for codec in WEBM_VIDEO_CODECS):
        return Detected(LessonKind.VIDEO, "video/webm", "WebM")
    if any(codec in head for codec in WEBM_AUDIO_CODECS):
        return Detected(LessonKind.AUDIO, "audio/webm", "WebM")
    raise ValidationError(_("This WebM file uses a codec phones cannot play (accepted: VP8, VP9, AV1, Opus, Vorbis)."))


def _mp3(head: bytes) -> Detected | None:
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
        return Detected(LessonKind.AUDIO, "audio/mpeg", "MP3")
    return None


def _ogg(head: bytes) -> Detected | None:
    if head[:4] != b"OggS":
        return None
    if b"OpusHead" in head[:512] or b"\x01vorbis" in head[:512]:
        return Detected(LessonKind.AUDIO, "audio/ogg", "Ogg")
    raise ValidationError(_("This Ogg file is not Vorbis or Opus audio."))


def detect(handle: IO[bytes]) -> Detected:
    """What the file is; ValidationError with a message for the person who uploaded it otherwise."""
    head, tail = _read_ends(handle)
    if head.startswith(b"%PDF-"):
        return Detected(LessonKind.PDF, "application/pdf", "PDF")
    for probe in (lambda: _mp4(head, tail), lambda: _webm(head), lambda: _ogg(head), lambda: _mp3(head)):
        found = probe()
        if found is not None:
            return found
    raise ValidationError(
        _(
            "This file type is not accepted. Upload MP4 or WebM video, MP3, M4A or Ogg audio, or PDF "
            "(files are checked by their content, not their name)."
        )
    )


def check_lesson_file(handle: IO[bytes], *, kind: str) -> Detected:
    """The file fits the lesson's kind, or ValidationError saying what was found instead."""
    found = detect(handle)
    if found.kind != kind:
        raise ValidationError(
            _("The file is %(found)s (%(label)s) but the lesson is a %(kind)s lesson.")
            % {
                "found": LessonKind(found.kind).label,
                "label": found.label,
                "kind": LessonKind(kind).label,
            }
        )
    return found
