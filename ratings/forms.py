"""Input for rating a course, reporting a review, and hiding reviews in the admin."""

from django import forms

from ratings.models import Rating, ReviewReport

STAR_CHOICES = [
    (5, "5 stars: excellent"),
    (4, "4 stars: good"),
    (3, "3 stars: fair"),
    (2, "2 stars: poor"),
    (1, "1 star: bad"),
]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="Your rating",
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose from 1 to 5 stars.",
            "invalid_choice": "Choose from 1 to 5 stars.",
        },
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=Rating._meta.get_field("title").max_length,
        required=False,
        help_text="A one-line summary of your review.",
    )
    body = forms.CharField(
        label="Review (optional)",
        max_length=Rating._meta.get_field("body").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What did you learn, and who is the course for? Basic Markdown works.",
    )

    @classmethod
    def for_rating(cls, rating: Rating | None, data=None) -> "RatingForm":
        initial = {}
        if rating is not None:
            initial = {"stars": rating.stars, "title": rating.title, "body": rating.body}
        return cls(data=data, initial=initial)


class ReportReviewForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this review?",
        choices=ReviewReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why you are reporting this review.",
            "invalid_choice": "Choose why you are reporting this review.",
        },
    )
    details = forms.CharField(
        label="Details (optional)",
        max_length=ReviewReport.DETAILS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything that helps the moderators decide. Needed for “Something else”.",
    )


class HideReviewsForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=Rating._meta.get_field("hidden_reason").max_length,
        help_text="Kept with each review for the record, e.g. “Spam” or “Personal data”.",
        widget=forms.TextInput(attrs={"size": 60}),
    )
