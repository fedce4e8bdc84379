"""The note form: Markdown and an optional video time typed as mm:ss (or h:mm:ss, or seconds)."""

import re

from django import forms

from learning.models.notes import NOTE_MAX_LENGTH, format_seconds

TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)$|^(\d{1,6})$")


def parse_time(value: str) -> int | None:
    """ "1:15" -> 75, "1:02:03" -> 3723, "90" -> 90, "" -> None; anything else ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    match = TIME.match(value)
    if not match:
        raise ValueError(value)
    hours, minutes, seconds, plain = match.groups()
    if plain is not None:
        return int(plain)
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. Only you can see your notes.",
        error_messages={"required": "Write something in your note."},
    )
    time = forms.CharField(
        label="Video time (optional)",
        required=False,
        max_length=12,
        help_text="mm:ss, e.g. 02:15",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "mm:ss"}),
    )

    def __init__(self, *args, note=None, **kwargs):
        kwargs.setdefault("auto_id", "id_note_%s")
        if note is not None:
            kwargs.setdefault(
                "initial",
                {
                    "body": note.body,
                    "time": ""
                    if note.video_seconds is None
                    else format_seconds(note.video_seconds),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_time(self) -> int | None:
        try:
            return parse_time(self.cleaned_data.get("time", ""))
        except ValueError:
            raise forms.ValidationError("Write the time as mm:ss, for example 02:15.") from None
