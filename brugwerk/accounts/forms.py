from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.core.forms import ModelChoiceField
from brugwerk.core.types import field_of
from brugwerk.network.models import PartnerOrganisation
from brugwerk.regions.models import School


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _("That username or e-mail address and password do not match. Please try again."),
        "inactive": _("This account is not active."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return token


# --- User management ------------------------------------------------------------------------------


class UserSearchForm(forms.Form):
    TWO_FACTOR_CHOICES = [("", _("Everyone")), ("yes", _("Set up")), ("no", _("Not set up"))]

    q = forms.CharField(label=_("Search by name or e-mail address"), required=False, max_length=100)
    twofa = forms.ChoiceField(
        label=_("Two-factor authentication"), required=False, choices=TWO_FACTOR_CHOICES
    )

    def second_factor(self) -> bool | None:
        value = self.cleaned_data.get("twofa") if self.is_valid() else ""
        return {"yes": True, "no": False}.get(value or "")

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class RoleForm(forms.Form):
    """A role with, for a school contact, the school and, for a partner, the organisation. The
    roles are those the user may grant (`selectors.grantable_roles`; the services refuse the rest),
    the schools and organisations those of the current region only. Without the school contact or
    partner role on offer, the form has no school or organisation field."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    school = ModelChoiceField(
        label=_("School (for a school contact)"), queryset=School.objects.none(), required=False
    )
    organisation = ModelChoiceField(
        label=_("Partner organisation (for a partner)"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, schools: Any, organisations: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        choices = [("", "---------"), *((role, labels[role]) for role in roles)]
        field_of(self, "role", forms.ChoiceField).choices = choices
        if Role.SCHOOLCONTACT not in roles:
            del self.fields["school"]
        else:
            field_of(self, "school", forms.ModelChoiceField).queryset = schools
            if not schools.exists():
                self.fields["school"].help_text = _(
                    "This region has no schools yet. Add the school first to create a school contact."
                )
        if Role.PARTNER not in roles:
            del self.fields["organisation"]
        else:
            field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations
            if not organisations.exists():
                self.fields["organisation"].help_text = _(
                    "This region has no partner organisations yet. "
                    "Add the organisation first to create a partner."
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        role = cleaned.get("role")
        if role == Role.SCHOOLCONTACT and not cleaned.get("school") and "school" not in self.errors:
            self.add_error("school", _("Choose the school this school contact works for."))
        if role == Role.PARTNER and not cleaned.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", _("Choose the partner organisation this partner works for."))
        if role != Role.SCHOOLCONTACT:
            cleaned["school"] = None
        if role != Role.PARTNER:
            cleaned["organisation"] = None
        return cleaned


def _email_taken(email: str, exclude_pk: int | None = None) -> bool:
    qs = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return bool(email) and qs.exists()


class UserCreateForm(RoleForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "Letters, digits and @ . + - _ only. The person logs in with this or their e-mail address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["first_name", "last_name", "email", "username", "role", "school", "organisation"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _(
                    "This username is already taken. If this person already works in another region, "
                    "the coordinator can add them with “Add an existing user”."
                )
            )
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if _email_taken(email):
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. If this person already works in "
                    "another region, the coordinator can add them with “Add an existing user”."
                )
            )
        return email


class AddExistingUserForm(RoleForm):
    login = forms.CharField(
        label=_("Username or e-mail address of the existing user"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    field_order = ["login", "role", "school", "organisation"]


class RoleGrantForm(RoleForm):
    pass


class UserEditForm(forms.Form):
    """A manager edits an account. With `email_locked` the e-mail address is shown but cannot be
    changed (the field is disabled, so a posted value is ignored; the service refuses it too)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_active = forms.BooleanField(
        label=_("Active (can log in)"),
        required=False,
        help_text=_("Switch off to close the account without removing its history."),
    )

    def __init__(self, *args: Any, instance: User, email_locked: bool = False, **kwargs: Any) -> None:
        self.instance = instance
        kwargs.setdefault(
            "initial",
            {f: getattr(instance, f) for f in ("first_name", "last_name", "email", "phone", "is_active")},
        )
        super().__init__(*args, **kwargs)
        if email_locked:
            self.fields["email"].disabled = True
            self.fields["email"].required = False
            self.fields["email"].help_text = _(
                "Only this person can change their e-mail address, on their own account page: they hold or "
                "held a role that sees case data, and the link to set a password goes to this address."
            )

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        if self.fields["email"].disabled:
            return self.instance.email
        if _email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class OwnEmailForm(forms.Form):
    """The owner changes their own e-mail address."""

    email = forms.EmailField(label=_("New e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if _email_taken(email, exclude_pk=self.user.pk):
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class PasswordSetForm(SetPasswordForm):
    """Django's set-password form (with the password validators), for the one-time link; the view saves
    through the service."""


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class PasswordConfirmForm(forms.Form):
    """Re-enter the password before a sensitive step such as an export."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
