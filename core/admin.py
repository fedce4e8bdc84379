"""Admin pieces shared by every app."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import smart_split

MAX_SEARCH_TERMS = 10
MAX_SEARCH_LENGTH = 200


class RobustAdminMixin:
    """Guards the admin against input it does not check itself.

    - Search reads at most 10 words (200 characters). Django adds a clause per word: a pasted
      paragraph of 2,000 words kept PostgreSQL busy for minutes on the enrolment list.
    - Initial values for an add form come from the query string (?category=3); one that is
      not a valid id for its relation is dropped, because autocomplete widgets crash on it.
    """

    def get_search_results(self, request, queryset, search_term):
        terms = list(smart_split(search_term[:MAX_SEARCH_LENGTH]))[:MAX_SEARCH_TERMS]
        return super().get_search_results(request, queryset, " ".join(terms))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation or field.auto_created:  # forward relations only
                continue
            try:
                for item in value if isinstance(value, list) else [value]:
                    field.target_field.to_python(item)
            except ValidationError:
                del initial[name]
        return initial


class HistoryInlineMixin:
    """An inline that shows a record's history (audit rows, refunds, issued documents): it
    cannot be added to, changed or deleted from the admin."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
