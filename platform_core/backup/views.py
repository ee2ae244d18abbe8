"""The village operator downloads the village's own data (zip of CSVs + manifest); every download is logged."""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.backup import arsip
from platform_core.web.access import VillageOperatorView


class ArsipDataView(VillageOperatorView):
    template_name = "backup/arsip_data.html"
    http_method_names = ["get", "post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        user = request.user
        assert isinstance(user, User)
        # Spooled to a temporary file (deleted when the response closes it), streamed in blocks.
        fh = tempfile.TemporaryFile(prefix="balai-arsip-")  # noqa: SIM115  # closed by FileResponse
        arsip.write(self.village, fh, oleh=f"{user.get_username()} (operator desa, web)")
        fh.seek(0)
        name = f"arsip-data-{self.village.kode}-{timezone.localtime():%Y%m%d-%H%M}.zip"
        response = FileResponse(fh, as_attachment=True, filename=name, content_type="application/zip")
        response["Cache-Control"] = "no-store"
        return response
