"""Forms for sign-up's terms box, the profile, account deletion and resending verification."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from legal.services import record_terms_acceptance

AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class TermsSignupForm(forms.Form):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: its sign-up forms (email and social) add this box."""

    accept_terms = forms.BooleanField(
        required=True,
        error_messages={"required": "Please accept the terms and the privacy notice to sign up."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].label = format_html(
            'I accept the <a href="{}">terms of use</a> and the <a href="{}">privacy notice</a>',
            reverse("legal:page", args=["terms"]),
            reverse("legal:page", args=["privacy"]),
        )

    def signup(self, request, user) -> None:
        """Called by allauth once the user row exists: record what they accepted."""
        # allauth's social sign-up form (shown when the provider's data is not enough) has
        # `sociallogin`; the email form does not.
        source = "social-signup" if getattr(self, "sociallogin", None) else "signup"
        record_terms_acceptance(user=user, source=source)


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ProfileForm(forms.Form):
    """A plain form (not a ModelForm), so a rejected upload never touches the user object."""

    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text="Shown beside your reviews and comments.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    bio = forms.CharField(
        label="Short bio",
        max_length=User._meta.get_field("bio").max_length,
        required=False,
        help_text="Up to 500 characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    avatar = forms.FileField(
        label="Profile picture",
        required=False,
        help_text="A JPEG, PNG, GIF or WebP image, at most 2 MB. It is cropped to a square.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(label="Remove my current picture", required=False)
    section_emails = forms.BooleanField(
        label="Email me when a new section of one of my courses opens",
        required=False,
    )

    def __init__(self, *args, has_avatar: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_avatar:
            del self.fields["remove_avatar"]

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        if upload.size > settings.AVATAR_MAX_BYTES:
            raise ValidationError("The image is too large: the limit is 2 MB.")
        try:
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError("That file is not an image we can read.") from exc
        except Image.DecompressionBombError as exc:
            raise ValidationError("The image is too large: at most 4096 pixels a side.") from exc
        finally:
            upload.seek(0)
        if image_format not in AVATAR_FORMATS:
            raise ValidationError("Upload a JPEG, PNG, GIF or WebP image.")
        if max(width, height) > settings.AVATAR_MAX_PIXELS:
            raise ValidationError("The image is too large: at most 4096 pixels a side.")
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That password is not correct.")
        return password
