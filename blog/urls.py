from django.urls import path

from blog import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("feed/rss/", feeds.LatestPostsRss(), name="feed_rss"),
    path("feed/atom/", feeds.LatestPostsAtom(), name="feed_atom"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment_remove"),
    path("comments/<int:pk>/restore/", views.comment_restore, name="comment_restore"),
    path("comments/<int:pk>/like/", views.comment_like, name="comment_like"),
    path("<slug:slug>/", views.post_detail, name="post"),
    path("<slug:slug>/comments/", views.comment_create, name="comment_create"),
    path("<slug:slug>/like/", views.post_like, name="post_like"),
]
