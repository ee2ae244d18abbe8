"""URLs of the apex domain: the province's public page, consoles, admin, province API."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from platform_core.web import views

urlpatterns = [
    path("", views.ProvinceHomeView.as_view(), name="province-home"),
    path("masuk/", views.MasukView.as_view(), name="masuk"),
    path("keluar/", views.KeluarView.as_view(), name="keluar"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konsol/", include("provinsi.urls")),
    path("api/provinsi/", include("provinsi.api_urls")),
    path("data/", include("provinsi.urls_data")),  # open data, no sign-in
    path("api/schema/", SpectacularAPIView.as_view(urlconf="platform_core.urls_public"), name="schema"),
    # Split view: the UI script is a separate file, so the CSP needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # /sehat/, /siap/ (answered by ObservabilityMiddleware on any host; named here for reverse()).
    path("", include("platform_core.observability.urls")),
]
