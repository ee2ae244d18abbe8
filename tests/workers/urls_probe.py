"""A test-only village URLconf: the real one plus a view that enqueues the demo task.

tests/workers/test_tenant_tasks.py points ROOT_URLCONF here for one test, so a real
request on a village host (routing middleware, search_path and all) sends the task.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from tenants.penduduk.tasks import demo_count_penduduk


def enqueue_demo(request: HttpRequest) -> JsonResponse:
    result = demo_count_penduduk.delay()
    return JsonResponse({"task_id": result.id})


urlpatterns = [
    path("uji/antre-demo/", enqueue_demo),
    path("", include("platform_core.urls_village")),
]
