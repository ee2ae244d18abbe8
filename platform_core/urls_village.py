"""URLs of a village subdomain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from platform_core.backup import views as backup_views
from platform_core.web import views, village_views

urlpatterns = [
    path("", village_views.VillageHomeView.as_view(), name="village-home"),
    path("masuk/", views.MasukView.as_view(), name="masuk"),
    path("keluar/", views.KeluarView.as_view(), name="keluar"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("operator/", village_views.OperatorHomeView.as_view(), name="operator-home"),
    path("operator/penduduk/", include("tenants.penduduk.urls")),
    path("operator/statistik/", include("tenants.penduduk.urls_statistik")),
    path("operator/impor/", include("tenants.penduduk.urls_impor")),
    path("api/penduduk/statistik/", include("tenants.penduduk.api_statistik_urls")),
    path("api/penduduk/impor/", include("tenants.penduduk.api_impor_urls")),
    path("api/penduduk/", include("tenants.penduduk.api_urls")),
    path("operator/surat/", include("tenants.surat.urls")),
    path("api/surat/", include("tenants.surat.api_urls")),
    path("surat/", include("tenants.surat.urls_publik")),
    path("layanan/", include("tenants.mandiri.urls")),
    path("api/layanan/", include("tenants.mandiri.api_urls")),
    path("operator/layanan-mandiri/", include("tenants.mandiri.urls_operator")),
    path("operator/keuangan/", include("tenants.keuangan.urls")),
    path("api/keuangan/", include("tenants.keuangan.api_urls")),
    path("operator/pembangunan/", include("tenants.pembangunan.urls")),
    path("api/pembangunan/", include("tenants.pembangunan.api_urls")),
    path("transparansi/", include("tenants.pembangunan.urls_publik")),
    path("layar/", include("tenants.pembangunan.urls_layar")),
    path("operator/arsip-data/", backup_views.ArsipDataView.as_view(), name="arsip-data"),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="platform_core.urls_village"), name="schema"),
    # Split view: the UI script is a separate file, so the CSP needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # /sehat/, /siap/ (answered by ObservabilityMiddleware on any host; named here for reverse()).
    path("", include("platform_core.observability.urls")),
]
