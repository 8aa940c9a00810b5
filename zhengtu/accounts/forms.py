from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhengtu.orgs.forms import OrganisationChoiceField
from zhengtu.orgs.models import Organisation

from .models import User
from .roles import ASSIGNABLE_ROLES, Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        max_length=12,
        help_text=_("6 digits from your authenticator app. Supervisees leave this empty."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
    )


class OneTimeCodeForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("One-time code"),
        regex=r"^\s*\d{6,8}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the 6 digits shown in the authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
    )


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (old password, new twice, the password policy); saving goes through our service."""

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("Use accounts.services.change_own_password.")


class NewPasswordFields(forms.Form):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_new_password2(self) -> str:
        first, second = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2", "")
        if first and first != second:
            raise ValidationError(_("The two passwords differ."))
        return second


class UserFieldsMixin(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    role = forms.ChoiceField(label=_("Role"), choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES])
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    phone = forms.CharField(label=_("Work phone"), max_length=30, required=False)

    def limit_organisations(self, organisations: QuerySet[Organisation]) -> None:
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = organisations.filter(is_active=True).order_by("path")


class UserCreateForm(UserFieldsMixin, NewPasswordFields):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @ . + - _ only; used to log in."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _ in a username.")},
    )
    field_order = ["username", "full_name", "role", "organisation", "title", "phone", "new_password1", "new_password2"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is already taken."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors:
            candidate = User(username=cleaned.get("username", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class UserUpdateForm(UserFieldsMixin):
    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or username"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any")), *Role.choices])
    organisation = OrganisationChoiceField(
        label=_("Organisation"), required=False, queryset=Organisation.objects.none(), empty_label=_("Any")
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = organisations.order_by("path")
