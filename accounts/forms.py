"""Forms for the profile and account deletion."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from accounts.models import User


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        required=False,
        help_text="A JPEG, PNG, GIF or WebP image, at most 2 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "bio", "avatar"]
        labels = {"display_name": "Display name", "bio": "Short bio"}
        help_texts = {
            "display_name": "Shown beside your reviews and comments.",
            "bio": "Up to 500 characters.",
        }

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload or upload is True or not hasattr(upload, "size"):
            return upload
        if upload.size > settings.AVATAR_MAX_BYTES:
            raise ValidationError("The image is too large: the limit is 2 MB.")
        try:
            with Image.open(upload) as image:
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                width, height = image.size
                if image.format not in {"JPEG", "PNG", "GIF", "WEBP"}:
                    raise ValidationError("Upload a JPEG, PNG, GIF or WebP image.")
                if max(width, height) > settings.AVATAR_MAX_PIXELS:
                    raise ValidationError("The image is too large: at most 4096 pixels a side.")
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ValidationError("That file is not an image we can read.") from exc
        upload.seek(0)
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
