"""Writes of the projects module (current village schema only).

Every service validates first and writes last inside one transaction: bad input raises a ValidationError
({field: [Indonesian message]}) and changes nothing (files written for a refused write are removed).
Project and document changes emit outbox events (tenants/pembangunan/events.py) in the same transaction,
and every write invalidates the village's cached portal figures.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tenants.pembangunan import events, portal_cache, unggahan
from tenants.pembangunan.models import Dokumen, JenisDokumen, Pengaduan, Progres, Proyek, StatusPengaduan
from tenants.pembangunan.reference import kode_sumber, sumber_dana

if TYPE_CHECKING:
    from platform_core.accounts.models import User

Errors = dict[str, list[str]]
PROYEK_FIELDS = (
    "nama",
    "tahun",
    "bidang",
    "lokasi",
    "dusun",
    "lat",
    "lng",
    "pelaksana",
    "volume",
    "satuan",
    "manfaat",
    "mulai_rencana",
    "selesai_rencana",
)
TAHUN_MIN, TAHUN_MAX = 2015, 2100
KODE_HURUF = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _pendanaan(raw: Mapping[str, Any], errors: Errors) -> dict[str, str]:
    """{kode: "rupiah"} with known codes and positive whole amounts; empty amounts are dropped."""
    out: dict[str, str] = {}
    nama = sumber_dana()
    for teks, nilai in raw.items():
        if nilai in (None, ""):
            continue
        kode = kode_sumber(teks)
        if kode is None or kode not in nama:
            _add(errors, "pendanaan", f"Kode sumber dana {teks!r} tidak dikenal. Pilih dari daftar sumber dana.")
            continue
        try:
            jumlah = Decimal(str(nilai).replace(".", "").replace(",", "").strip())
        except InvalidOperation:
            _add(errors, "pendanaan", f"Jumlah {nama[kode]} harus angka rupiah, mis. 150000000.")
            continue
        if jumlah < 0 or jumlah != jumlah.to_integral_value():
            _add(errors, "pendanaan", f"Jumlah {nama[kode]} harus rupiah utuh dan tidak negatif.")
            continue
        if jumlah:
            out[kode] = str(int(jumlah) + int(out.get(kode, 0)))
    if not out and "pendanaan" not in errors:
        _add(errors, "pendanaan", "Isi paling sedikit satu sumber dana beserta jumlahnya.")
    return out


def _check_proyek(data: Mapping[str, Any], errors: Errors) -> None:
    for field in ("nama", "lokasi", "pelaksana"):
        if not str(data.get(field) or "").strip():
            _add(errors, field, "Wajib diisi.")
    tahun = data.get("tahun")
    if not isinstance(tahun, int) or not TAHUN_MIN <= tahun <= TAHUN_MAX:
        _add(errors, "tahun", f"Tahun anggaran antara {TAHUN_MIN} dan {TAHUN_MAX}.")
    mulai, selesai = data.get("mulai_rencana"), data.get("selesai_rencana")
    if not isinstance(mulai, dt.date):
        _add(errors, "mulai_rencana", "Isi tanggal rencana mulai.")
    if not isinstance(selesai, dt.date):
        _add(errors, "selesai_rencana", "Isi tanggal rencana selesai.")
    if isinstance(mulai, dt.date) and isinstance(selesai, dt.date) and selesai < mulai:
        _add(errors, "selesai_rencana", "Rencana selesai tidak boleh sebelum rencana mulai.")
    lat, lng = data.get("lat"), data.get("lng")
    if (lat is None) != (lng is None):
        _add(errors, "lat", "Isi lintang dan bujur keduanya, atau kosongkan keduanya.")
    if lat is not None and not -90 <= Decimal(lat) <= 90:
        _add(errors, "lat", "Lintang antara -90 dan 90 (Lampung sekitar -3,5 sampai -6).")
    if lng is not None and not -180 <= Decimal(lng) <= 180:
        _add(errors, "lng", "Bujur antara -180 dan 180 (Lampung sekitar 103,5 sampai 106).")
    volume = data.get("volume")
    if volume is not None and Decimal(volume) < 0:
        _add(errors, "volume", "Volume tidak boleh negatif.")


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {f: data.get(f) for f in PROYEK_FIELDS}
    for f in ("nama", "bidang", "lokasi", "dusun", "pelaksana", "satuan", "manfaat"):
        out[f] = str(out[f] or "").strip()
    return out


@transaction.atomic
def proyek_create(*, data: Mapping[str, Any], pendanaan: Mapping[str, Any]) -> Proyek:
    """Creates a project; its budget is the sum of its funding split. Emits pembangunan.proyek."""
    errors: Errors = {}
    _check_proyek(data, errors)
    dana = _pendanaan(pendanaan, errors)
    if errors:
        raise ValidationError(errors)
    proyek = Proyek.objects.create(**_values(data), pendanaan=dana, anggaran=sum(Decimal(v) for v in dana.values()))
    events.proyek_berubah(proyek_id=proyek.pk, aksi="dibuat", tahun=proyek.tahun, persen=0)
    portal_cache.batalkan()
    return proyek


@transaction.atomic
def proyek_update(*, proyek: Proyek, data: Mapping[str, Any], pendanaan: Mapping[str, Any]) -> Proyek:
    errors: Errors = {}
    _check_proyek(data, errors)
    dana = _pendanaan(pendanaan, errors)
    if errors:
        raise ValidationError(errors)
    locked = Proyek.objects.select_for_update().get(pk=proyek.pk)
    for field, value in _values(data).items():
        setattr(locked, field, value)
    locked.pendanaan = dana
    locked.anggaran = sum(Decimal(v) for v in dana.values())
    locked.save()
    events.proyek_berubah(proyek_id=locked.pk, aksi="diubah", tahun=locked.tahun, persen=locked.progres_persen)
    portal_cache.batalkan()
    return locked


@transaction.atomic
def proyek_delete(*, proyek: Proyek) -> None:
    """Deletes a project with its progress entries and their photos (files go after commit)."""
    fotos = [p for pr in proyek.progres.all() for p in (pr.foto, pr.foto_kecil)]
    events.proyek_berubah(proyek_id=proyek.pk, aksi="dihapus", tahun=proyek.tahun, persen=proyek.progres_persen)
    proyek.delete()
    portal_cache.batalkan()
    transaction.on_commit(lambda: unggahan.hapus(*fotos))


def _segarkan_progres(proyek: Proyek) -> None:
    """Copies the newest progress entry (by date, then id) onto the project."""
    latest = Progres.objects.filter(proyek=proyek).order_by("-tanggal", "-id").first()
    proyek.progres_persen = latest.persen if latest else 0
    proyek.progres_tanggal = latest.tanggal if latest else None
    proyek.save(update_fields=["progres_persen", "progres_tanggal", "diubah"])


def progres_add(
    *,
    proyek: Proyek,
    tanggal: dt.date | None,
    persen: int | None,
    keterangan: str = "",
    foto: UploadedFile | None = None,
) -> Progres:
    """Adds a dated progress entry (optional photo, re-encoded; see unggahan). The project's progress is the
    newest entry's; a newer entry may not report less than an older one. Emits pembangunan.proyek."""
    errors: Errors = {}
    today = timezone.localdate()
    if tanggal is None:
        _add(errors, "tanggal", "Isi tanggal progres.")
    elif tanggal > today:
        _add(errors, "tanggal", "Tanggal progres tidak boleh setelah hari ini.")
    if persen is None or not 0 <= persen <= 100:
        _add(errors, "persen", "Persentase antara 0 dan 100.")
    image = None
    if foto is not None:
        try:
            image = unggahan.periksa_foto(foto)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if not errors and tanggal is not None and persen is not None:
        sebelum = Progres.objects.filter(proyek=proyek, tanggal__lte=tanggal).order_by("-tanggal", "-id").first()
        sesudah = Progres.objects.filter(proyek=proyek, tanggal__gt=tanggal).order_by("tanggal", "id").first()
        if sebelum is not None and persen < sebelum.persen:
            _add(
                errors,
                "persen",
                f"Progres {sebelum.tanggal:%d-%m-%Y} sudah {sebelum.persen}%: progres tidak boleh turun.",
            )
        if sesudah is not None and persen > sesudah.persen:
            _add(
                errors,
                "persen",
                f"Progres {sesudah.tanggal:%d-%m-%Y} tercatat {sesudah.persen}%: tidak boleh melebihinya.",
            )
    if errors:
        raise ValidationError(errors)
    assert tanggal is not None and persen is not None
    stored = unggahan.simpan_foto(image) if image is not None else None
    try:
        with transaction.atomic():
            locked = Proyek.objects.select_for_update().get(pk=proyek.pk)
            progres = Progres.objects.create(
                proyek=locked,
                tanggal=tanggal,
                persen=persen,
                keterangan=(keterangan or "").strip()[:500],
                foto=stored.foto if stored else "",
                foto_kecil=stored.foto_kecil if stored else "",
            )
            _segarkan_progres(locked)
            events.proyek_berubah(proyek_id=locked.pk, aksi="progres", tahun=locked.tahun, persen=locked.progres_persen)
            portal_cache.batalkan()
    except Exception:
        if stored:
            unggahan.hapus(stored.foto, stored.foto_kecil)
        raise
    proyek.progres_persen, proyek.progres_tanggal = locked.progres_persen, locked.progres_tanggal
    return progres


@transaction.atomic
def progres_delete(*, progres: Progres) -> None:
    proyek = Proyek.objects.select_for_update().get(pk=progres.proyek_id)
    files = (progres.foto, progres.foto_kecil)
    progres.delete()
    _segarkan_progres(proyek)
    events.proyek_berubah(proyek_id=proyek.pk, aksi="progres_dihapus", tahun=proyek.tahun, persen=proyek.progres_persen)
    portal_cache.batalkan()
    transaction.on_commit(lambda: unggahan.hapus(*files))


def dokumen_upload(
    *, jenis: str, judul: str, tahun: int | None, tanggal: dt.date | None, berkas: UploadedFile | None
) -> Dokumen:
    """Stores a PDF report (checked by content; see unggahan) and lists it publicly. Emits pembangunan.dokumen."""
    errors: Errors = {}
    if jenis not in JenisDokumen.values:
        _add(errors, "jenis", "Pilih jenis dokumen dari daftar.")
    judul = (judul or "").strip()
    if not judul:
        _add(errors, "judul", "Wajib diisi.")
    if tahun is None or not TAHUN_MIN <= tahun <= TAHUN_MAX:
        _add(errors, "tahun", f"Tahun anggaran antara {TAHUN_MIN} dan {TAHUN_MAX}.")
    if tanggal is None:
        _add(errors, "tanggal", "Isi tanggal dokumen.")
    data = b""
    if berkas is None:
        _add(errors, "berkas", "Pilih berkas PDF.")
    else:
        try:
            data = unggahan.periksa_pdf(berkas)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    assert berkas is not None and tahun is not None and tanggal is not None
    stored = unggahan.simpan_pdf(data)
    nama_file = (berkas.name or "dokumen.pdf").rsplit("/", 1)[-1][:200]
    try:
        with transaction.atomic():
            dokumen = Dokumen.objects.create(
                jenis=jenis,
                judul=judul[:200],
                tahun=tahun,
                tanggal=tanggal,
                nama_file=nama_file,
                path=stored.path,
                ukuran=stored.ukuran,
                sha256=stored.sha256,
            )
            events.dokumen_berubah(dokumen_id=dokumen.pk, aksi="diunggah", jenis=jenis, tahun=tahun)
            portal_cache.batalkan()
    except Exception:
        unggahan.hapus(stored.path)
        raise
    return dokumen


@transaction.atomic
def dokumen_delete(*, dokumen: Dokumen) -> None:
    path = dokumen.path
    events.dokumen_berubah(dokumen_id=dokumen.pk, aksi="dihapus", jenis=dokumen.jenis, tahun=dokumen.tahun)
    dokumen.delete()
    portal_cache.batalkan()
    transaction.on_commit(lambda: unggahan.hapus(path))


def _kode_baru() -> str:
    while True:
        kode = "".join(secrets.choice(KODE_HURUF) for _ in range(8))
        if not Pengaduan.objects.filter(kode=kode).exists():
            return kode


@transaction.atomic
def pengaduan_kirim(*, nama: str, kontak: str, judul: str, isi: str) -> Pengaduan:
    """A complaint from the public form (no sign-in; rate limiting and the honeypot live in the view).
    Name and contact are kept for the operator only. No outbox event: it carries nothing for the province."""
    errors: Errors = {}
    nama, kontak, judul, isi = (nama or "").strip(), (kontak or "").strip(), (judul or "").strip(), (isi or "").strip()
    if not nama:
        _add(errors, "nama", "Tulis nama Anda (tidak ditampilkan di situs).")
    if not judul:
        _add(errors, "judul", "Tulis judul singkat pengaduan/aspirasi.")
    if len(isi) < 10:
        _add(errors, "isi", "Tulis isi pengaduan/aspirasi paling sedikit 10 huruf.")
    if len(isi) > 4000:
        _add(errors, "isi", "Isi terlalu panjang (paling banyak 4.000 huruf).")
    if errors:
        raise ValidationError(errors)
    pengaduan = Pengaduan.objects.create(
        kode=_kode_baru(), nama=nama[:100], kontak=kontak[:100], judul=judul[:150], isi=isi
    )
    portal_cache.batalkan()
    return pengaduan


@transaction.atomic
def pengaduan_jawab(*, pengaduan: Pengaduan, jawaban: str, tampil_publik: bool, petugas: User) -> Pengaduan:
    """The operator's answer; answered complaints shown publicly (without name/contact) unless hidden."""
    jawaban = (jawaban or "").strip()
    if len(jawaban) < 5:
        raise ValidationError({"jawaban": ["Tulis jawaban untuk warga (paling sedikit 5 huruf)."]})
    locked = Pengaduan.objects.select_for_update().get(pk=pengaduan.pk)
    locked.jawaban = jawaban
    locked.tampil_publik = tampil_publik
    locked.status = StatusPengaduan.DIJAWAB
    locked.dijawab_pada = timezone.now()
    locked.dijawab_oleh = petugas.get_username()
    locked.save()
    portal_cache.batalkan()
    return locked


@transaction.atomic
def pengaduan_delete(*, pengaduan: Pengaduan) -> None:
    pengaduan.delete()
    portal_cache.batalkan()
