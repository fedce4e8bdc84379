"""Certificate pages: the learner's own (name before issue), the public verification page,
the printable page and PDF, the signed Open Badges credential and the issuer's key."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_safe

from learning import credentials
from learning.certificates import selectors, services
from learning.certificates.forms import CertificateNameForm


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    state = selectors.my_certificate(slug=slug, user=request.user)
    certificate = state.certificate
    if certificate is not None and certificate.is_issued:
        return redirect(certificate)
    current = (certificate.learner_name if certificate else "") or services.default_name(
        request.user
    )
    form = CertificateNameForm(request.POST or None, initial={"learner_name": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_certificate_name(
                enrollment=state.enrollment, name=form.cleaned_data["learner_name"]
            )
        except ValidationError as error:
            form.add_error("learner_name", error)
        else:
            messages.success(request, "Saved: your certificate will carry this name.")
            return redirect("learning:certificate", slug)
    status = 400 if form.errors else 200
    return render(
        request, "learning/certificate_mine.html", {"state": state, "form": form}, status=status
    )


def _context(request: HttpRequest, code: str) -> dict:
    certificate = selectors.public_certificate(code=code)
    url = services.verification_url(certificate)
    return {
        "certificate": certificate,
        "verification_url": url,
        "qr_svg": selectors.qr_svg(url),
        "linkedin_url": services.linkedin_url(certificate),
        "is_owner": request.user.is_authenticated
        and request.user.pk == certificate.enrollment.user_id,
    }


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "learning/certificate_verify.html", _context(request, code))


@require_safe
def printable(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "learning/certificate_print.html", _context(request, code))


@require_safe
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    import weasyprint  # imported on use: it loads Pango and fonts, which other pages never need

    context = _context(request, code)
    html = render_to_string("learning/certificate_print.html", {**context, "for_pdf": True})
    # Nothing external is loaded: the styles and the QR code are inline, the fonts Debian's.
    document = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    name = f"certificate-{context['certificate'].code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def credential(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.public_certificate(code=code)
    if not isinstance(certificate.credential, dict):
        raise Http404("This certificate has no signed credential.")
    response = JsonResponse(certificate.credential, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="credential-{code}.json"'
    return response


@require_safe
def issuer(request: HttpRequest) -> HttpResponse:
    """The issuer's DID document: the public key that verifies every credential we sign."""
    public_key = credentials.signing_key().public_key()
    did = credentials.did_key(public_key)
    method = credentials.verification_method(public_key)
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": credentials.public_key_multibase(public_key),
            }
        ],
        "assertionMethod": [method],
    }
    return JsonResponse(document, json_dumps_params={"indent": 2})
