"""Buying a course, the return from checkout, my orders, the webhook, the local test checkout."""

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from courses.models import Course
from purchases import documents, selectors
from purchases.forms import TestCardForm
from purchases.gateways import GatewayError, InvalidEvent, get_gateway
from purchases.local_gateway import LocalGateway
from purchases.models import CreditNote, Invoice, Order
from purchases.services.checkout import (
    AlreadyEnrolled,
    cancel_pending_order,
    fulfil_on_return,
    start_checkout,
)
from purchases.services.webhooks import receive_event

logger = logging.getLogger(__name__)

# Provider ids and order numbers are short ASCII tokens; anything else (a NUL byte that
# PostgreSQL refuses, a megabyte of junk) cannot name an order, so it is a 404 at once.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,255}")


def _token_or_404(value: str) -> str:
    if not TOKEN.fullmatch(value):
        raise Http404
    return value


def see_other(url: str) -> HttpResponseRedirect:
    """303 See Other: the answer to a POST that continues elsewhere with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@login_required
def checkout(request, slug):
    course = get_object_or_404(Course, slug=slug, status=Course.Status.PUBLISHED)
    if request.method != "POST":
        # e.g. coming back from the login page: buying needs a deliberate click.
        return redirect(course)
    return _go_to_checkout(request, course)


def _go_to_checkout(request, course: Course) -> HttpResponseRedirect:
    """Start (or reuse) the learner's checkout for the course and send them to it."""
    success_url = request.build_absolute_uri(reverse("purchases:success"))
    try:
        order = start_checkout(
            user=request.user,
            course=course,
            success_url=f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=request.build_absolute_uri(reverse("purchases:cancel", args=[course.slug])),
        )
    except AlreadyEnrolled:
        messages.info(
            request,
            format_html(
                'You already have this course. <a href="{}">Start learning</a>.',
                reverse("learning:resume", args=[course.slug]),
            ),
        )
        return redirect(course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(course)
    return see_other(order.checkout_url)


def _own_order(request, number: str) -> Order:
    order = selectors.order_for(user=request.user, number=_token_or_404(number))
    if order is None:
        raise Http404
    return order


@login_required
@require_POST
def resume_order(request, number):
    """Back to the still-open checkout of a pending order, or a new one if it ended."""
    order = _own_order(request, number)
    if order.status != Order.Status.PENDING:
        messages.info(request, "This order is no longer waiting for payment.")
        return see_other(order.get_absolute_url())
    return _go_to_checkout(request, order.course)


@login_required
@require_POST
def cancel_order(request, number):
    order = _own_order(request, number)
    try:
        cancel_pending_order(order=order, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Order {order.number} is cancelled. You have not been charged.")
    return see_other(reverse("purchases:orders"))


@login_required
def success(request):
    session_id = _token_or_404(request.GET.get("session_id", ""))
    order = selectors.order_for_session(user=request.user, session_id=session_id)
    if order is None:
        raise Http404
    order = fulfil_on_return(order=order)
    if request.htmx and order.status == Order.Status.PENDING:
        # Nothing new for the polling status panel: no swap, so screen readers hear nothing.
        return HttpResponse(status=204)
    return render(request, "purchases/success.html", {"order": order})


def cancel(request, slug):
    course = get_object_or_404(Course, slug=slug)
    messages.info(request, "Checkout cancelled: you have not been charged.")
    return redirect(course)


@login_required
def orders(request):
    return render(
        request, "purchases/orders.html", {"orders": selectors.orders_for(user=request.user)}
    )


@login_required
def order_detail(request, number):
    order = _own_order(request, number)
    return render(
        request,
        "purchases/order_detail.html",
        {"order": order, "credit_notes": selectors.credit_notes_of(order=order)},
    )


def _invoice_or_404(request, number: str) -> Invoice:
    """The buyer's and staff's only: anyone else gets the 404 of an order that is not there."""
    invoice = selectors.invoice_for(user=request.user, order_number=_token_or_404(number))
    if invoice is None:
        raise Http404
    return invoice


def _credit_note_or_404(request, number: str, note: str) -> CreditNote:
    credit_note = selectors.credit_note_for(
        user=request.user, order_number=_token_or_404(number), number=_token_or_404(note)
    )
    if credit_note is None:
        raise Http404
    return credit_note


@login_required
def invoice(request, number):
    return documents.render_page(request, _invoice_or_404(request, number))


@login_required
def invoice_pdf(request, number):
    return documents.render_pdf(request, _invoice_or_404(request, number))


@login_required
def credit_note(request, number, note):
    return documents.render_page(request, _credit_note_or_404(request, number, note))


@login_required
def credit_note_pdf(request, number, note):
    return documents.render_pdf(request, _credit_note_or_404(request, number, note))


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, store once, enqueue, answer at once. Only a bad signature gets a 400."""
    try:
        event = get_gateway().parse_event(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except InvalidEvent:
        return HttpResponseBadRequest("Invalid signature.")
    _, created = receive_event(event=event)
    return HttpResponse("ok" if created else "duplicate")


def _local_gateway() -> LocalGateway:
    try:
        gateway = get_gateway()
    except ImproperlyConfigured as exc:
        raise Http404 from exc
    if not isinstance(gateway, LocalGateway):
        raise Http404
    return gateway


@login_required
def local_pay(request, session_id):
    """A page that looks like a checkout, for development without Stripe keys."""
    gateway = _local_gateway()
    order = get_object_or_404(
        Order.objects.select_related("course"),
        checkout_session_id=_token_or_404(session_id),
        user=request.user,
    )
    try:
        session = gateway.retrieve_session(session_id)
    except GatewayError as exc:
        raise Http404 from exc
    if session.is_paid:
        return redirect(gateway.success_url(session_id) or reverse("purchases:orders"))
    if session.status != "open":
        messages.info(request, "This checkout has ended: you have not been charged.")
        return redirect(order.course)
    form = TestCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_declined_card:
            form.add_error(
                "card_number",
                "Your card was declined. You have not been charged; try another card.",
            )
        else:
            gateway.pay(session_id, customer_details=form.customer_details(email=order.email))
            return see_other(gateway.success_url(session_id) or order.get_absolute_url())
    return render(
        request,
        "purchases/local_pay.html",
        {
            "order": order,
            "session": session,
            "form": form,
            "cancel_url": reverse("purchases:cancel", args=[order.course.slug]),
        },
    )
