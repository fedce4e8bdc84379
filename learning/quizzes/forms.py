"""The quiz form: one field per question of an attempt, named q<question id>.

Every field is optional (an unanswered question earns nothing), but a number question's answer
must be a number: otherwise the form comes back with an error and the attempt stays open.
"""

from __future__ import annotations

from django import forms

from learning.models import QuizQuestion
from learning.quizzes.grading import parse_number
from learning.quizzes.selectors import QuestionView


def field_name(question_id: int) -> str:
    return f"q{question_id}"


class QuizForm(forms.Form):
    def __init__(self, *args, questions: list[QuestionView], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [(str(option.id), option.text) for option in question.options]
            if question.kind == QuizQuestion.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, required=False)
            elif question.kind in (QuizQuestion.Kind.SINGLE, QuizQuestion.Kind.TRUE_FALSE):
                field = forms.ChoiceField(choices=choices, required=False)
            else:
                field = forms.CharField(max_length=200, required=False, strip=True)
            self.fields[field_name(question.id)] = field

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = field_name(question.id)
            value = cleaned.get(name)
            if question.kind == QuizQuestion.Kind.NUMERIC and value and parse_number(value) is None:
                self.add_error(name, "Enter a number, for example 3.5.")
        return cleaned

    def answers(self) -> dict[str, object]:
        """{"<question id>": [option ids] | "text"} for the grader; blanks are left out."""
        answers: dict[str, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question.id))
            if not value:
                continue
            if question.kind == QuizQuestion.Kind.MULTIPLE:
                answers[str(question.id)] = sorted(int(x) for x in value)
            elif question.kind in (QuizQuestion.Kind.SINGLE, QuizQuestion.Kind.TRUE_FALSE):
                answers[str(question.id)] = [int(value)]
            else:
                answers[str(question.id)] = value
        return answers

    def rows(self) -> list[dict]:
        """Each question with its bound field and the option ids chosen so far (strings), for
        a template that writes the inputs itself (fieldset, legend, one label per option)."""
        rows = []
        for question in self.questions:
            bound = self[field_name(question.id)]
            value = bound.value()
            if isinstance(value, list | tuple):
                selected = {str(x) for x in value}
            else:
                selected = {str(value)} if value else set()
            rows.append({"question": question, "field": bound, "selected": selected})
        return rows
