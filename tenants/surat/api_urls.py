"""REST API of layanan surat (mounted at /api/surat/ on a village host). Names are stable."""

from django.urls import path

from tenants.surat import api

urlpatterns = [
    path("templat/", api.TemplatListApi.as_view(), name="surat-templat-list"),
    path("templat/<int:pk>/", api.TemplatDetailApi.as_view(), name="surat-templat-detail"),
    path("penanda/", api.PenandaApi.as_view(), name="surat-penanda"),
    path("permohonan/", api.PermohonanListApi.as_view(), name="surat-permohonan-list"),
    path("permohonan/jumlah/", api.JumlahStatusApi.as_view(), name="surat-permohonan-jumlah"),
    path("permohonan/<int:pk>/", api.PermohonanDetailApi.as_view(), name="surat-permohonan-detail"),
    path("permohonan/<int:pk>/status/", api.StatusApi.as_view(), name="surat-permohonan-status"),
    path("permohonan/<int:pk>/lampiran/", api.LampiranApi.as_view(), name="surat-permohonan-lampiran"),
    path("permohonan/<int:pk>/pdf/", api.PdfApi.as_view(), name="surat-permohonan-pdf"),
    path("agenda/", api.AgendaApi.as_view(), name="surat-agenda"),
]
