"""Reads for the Q&A pages, each in a fixed number of queries, and who may take part."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from courses.models import Course, Lesson
from learning.models import Answer, AnswerVote, Question, QuestionVote
from learning.models.questions import SEARCH_CONFIG, question_search_vector
from learning.notes.selectors import may_study

LESSON_QUESTIONS_SHOWN = 20


class Filter:
    ALL = ""
    UNANSWERED = "unanswered"
    MINE = "mine"
    CHOICES = [(ALL, "All questions"), (UNANSWERED, "Unanswered"), (MINE, "My questions")]


def may_take_part(*, user: User, course: Course) -> bool:
    """Read, ask, answer, vote: staff always; others with access (the lesson page's rule) to a
    published course. A refunded learner's enrolment is revoked, so they lose it too."""
    return may_study(user=user, course=course)


def qa_course(*, slug: str, user: User) -> Course:
    """The course whose Q&A the user may open; Http404 for anyone else (as if it were not there)."""
    course = Course.objects.filter(slug=slug).first()
    if course is None or not may_take_part(user=user, course=course):
        raise Http404("No such course.")
    return course


def visible_questions(*, user: User) -> QuerySet[Question]:
    questions = Question.objects.select_related("author", "lesson")
    return questions if user.is_staff else questions.filter(is_hidden=False)


def lesson_questions(*, lesson: Lesson, user: User) -> list[Question]:
    """The newest questions under a lesson, for its page (one query)."""
    return list(visible_questions(user=user).filter(lesson=lesson)[:LESSON_QUESTIONS_SHOWN])


def question_list(
    *, course: Course, user: User, search: str = "", filter: str = Filter.ALL
) -> QuerySet[Question]:
    """The course's questions for the "All questions" page: best match first when searching,
    otherwise newest first. A paginator makes it two queries (count and page)."""
    questions = visible_questions(user=user).filter(course=course)
    if filter == Filter.UNANSWERED:
        questions = questions.filter(answer_count=0)
    elif filter == Filter.MINE:
        questions = questions.filter(author=user)
    search = search.strip()
    if search:
        query = SearchQuery(search, config=SEARCH_CONFIG, search_type="websearch")
        vector = question_search_vector()
        questions = (
            questions.alias(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-created_at", "-id")
        )
    return questions


@dataclass
class QuestionPage:
    question: Question
    answers: list[Answer]
    voted_question: bool
    voted_answer_ids: set[int] = field(default_factory=set)


def question_page(*, course: Course, pk: int, user: User) -> QuestionPage:
    """One question with its answers and the viewer's votes (four queries)."""
    question = visible_questions(user=user).filter(course=course, pk=pk).first()
    if question is None:
        raise Http404("No such question.")
    answers = Answer.objects.filter(question=question).select_related("author")
    if not user.is_staff:
        answers = answers.filter(is_hidden=False)
    answers = list(answers)
    voted_question = QuestionVote.objects.filter(user=user, question=question).exists()
    voted = set(
        AnswerVote.objects.filter(user=user, answer__question=question).values_list(
            "answer_id", flat=True
        )
    )
    return QuestionPage(
        question=question, answers=answers, voted_question=voted_question, voted_answer_ids=voted
    )


def lesson_sections(*, lesson: Lesson, user: User, can_study: bool) -> dict:
    """What the lesson page shows below the lesson for someone who may study it: its
    questions, the viewer's own notes and bookmark, and empty forms (three queries)."""
    # Imported here: the forms import this module's Filter.
    from learning.notes.forms import NoteForm
    from learning.notes.selectors import is_bookmarked, lesson_notes
    from learning.questions.forms import QuestionForm

    if not can_study or not user.is_authenticated:
        return {}
    return {
        "lesson_questions": lesson_questions(lesson=lesson, user=user),
        "question_form": QuestionForm(),
        "lesson_notes": lesson_notes(user=user, lesson=lesson),
        "note_form": NoteForm(),
        "bookmarked": is_bookmarked(user=user, lesson=lesson),
    }
