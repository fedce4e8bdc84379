"""Q&A forms: a question, an answer, a moderation reason, and the list's search and filter."""

from django import forms

from learning.models.questions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from learning.questions.selectors import Filter

MARKDOWN_HELP = "Basic Markdown: **bold**, *italic*, `code`, links and lists."


def _body(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": "Write something before posting."},
    )


class QuestionForm(forms.Form):
    title = forms.CharField(
        label="Your question in one line",
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": "Give your question a title."},
    )
    body = _body("Details")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_question_%s")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    body = _body("Your answer")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_answer_%s")
        super().__init__(*args, **kwargs)


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Reason for hiding", max_length=300, error_messages={"required": "Give a reason."}
    )


class QuestionSearchForm(forms.Form):
    q = forms.CharField(label="Search questions", required=False, max_length=200)
    show = forms.ChoiceField(label="Show", required=False, choices=Filter.CHOICES)
