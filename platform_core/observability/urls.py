"""/sehat/ and /siap/ in both URLconfs (apex and village hosts). ObservabilityMiddleware answers
them first on any host; these entries give them names and keep them reachable without it."""

from django.urls import path

from platform_core.observability import health

urlpatterns = [
    path("sehat/", health.sehat, name="sehat"),
    path("siap/", health.siap, name="siap"),
]
