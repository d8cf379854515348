"""Practice, member and sign-in forms (crispy layouts)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator

from api import tokens
from clients.models import Membership, Practice, User

from . import logos, members


class MemberInviteForm(forms.Form):
    """The owner invites a specialist: who they are and where the link goes."""

    email = forms.EmailField(
        label="Email address",
        max_length=150,  # it becomes the username, which holds 150 characters
        help_text="They sign in with it; the invitation link goes there.",
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.helper = FormHelper()
        self.helper.form_action = "core:member_invite"
        self.helper.layout = Layout(
            "email",
            Row(Column("first_name"), Column("last_name")),
            Submit("invite", "Send the invitation"),
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        waiting = members.pending_invitations(self.practice).filter(user__email__iexact=email)
        if waiting.exists():
            raise forms.ValidationError(members.ALREADY_INVITED)
        if members.email_in_use(email):
            raise forms.ValidationError(members.EMAIL_TAKEN)
        return email


class MemberRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("role", Submit("save", "Change the role"))


class DeactivateMemberForm(forms.Form):
    """Who takes over the member's clients; needed only when they have some."""

    move_clients_to = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Move their clients to",
        help_text="Every client of theirs, archived ones too; nothing is deleted.",
    )

    def __init__(self, *args, membership: Membership, client_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_count = client_count
        field = self.fields["move_clients_to"]
        field.queryset = members.active_members(membership.practice).exclude(pk=membership.user_id)
        field.label_from_instance = User.display_name
        field.required = client_count > 0
        plural = "" if client_count == 1 else "s"
        field.label = f"Move their {client_count} client{plural} to"
        if field.required:
            field.error_messages["required"] = members.CLIENTS_NEED_A_MEMBER.format(
                count=client_count, plural=plural
            )
        # Read by the layout's template as {{ form.member_name }}, escaped: crispy renders
        # HTML() and button values as templates, so a name must never be part of them.
        self.member_name = membership.user.display_name()
        parts = ["move_clients_to"] if client_count else []
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(
                "<p>{{ form.member_name }} will no longer be able to sign in. Their "
                "assessments and plans stay as they signed them, and the practice's history "
                "records the change.</p>"
            ),
            *parts,
            Submit("deactivate", "Deactivate this member", css_class="btn-danger"),
        )


DAYS_OUT_OF_RANGE = f"A token lives 1 to {tokens.MAX_DAYS} days: choose a number in that range."


class ApiTokenForm(forms.Form):
    """A personal API token: what it is for, and how long it works."""

    name = forms.CharField(
        max_length=80,
        help_text="What will use it, such as “Reporting script”: it names the token in your list.",
    )
    days = forms.IntegerField(
        label="Works for (days)",
        min_value=1,
        max_value=tokens.MAX_DAYS,
        initial=tokens.DEFAULT_DAYS,
        help_text=f"1 to {tokens.MAX_DAYS} days; then it stops working and you make a new one.",
        error_messages={"min_value": DAYS_OUT_OF_RANGE, "max_value": DAYS_OUT_OF_RANGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "core:api_tokens"
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("days", css_class="col-md-4")),
            Submit("create", "Create the token"),
        )


LOGO_FORMAT = logos.NOT_A_LOGO
LOGO_HELP = (
    f"PNG or JPEG, at most {logos.megabytes(logos.MAX_LOGO_BYTES)} and "
    f"{logos.megapixels(logos.MAX_LOGO_PIXELS)} (a practice default). It is stored at the "
    "size the plans print it, without the photo's metadata."
)


class LogoField(forms.FileField):
    """An uploaded logo, checked from its header and replaced by the small copy to store."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": "image/png,image/jpeg"}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            logo = logos.stored_logo(upload, upload.size)
        except logos.LogoRefused as refused:
            raise forms.ValidationError(str(refused), code="invalid_logo") from refused
        return SimpleUploadedFile(f"logo.{logo.extension}", logo.data, logo.content_type)


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["name", "logo", "require_2fa", "unit_system"]
        field_classes = {"logo": LogoField}
        help_texts = {"logo": LOGO_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A post without it (an older page) keeps the practice's current choice.
        self.fields["unit_system"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "name", "logo", "require_2fa", "unit_system", Submit("save", "Save")
        )

    def clean_unit_system(self):
        return self.cleaned_data.get("unit_system") or self.instance.unit_system


SIGN_IN_NAME = "Email or username"
INVALID_EMAIL_LOGIN = (
    "Please enter a correct email and password. Note that the password is case-sensitive."
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with its username length enforced before authentication
    (Django only sets it on the widget, so any length would reach the login throttle).

    One page serves specialists (a username or an email) and clients (their email): the
    field says both, and a refusal speaks of the email when an email was typed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(150))
        self.fields["username"].label = SIGN_IN_NAME

    def clean_username(self):
        name = self.cleaned_data["username"]
        if "@" in name:
            self.error_messages = {**self.error_messages, "invalid_login": INVALID_EMAIL_LOGIN}
        return name
