"""Study pages, mounted under courses/ with the same paths as before the split (bookmarks)."""

from django.urls import path

from learning.certificates import views as certificates
from learning.exercises import views as exercises
from learning.views import files, study

app_name = "learning"

urlpatterns = [
    path("my-learning/", study.my_learning, name="my_learning"),
    path("<slug:slug>/enroll/", study.enroll, name="enroll"),
    path("<slug:slug>/learn/", study.resume, name="resume"),
    path("<slug:slug>/lessons/<slug:lesson_slug>/", study.lesson, name="lesson"),
    path("<slug:slug>/lessons/<slug:lesson_slug>/file/", files.lesson_file, name="lesson_file"),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/complete/",
        study.complete_lesson,
        name="complete_lesson",
    ),
    path("<slug:slug>/lessons/<slug:lesson_slug>/run/", exercises.run, name="run_exercise"),
    path("<slug:slug>/certificate/", certificates.mine, name="certificate"),
]
