"""Account pages. `lockout_response` is named in settings.AXES_LOCKOUT_CALLABLE."""

from .auth import lockout_response

__all__ = ["lockout_response"]
