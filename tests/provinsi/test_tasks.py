"""Weekly digest: each kecamatan/kabupaten user with an email gets their quiet villages."""

from __future__ import annotations

from django.core import mail

from platform_core.accounts.models import User
from provinsi.tasks import notify_weekly_digest
from tests.conftest import Villages
from tests.provinsi.fakta import aktif, desa_buat, fakta


def test_digest_lists_the_quiet_villages_of_each_region(villages: Villages, db: None) -> None:
    User.objects.filter(username="camat_candipuro").update(email="camat@example.id")
    User.objects.filter(username="opd_lamsel").update(email="opd@example.id")
    User.objects.filter(username="pmd").update(email="pmd@example.id")  # province: no digest
    sepi, ramai = desa_buat("18.01.17", 2, nama="Desa Digest")
    aktif(sepi, hari_lalu=9)
    aktif(ramai, hari_lalu=1)
    aktif(villages.b, hari_lalu=30)
    assert notify_weekly_digest() == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"camat@example.id", "opd@example.id"}
    camat = by_to["camat@example.id"].body
    assert sepi.nama in camat and ramai.nama not in camat
    assert villages.b.nama not in camat  # another kabupaten
    assert "belum ada data" in camat  # reports: no data yet
    assert notify_weekly_digest.name == "provinsi.tasks.notify_weekly_digest"


def test_digest_is_routed_to_the_notifications_queue() -> None:
    from workers.celery import app

    route = app.amqp.router.route({}, "provinsi.tasks.notify_weekly_digest")
    assert route["queue"].name == "notifications"
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "provinsi.tasks.notify_weekly_digest")
    assert entry["schedule"].hour == {7} and entry["schedule"].day_of_week == {1}


def test_digest_names_villages_that_missed_their_apbdes(villages: Villages, db: None) -> None:
    User.objects.filter(username="camat_candipuro").update(email="camat@example.id")
    telat, tepat = desa_buat("18.01.17", 2, nama="Desa Kewajiban")
    fakta(telat, "apbdes_terbit", 0)
    fakta(tepat, "apbdes_terbit", 1)
    notify_weekly_digest()
    camat = next(m for m in mail.outbox if m.to == ["camat@example.id"])
    assert "1 kewajiban terlewat" in camat.subject
    assert f"{telat.nama}" in camat.body and "APBDes tahun berjalan belum" in camat.body
    assert tepat.nama not in camat.body.split("kewajiban desa terlewat")[1]
