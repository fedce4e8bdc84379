from django.urls import path

from courses.views import catalog, files, study

app_name = "courses"

urlpatterns = [
    path("", catalog.catalog, name="catalog"),
    path("category/<slug:slug>/", catalog.category, name="category"),
    path("my-learning/", study.my_learning, name="my_learning"),
    path("<slug:slug>/", study.course_detail, name="detail"),
    path("<slug:slug>/enroll/", study.enroll, name="enroll"),
    path("<slug:slug>/learn/", study.resume, name="resume"),
    path("<slug:slug>/lessons/<slug:lesson_slug>/", study.lesson, name="lesson"),
    path("<slug:slug>/lessons/<slug:lesson_slug>/file/", files.lesson_file, name="lesson_file"),
    path(
        "<slug:slug>/lessons/<slug:lesson_slug>/complete/",
        study.complete_lesson,
        name="complete_lesson",
    ),
]
