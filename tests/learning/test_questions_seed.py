"""Demo Q&A and notes for seed_demo: counts kept right, and a second run adds nothing."""

import pytest

from learning.models import Answer, Bookmark, Note, Question
from learning.questions.demo import seed_questions_and_notes
from tests.learning.qa_helpers import qa_course

pytestmark = pytest.mark.django_db


def test_seeding_twice_adds_questions_notes_and_a_bookmark_once(learner, staff):
    course, _ = qa_course(learner)
    assert seed_questions_and_notes(course=course, learner=learner, staff=staff) == 2
    assert seed_questions_and_notes(course=course, learner=learner, staff=staff) == 0
    assert Question.objects.count() == 2
    answered = Question.objects.get(answer_count=1)
    assert answered.accepted_answer == Answer.objects.get(by_staff=True)
    assert Note.objects.filter(user=learner).count() == 2
    assert Bookmark.objects.filter(user=learner).count() == 1
