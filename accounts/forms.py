"""Forms for the profile, account deletion and resending the verification email."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from accounts.models import User

AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


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
