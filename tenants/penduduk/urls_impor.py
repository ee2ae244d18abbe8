"""Import/export pages of the register, under /operator/impor/ (namespace "impor")."""

from django.urls import path

from tenants.penduduk import views_impor as views

app_name = "impor"
urlpatterns = [
    path("", views.ImporIndexView.as_view(), name="index"),
    path("template/", views.ImporTemplateView.as_view(), name="template"),
    path("export/", views.ImporExportView.as_view(), name="export"),
    path("<int:pk>/", views.ImporJobView.as_view(), name="job"),
    path("<int:pk>/status/", views.ImporJobStatusView.as_view(), name="job-status"),
    path("<int:pk>/laporan/", views.ImporLaporanView.as_view(), name="laporan"),
]
