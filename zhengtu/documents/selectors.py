"""Reads of the documents app. Default deny; 404 outside the user's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.selectors import organisations_visible_to
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import DocumentTemplate, GeneratedDocument

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def documents_visible_to(user: User) -> QuerySet[GeneratedDocument]:
    """Documents about supervisees the user sees; documents about nobody, by issuing organisation's subtree."""
    if not user.is_authenticated or not user.is_active:
        return GeneratedDocument.objects.none()
    if user.is_superuser:
        return GeneratedDocument.objects.all()
    about_people = Q(supervisee__in=supervisees_visible_to(user).values("pk"))
    about_nobody = Q(supervisee__isnull=True, organisation__in=organisations_visible_to(user).values("pk"))
    return GeneratedDocument.objects.filter(about_people | about_nobody)


def get_document_for_user(user: User, pk: object) -> GeneratedDocument:
    return get_or_404(documents_visible_to(user), pk)


def templates_visible_to(user: User) -> QuerySet[DocumentTemplate]:
    """Replacements an administrator manages: global ones (read only unless superuser) and their subtree's."""
    if not user.is_authenticated or not user.is_active:
        return DocumentTemplate.objects.none()
    if user.is_superuser:
        return DocumentTemplate.objects.all()
    return DocumentTemplate.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__in=organisations_visible_to(user).values("pk"))
    )


def get_template_for_user(user: User, pk: object) -> DocumentTemplate:
    """A replacement the user may change: within their subtree (global ones only for superusers)."""
    queryset = templates_visible_to(user)
    if not user.is_superuser:
        queryset = queryset.filter(organisation__isnull=False)
    return get_or_404(queryset, pk)
