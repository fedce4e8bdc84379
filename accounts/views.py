"""Profile page; the login page's status and resending verification.

The delete-account page is pages.views.delete_account: it spans every app.
"""

from allauth.account.views import LoginView as AllauthLoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import ProfileForm, ResendVerificationForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "display_name": user.display_name,
            "bio": user.bio,
            "section_emails": user.section_emails,
        },
        has_avatar=bool(user.avatar),
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user=user,
            display_name=form.cleaned_data["display_name"],
            bio=form.cleaned_data["bio"],
            avatar=form.cleaned_data["avatar"],
            remove_avatar=form.cleaned_data.get("remove_avatar", False),
            section_emails=form.cleaned_data["section_emails"],
        )
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


class LoginView(AllauthLoginView):
    """allauth's login page; refused for too many failed attempts, it answers 429.

    allauth shows that refusal as a form error with status 200; 429 lets monitoring, load
    balancers and scripts see the rate limit, and the page still explains it.
    """

    def form_invalid(self, form: Form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", code="too_many_login_attempts"):
            response.status_code = 429
        return response


@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again; the same answer whatever the address is."""
    form = ResendVerificationForm(request.POST)
    if not form.is_valid():
        return render(request, "account/verification_sent.html", {"resend_form": form}, status=400)
    services.resend_verification_email(request=request, email=form.cleaned_data["email"])
    messages.info(
        request,
        "If that address is waiting to be confirmed, a new link is on its way. "
        "Allow a few minutes, and check your spam folder.",
    )
    return redirect("account_email_verification_sent")
