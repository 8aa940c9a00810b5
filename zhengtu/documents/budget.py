"""Bounding the work of an uploaded template: time, output size, range() sizes and string repetition.

Administrators upload Word templates (Jinja, in the sandbox) and HTML templates (Django). The
sandbox stops a template from reaching files or Python internals, but not from working forever:
`{% for a in range(100000) %}{% for b in range(100000) %}…` rendered synchronously in a web
thread. So:

- `range()` in Word templates yields at most `ZHENGTU_DOCUMENT_RANGE_MAX` items per call and
  `ZHENGTU_DOCUMENT_ITERATIONS_MAX` in a whole render;
- `"x" * n` and `a ** b` are refused when the result would be huge;
- the rendered text may not exceed `ZHENGTU_DOCUMENT_OUTPUT_MAX_BYTES`;
- the whole render has `ZHENGTU_DOCUMENT_RENDER_SECONDS`: a watchdog raises `TemplateTooExpensive`
  inside the rendering thread when the time is up (the loops of a template are Python code, which
  checks for such an exception between instructions), so even loops over the document's own data
  cannot hold a thread.
Each refusal raises `TemplateTooExpensive`, which the upload check and the issuing of a document
turn into the usual "template could not be used" message.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

T = TypeVar("T")
_state = threading.local()


class TemplateTooExpensive(Exception):  # noqa: N818 - reads as what happened
    pass


class _TimeUp(BaseException):
    """Raised asynchronously in the rendering thread; BaseException so no template code swallows it."""


def _limit(name: str, default: int | float) -> Any:
    return getattr(settings, f"ZHENGTU_DOCUMENT_{name}", default)


def bounded_range(*arguments: int) -> Iterator[int]:
    """range() for templates: small per call, and counted against the render's iteration budget."""
    values = range(*arguments)
    if len(values) > int(_limit("RANGE_MAX", 10_000)):
        raise TemplateTooExpensive(
            _("range() in a template may produce at most %(max)d numbers.") % {"max": int(_limit("RANGE_MAX", 10_000))}
        )
    budget = int(_limit("ITERATIONS_MAX", 1_000_000))
    for value in values:
        _state.iterations = getattr(_state, "iterations", 0) + 1
        if _state.iterations > budget:
            raise TemplateTooExpensive(
                _("The template's loops ran more than %(max)d times; simplify it.") % {"max": budget}
            )
        yield value


def checked_binop(operator: str, left: Any, right: Any) -> Any:
    """`*` and `**` for templates, refused when the result would be huge."""
    limit = int(_limit("OUTPUT_MAX_BYTES", 20 * 1024 * 1024))
    if operator == "*":
        for sequence, times in ((left, right), (right, left)):
            sized = isinstance(sequence, str | bytes | list | tuple) and isinstance(times, int)
            if sized and len(sequence) * times > limit:
                raise TemplateTooExpensive(_("The template builds a text that is too long."))
        return left * right
    if operator == "**":
        if isinstance(right, int | float) and abs(right) > 1000:
            raise TemplateTooExpensive(_("The template computes a power that is too large."))
        return left**right
    raise AssertionError(operator)


def check_output_size(size: int) -> None:
    limit = int(_limit("OUTPUT_MAX_BYTES", 20 * 1024 * 1024))
    if size > limit:
        raise TemplateTooExpensive(
            _("The template produces more than %(mb)d MB of text.") % {"mb": limit // (1024 * 1024)}
        )


def _set_async_exception(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception is not None else None
    )


def within_budget(work: Callable[[], T]) -> T:
    """Run one render with a fresh iteration count and the time budget; TemplateTooExpensive when exceeded."""
    seconds = float(_limit("RENDER_SECONDS", 10))
    thread_id = threading.get_ident()
    lock = threading.Lock()
    running = [True]

    def time_up() -> None:
        with lock:
            if running[0]:
                _set_async_exception(thread_id, _TimeUp)

    _state.iterations = 0
    timer = threading.Timer(seconds, time_up)
    timer.daemon = True
    try:
        timer.start()
        try:
            return work()
        finally:
            timer.cancel()
            with lock:
                running[0] = False
                _set_async_exception(thread_id, None)  # drop one that fired but was not raised yet
    except _TimeUp:
        raise TemplateTooExpensive(
            _("The template took more than %(seconds)d seconds to fill in; simplify it.") % {"seconds": seconds}
        ) from None
