"""Study pages, mounted under courses/ with the same paths as before the split (bookmarks)."""

from django.urls import path

from learning.announcements import views as announcements
from learning.views import files, study

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
        "<slug:slug>/lessons/<slug:lesson_slug>/complete/",
        study.complete_lesson,
        name="complete_lesson",
    ),
]
