from django.urls import path

from accounts import views

app_name = "accounts"

# accounts:delete is added by pages/urls.py: deleting an account spans every app.

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("verification/resend/", views.resend_verification, name="resend_verification"),
]
