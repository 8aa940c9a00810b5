from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Division, Organisation
from .services import create_organisation, update_organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "parent", "division", "is_active", "path")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    readonly_fields = ("path",)
    autocomplete_fields = ("parent", "division")
    list_select_related = ("parent", "division")

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        # Paths are maintained by the services only.
        fields = {name: form.cleaned_data.get(name) for name in ("division", "address", "phone", "is_active")}
        if change:
            update_organisation(
                organisation=Organisation.objects.get(pk=obj.pk),
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                **fields,
            )
        else:
            created = create_organisation(name=obj.name, kind=obj.kind, parent=obj.parent, **fields)
            obj.pk = created.pk
            obj.path = created.path


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "full_name", "parent")
    search_fields = ("code", "name", "full_name")
    autocomplete_fields = ("parent",)
