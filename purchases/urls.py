from django.urls import path

from purchases import views

app_name = "purchases"

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/invoice/", views.invoice, name="invoice"),
    path("orders/<str:number>/invoice.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("orders/<str:number>/credit-notes/<str:note>/", views.credit_note, name="credit_note"),
    path(
        "orders/<str:number>/credit-notes/<str:note>.pdf",
        views.credit_note_pdf,
        name="credit_note_pdf",
    ),
    path("orders/<str:number>/resume/", views.resume_order, name="resume_order"),
    path("orders/<str:number>/cancel/", views.cancel_order, name="cancel_order"),
    path("courses/<slug:slug>/checkout/", views.checkout, name="checkout"),
    path("courses/<slug:slug>/checkout/cancelled/", views.cancel, name="cancel"),
    path("checkout/success/", views.success, name="success"),
    path("checkout/local/<str:session_id>/", views.local_pay, name="local_pay"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
