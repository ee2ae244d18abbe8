"""The public letter verification page (QR code target): no sign-in, no personal data.

It shows the letter's type, number, date, issuing village and the subject's masked name, and says plainly
when the token matches no letter or the letter was revoked. Never NIK, No. KK or the full name.
"""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from tenants.surat import selectors


class VerifikasiView(TemplateView):
    template_name = "surat/verifikasi.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["surat"] = selectors.verifikasi(str(self.kwargs["token"]))
        return ctx

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> Any:
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
