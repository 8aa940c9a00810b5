"""API authentication. PLACEHOLDER: to be completed (helper A)."""

from rest_framework.authentication import SessionAuthentication


class VerifiedSessionAuthentication(SessionAuthentication):
    pass


class BearerTokenAuthentication(SessionAuthentication):
    pass
