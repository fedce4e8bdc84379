"""Catalog filters as GET parameters: validated here, so no value can break a page."""

from decimal import Decimal

from django import forms

from courses.models import Course
from courses.search.filters import CatalogFilters, Sort

Q_MAX_LENGTH = 200
PRICE_CHOICES = [("", "Any price"), ("free", "Free"), ("paid", "Paid")]
RATING_CHOICES = [("", "Any rating"), ("4.5", "4.5 and up"), ("4", "4 and up"), ("3", "3 and up")]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": Q_MAX_LENGTH}),
    )
    category = forms.ChoiceField(label="Category", required=False)
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "Any level"), *Course.Level.choices]
    )
    language = forms.RegexField(
        label="Language", regex=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", required=False
    )
    price = forms.ChoiceField(label="Price", required=False, choices=PRICE_CHOICES)
    min_rating = forms.TypedChoiceField(
        label="Minimum rating",
        required=False,
        choices=RATING_CHOICES,
        coerce=Decimal,
        empty_value=None,
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=Sort.CHOICES)

    def __init__(self, *args, category_slugs: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories"), *category_slugs]

    def clean_q(self) -> str:
        # Longer input is cut rather than refused: a pasted paragraph still searches.
        return " ".join(self.cleaned_data["q"].split())[:Q_MAX_LENGTH]

    def filters(self) -> CatalogFilters:
        """The valid parameters as filters; an invalid one is ignored (see ignored_fields)."""
        self.is_valid()
        data = self.cleaned_data
        return CatalogFilters(
            q=data.get("q") or "",
            category=data.get("category") or "",
            level=data.get("level") or "",
            language=data.get("language") or "",
            price=data.get("price") or "",
            min_rating=data.get("min_rating"),
            sort=data.get("sort") or "",
        )

    def ignored_fields(self) -> list[str]:
        return [str(self.fields[name].label or name.replace("_", " ")) for name in self.errors]
