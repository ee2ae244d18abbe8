"""Province API: every console role sees exactly the villages of its region."""

from __future__ import annotations

import pytest
from django.test import Client

from platform_core.accounts.models import User
from platform_core.tenancy.models import Village
from platform_core.tenancy.provisioning import provision, village_specs
from tests.conftest import Villages, host_of


@pytest.fixture
def more_villages(villages: Villages, db: None) -> list[str]:
    """A few more villages in A's kecamatan and in B's kabupaten (rolled back with the test)."""
    specs = village_specs(["18.01.17"])[:3] + village_specs(["18.71.01"])[:3]
    provision(specs)
    return sorted(Village.objects.values_list("kode", flat=True))


def codes_seen(username: str) -> list[str]:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    response = client.get("/api/provinsi/desa/", {"ukuran": 500})
    assert response.status_code == 200, response.content
    return [row["kode"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("username", "prefix"),
    [("pmd", "18."), ("opd_lamsel", "18.01."), ("camat_candipuro", "18.01.17.")],
)
def test_console_roles_see_only_their_region(more_villages: list[str], username: str, prefix: str) -> None:
    seen = codes_seen(username)
    expected = [kode for kode in more_villages if kode.startswith(prefix)]
    assert seen == expected
    assert expected  # the region is not empty, so the filter is real


def test_kabupaten_user_does_not_see_another_kabupaten(more_villages: list[str], villages: Villages) -> None:
    seen = codes_seen("opd_lamsel")
    assert villages.a.kode in seen
    assert villages.b.kode not in seen
    assert not [kode for kode in seen if kode.startswith("18.71.")]


def test_province_api_refuses_others(villages: Villages, db: None) -> None:
    anonymous = Client(HTTP_HOST="localhost").get("/api/provinsi/desa/")
    assert anonymous.status_code in {401, 403}
    operator = Client(HTTP_HOST="localhost")
    operator.force_login(User.objects.get(username="operator_a"))
    assert operator.get("/api/provinsi/desa/").status_code == 404
    # The province API does not exist on a village host, whoever asks.
    staff = Client(HTTP_HOST=host_of(villages.a))
    staff.force_login(User.objects.get(username="pmd"))
    assert staff.get("/api/provinsi/desa/").status_code == 404
