"""Operator pages for importing and exporting the register (namespace "impor", /operator/impor/)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_core.accounts.models import User
from platform_core.web.access import VillageOperatorView
from tenants.penduduk.impor.export import export_xlsx, report_csv, report_xlsx, template_xlsx
from tenants.penduduk.impor.readers import MAX_FILE_BYTES
from tenants.penduduk.impor.selectors import (
    import_job_finished,
    import_job_get,
    import_job_list,
    import_job_progress,
)
from tenants.penduduk.impor.services import ANTREAN_TIDAK_TERSEDIA, import_job_create, import_job_enqueue
from tenants.penduduk.models import ImportJob
from tenants.penduduk.services import akses_log_catat_massal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_SHOWN = 500  # issues listed on the page; the download has all


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data
    return response


def _job_context(job: ImportJob) -> dict[str, Any]:
    return {
        "job": job,
        "selesai": import_job_finished(job),
        "persen": import_job_progress(job),
        "galat": job.galat[:REPORT_SHOWN],
        "peringatan": job.peringatan[:REPORT_SHOWN],
        "galat_lainnya": max(0, len(job.galat) - REPORT_SHOWN),
        "peringatan_lainnya": max(0, len(job.peringatan) - REPORT_SHOWN),
    }


class ImporIndexView(VillageOperatorView):
    """Upload form and the village's import jobs. POST stores the file and queues the job."""

    template_name = "penduduk/impor/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["jobs"] = import_job_list()[:20]
        ctx["batas_mb"] = MAX_FILE_BYTES // 1024 // 1024
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        upload = request.FILES.get("file")
        if upload is None:
            return self._form_error(_("Pilih file Excel (.xlsx/.xlsm) atau CSV yang akan diimpor."))
        user = request.user
        try:
            job = import_job_create(upload=upload, petugas=user if isinstance(user, User) else None)
        except ValidationError as exc:
            return self._form_error(" ".join(m for ms in exc.message_dict.values() for m in ms))
        messages.info(request, _("File diterima dan sedang diproses."))
        return redirect("impor:job", pk=job.pk)

    def _form_error(self, message: str) -> HttpResponse:
        ctx = self.get_context_data(form_error=message)
        return self.render_to_response(ctx, status=400)


class ImporJobView(VillageOperatorView):
    template_name = "penduduk/impor/job.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        job = import_job_get(pk=kwargs["pk"])
        if job is None:
            raise Http404(_("Impor tidak ditemukan."))
        if job.status == ImportJob.Status.MENUNGGU and job.pesan == ANTREAN_TIDAK_TERSEDIA:
            # The queue was down when the file came in; the page (polled every second) retries it.
            import_job_enqueue(job=job)
        ctx.update(_job_context(job))
        return ctx


class ImporJobStatusView(ImporJobView):
    """The htmx fragment: progress while running (polls itself every second), the report when done."""

    template_name = "penduduk/impor/_status.html"


class ImporLaporanView(VillageOperatorView):
    """The job's report (errors first, then warnings) as .xlsx, or CSV with ?format=csv."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = import_job_get(pk=kwargs["pk"])
        if job is None:
            raise Http404(_("Impor tidak ditemukan."))
        if request.GET.get("format") == "csv":
            return _download(report_csv(job), filename=f"laporan-impor-{job.pk}.csv", content_type="text/csv")
        out = io.BytesIO()
        report_xlsx(job, out=out)
        return _download(out.getvalue(), filename=f"laporan-impor-{job.pk}.xlsx", content_type=XLSX)


class ImporTemplateView(VillageOperatorView):
    """Our import template (.xlsx): OpenSID's columns with notes, and the code lists."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        out = io.BytesIO()
        template_xlsx(out=out)
        return _download(out.getvalue(), filename="template-impor-penduduk.xlsx", content_type=XLSX)


class ImporExportView(VillageOperatorView):
    """The whole register as .xlsx in the import layout."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        out = io.BytesIO()
        export_xlsx(out=out)
        # Every full record leaves the system in this file: the access log says who took it (UU PDP).
        user = request.user
        akses_log_catat_massal(
            petugas=user if isinstance(user, User) else None, jalur="web", alasan="ekspor data penduduk (.xlsx)"
        )
        stamp = f"{timezone.localdate():%Y%m%d}"
        return _download(out.getvalue(), filename=f"penduduk-{self.village.slug}-{stamp}.xlsx", content_type=XLSX)
