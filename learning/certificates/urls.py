"""Public certificate URLs, mounted at /certificates/ (config/urls.py)."""

from django.urls import path

from learning.certificates import views

app_name = "certificates"

urlpatterns = [
    # Before "<code>/": a code is never "issuer" (codes are 22 characters).
    path("issuer/did.json", views.issuer, name="issuer"),
    path("<str:code>/", views.verify, name="verify"),
    path("<str:code>/print/", views.printable, name="print"),
    path("<str:code>/certificate.pdf", views.pdf, name="pdf"),
    path("<str:code>/credential.json", views.credential, name="credential"),
]
