"""Comment forms: the text, and for a reply the comment it answers."""

from django import forms

from blog.models import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Basic Markdown: **bold**, *italic*, `code`, links and lists.",
        error_messages={
            "required": "Write something before posting.",
            "max_length": f"Comments can be at most {COMMENT_MAX_LENGTH} characters long "
            "(yours has %(show_value)d).",
        },
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )


class ReplyForm(CommentForm):
    """The same form, with its own ids so that several can live on one page."""

    def __init__(self, *args, parent_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_reply_{parent_id}_%s")
        kwargs.setdefault("initial", {"parent": parent_id})
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Your reply"
