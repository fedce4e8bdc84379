"""Study pages, mounted under courses/ with the same paths as before the split (bookmarks)."""

from django.urls import path

from learning.announcements import views as announcements
from learning.certificates import views as certificates
from learning.exercises import views as exercises
from learning.notes import views as notes
from learning.questions import views as qa
from learning.quizzes import views as quizzes
from learning.views import files, study, video

app_name = "learning"

urlpatterns = [
    path("my-learning/", study.my_learning, name="my_learning"),
    path("<slug:slug>/enroll/", study.enroll, name="enroll"),
    path("<slug:slug>/learn/", study.resume, name="resume"),
    path(
        "<slug:slug>/announcements/",
        announcements.course_announcements,
        name="announcements",
    ),
    path("<slug:slug>/lessons/<slug:lesson_slug>/", study.lesson, name="lesson"),
    path("<slug:slug>/lessons/<slug:lesson_slug>/file/", files.lesson_file, name="lesson_file"),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/position/",
        video.video_position,
        name="video_position",
    ),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/complete/",
        study.complete_lesson,
        name="complete_lesson",
    ),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/quiz/start/",
        quizzes.start_quiz,
        name="quiz_start",
    ),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/quiz/<int:attempt_id>/",
        quizzes.quiz_attempt,
        name="quiz_attempt",
    ),
    # Questions and answers
    path("qa-emails/<str:token>/", qa.unsubscribe, name="qa_unsubscribe"),
    path("<slug:slug>/questions/", qa.question_list, name="questions"),
    path("<slug:slug>/questions/<int:pk>/", qa.question_detail, name="question"),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/questions/ask/",
        qa.ask_question,
        name="ask_question",
    ),
    path("<slug:slug>/questions/<int:pk>/answer/", qa.answer_question, name="answer_question"),
    path("<slug:slug>/questions/<int:pk>/edit/", qa.edit_question, name="edit_question"),
    path("<slug:slug>/answers/<int:pk>/edit/", qa.edit_answer, name="edit_answer"),
    path(
        "<slug:slug>/questions/<int:pk>/delete/",
        qa.delete_post,
        {"kind": "question"},
        name="delete_question",
    ),
    path(
        "<slug:slug>/answers/<int:pk>/delete/",
        qa.delete_post,
        {"kind": "answer"},
        name="delete_answer",
    ),
    path("<slug:slug>/answers/<int:pk>/accept/", qa.accept_answer, name="accept_answer"),
    path(
        "<slug:slug>/questions/<int:pk>/upvote/",
        qa.upvote,
        {"kind": "question"},
        name="upvote_question",
    ),
    path(
        "<slug:slug>/answers/<int:pk>/upvote/",
        qa.upvote,
        {"kind": "answer"},
        name="upvote_answer",
    ),
    path(
        "<slug:slug>/questions/<int:pk>/hide/",
        qa.moderate,
        {"kind": "question", "action": "hide"},
        name="hide_question",
    ),
    path(
        "<slug:slug>/questions/<int:pk>/restore/",
        qa.moderate,
        {"kind": "question", "action": "restore"},
        name="restore_question",
    ),
    path(
        "<slug:slug>/answers/<int:pk>/hide/",
        qa.moderate,
        {"kind": "answer", "action": "hide"},
        name="hide_answer",
    ),
    path(
        "<slug:slug>/answers/<int:pk>/restore/",
        qa.moderate,
        {"kind": "answer", "action": "restore"},
        name="restore_answer",
    ),
    # Notes and bookmarks
    path("<slug:slug>/notes/", notes.my_notes, name="my_notes"),
    path("<slug:slug>/notes/export/", notes.export_notes, name="export_notes"),
    path("<slug:slug>/lessons/<slug:lesson_slug>/notes/", notes.add_note, name="add_note"),
    path("<slug:slug>/notes/<int:pk>/edit/", notes.edit_note, name="edit_note"),
    path("<slug:slug>/notes/<int:pk>/delete/", notes.delete_note, name="delete_note"),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/bookmark/",
        notes.toggle_bookmark,
        name="toggle_bookmark",
    ),
    path("<slug:slug>/lessons/<slug:lesson_slug>/run/", exercises.run, name="run_exercise"),
    path("<slug:slug>/certificate/", certificates.mine, name="certificate"),
]
