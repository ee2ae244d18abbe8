"""Writes of village finance: every change in a transaction, bad input refused with an Indonesian
ValidationError and nothing written, an outbox event in the same transaction.

Rules:
- A year's budget starts as version 0 (APBDes awal). An amendment (perubahan) copies the latest
  ditetapkan version into a new draft version. Only a draft can be edited or deleted; a ditetapkan
  version is frozen. The latest ditetapkan version is the budget in force for realisation.
- A budget line carries an obyek account code, a kegiatan code (belanja only) and a sumber dana, all
  from the code lists (tenants/keuangan/kode.py), and a positive amount.
- A transaction (realisation) is dated inside its year and must match a line of the budget in force
  by its three codes.
- Kelurahan have no APBDes: every write is refused there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from tenants.keuangan import events
from tenants.keuangan import kode as kl
from tenants.keuangan.models import Apbdes, BarisAnggaran, Transaksi

TAHUN_MIN, TAHUN_MAX = 2015, 2100
JUMLAH_MAX = Decimal("9999999999999.99")
PESAN_KELURAHAN = (
    "Kelurahan tidak memiliki APBDes: keuangan kelurahan adalah bagian dari APBD kabupaten/kota, "
    "sehingga modul keuangan desa tidak tersedia di sini."
)


def is_kelurahan() -> bool:
    from platform_core.tenancy.models import Village

    tenant = getattr(connection, "tenant", None)
    return isinstance(tenant, Village) and not tenant.is_desa


def wajib_desa() -> None:
    if is_kelurahan():
        raise ValidationError(PESAN_KELURAHAN)


def _tahun_valid(tahun: int) -> int:
    if not isinstance(tahun, int) or not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise ValidationError({"tahun": [f"Tahun anggaran harus antara {TAHUN_MIN} dan {TAHUN_MAX}."]})
    return tahun


def angka(nilai: Any, field: str = "jumlah") -> Decimal:
    """'1.250.000', '1250000,50', 1250000 -> Decimal; a clear message otherwise."""
    if isinstance(nilai, Decimal):
        d = nilai
    else:
        text = str(nilai).strip().replace("Rp", "").replace(" ", "")
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ValidationError({field: [f"'{nilai}' bukan angka rupiah yang sah."]}) from None
    if not d.is_finite():
        raise ValidationError({field: [f"'{nilai}' bukan angka rupiah yang sah."]})
    if abs(d) > JUMLAH_MAX:
        raise ValidationError({field: ["Jumlah terlalu besar."]})
    return d.quantize(Decimal("0.01"))


# --- versions -------------------------------------------------------------------------------------------


@transaction.atomic
def apbdes_buat(*, tahun: int, catatan: str = "") -> Apbdes:
    """Version 0 (APBDes awal) of a new year, as a draft."""
    wajib_desa()
    _tahun_valid(tahun)
    if Apbdes.objects.filter(tahun=tahun).exists():
        raise ValidationError(
            {"tahun": [f"APBDes {tahun} sudah ada. Untuk mengubah anggaran yang sudah ditetapkan, buat perubahan."]}
        )
    apbdes = Apbdes.objects.create(tahun=tahun, versi=0, catatan=catatan[:300])
    events.apbdes_berubah(tahun=tahun, versi=0, aksi="dibuat")
    return apbdes


@transaction.atomic
def apbdes_perubahan(*, tahun: int, catatan: str = "") -> Apbdes:
    """A new draft version copying the latest ditetapkan version (APBDes perubahan)."""
    wajib_desa()
    versions = list(Apbdes.objects.select_for_update().filter(tahun=tahun).order_by("-versi"))
    if not versions:
        raise ValidationError(f"Belum ada APBDes {tahun}. Buat APBDes awal lebih dulu.")
    latest = versions[0]
    if not latest.ditetapkan:
        raise ValidationError(
            f"APBDes {tahun} {latest.label} masih draf. Tetapkan atau hapus draf itu sebelum membuat perubahan."
        )
    baru = Apbdes.objects.create(tahun=tahun, versi=latest.versi + 1, catatan=catatan[:300], asal=latest.asal)
    BarisAnggaran.objects.bulk_create(
        [
            BarisAnggaran(
                apbdes=baru,
                kode_rekening=b.kode_rekening,
                kode_kegiatan=b.kode_kegiatan,
                sumber_dana=b.sumber_dana,
                uraian=b.uraian,
                jumlah=b.jumlah,
            )
            for b in latest.baris.all()
        ],
        batch_size=5000,
    )
    events.apbdes_berubah(tahun=tahun, versi=baru.versi, aksi="perubahan")
    return baru


def _wajib_draf(apbdes: Apbdes) -> None:
    if apbdes.ditetapkan:
        raise ValidationError(
            f"APBDes {apbdes.tahun} {apbdes.label} sudah ditetapkan dan tidak dapat diubah. "
            "Buat APBDes perubahan untuk mengubah anggaran."
        )


@transaction.atomic
def apbdes_ubah(*, apbdes: Apbdes, nomor_perdes: str = "", catatan: str = "") -> Apbdes:
    wajib_desa()
    apbdes = Apbdes.objects.select_for_update().get(pk=apbdes.pk)
    _wajib_draf(apbdes)
    apbdes.nomor_perdes = nomor_perdes[:100]
    apbdes.catatan = catatan[:300]
    apbdes.save(update_fields=["nomor_perdes", "catatan", "updated_at"])
    events.apbdes_berubah(tahun=apbdes.tahun, versi=apbdes.versi, aksi="diubah")
    return apbdes


@transaction.atomic
def apbdes_tetapkan(*, apbdes: Apbdes, nomor_perdes: str, tanggal_penetapan: dt.date) -> Apbdes:
    """Draft -> ditetapkan (published). Frozen afterwards; it becomes the budget in force."""
    wajib_desa()
    apbdes = Apbdes.objects.select_for_update().get(pk=apbdes.pk)
    _wajib_draf(apbdes)
    errors: dict[str, list[str]] = {}
    if not nomor_perdes.strip():
        errors["nomor_perdes"] = ["Isi nomor Peraturan Desa tentang APBDes."]
    if tanggal_penetapan is None:
        errors["tanggal_penetapan"] = ["Isi tanggal penetapan."]
    elif not dt.date(apbdes.tahun - 1, 1, 1) <= tanggal_penetapan <= dt.date(apbdes.tahun, 12, 31):
        errors["tanggal_penetapan"] = [f"Tanggal penetapan harus pada tahun {apbdes.tahun - 1} atau {apbdes.tahun}."]
    if not apbdes.baris.exists():
        errors["__all__"] = ["APBDes belum memiliki baris anggaran."]
    if errors:
        raise ValidationError(errors)
    apbdes.status = Apbdes.Status.DITETAPKAN
    apbdes.nomor_perdes = nomor_perdes.strip()[:100]
    apbdes.tanggal_penetapan = tanggal_penetapan
    apbdes.save(update_fields=["status", "nomor_perdes", "tanggal_penetapan", "updated_at"])
    events.apbdes_berubah(tahun=apbdes.tahun, versi=apbdes.versi, aksi="ditetapkan")
    return apbdes


@transaction.atomic
def apbdes_hapus(*, apbdes: Apbdes) -> None:
    """Deletes a draft version with its lines."""
    wajib_desa()
    apbdes = Apbdes.objects.select_for_update().get(pk=apbdes.pk)
    _wajib_draf(apbdes)
    tahun, versi = apbdes.tahun, apbdes.versi
    apbdes.delete()
    events.apbdes_berubah(tahun=tahun, versi=versi, aksi="dihapus")


# --- budget lines ---------------------------------------------------------------------------------------


def periksa_kode(
    *, kode_rekening: str, kode_kegiatan: str, sumber_dana: str, perlu_obyek: bool = True
) -> tuple[str, str, str]:
    """Normalises and checks the three codes of a line; a ValidationError per bad field."""
    rek = kl.bersihkan_kode(kode_rekening or "")
    keg = kl.bersihkan_kode(kode_kegiatan or "")
    sumber = kl.alias_sumber_dana().get((sumber_dana or "").strip().upper(), "")
    errors: dict[str, list[str]] = {}
    k = kl.rekening().get(rek)
    if k is None:
        errors["kode_rekening"] = [f"Kode rekening '{rek}' tidak ada dalam daftar kode rekening Permendagri 20/2018."]
    elif perlu_obyek and k.tingkat != 4:
        errors["kode_rekening"] = [f"Kode rekening '{rek}' bukan tingkat obyek (mis. 5.2.1.01)."]
    if rek.startswith("5."):
        kk = kl.kegiatan().get(keg)
        if not keg:
            errors["kode_kegiatan"] = ["Belanja wajib memiliki kode bidang/sub-bidang/kegiatan (mis. 02.03.06)."]
        elif kk is None or kk.tingkat != 3:
            errors["kode_kegiatan"] = [f"Kode kegiatan '{keg}' tidak ada dalam daftar kegiatan."]
    elif keg:
        errors["kode_kegiatan"] = ["Pendapatan dan pembiayaan tidak memakai kode kegiatan; kosongkan."]
    if not sumber:
        errors["sumber_dana"] = [f"Sumber dana '{sumber_dana}' tidak dikenal."]
    if errors:
        raise ValidationError(errors)
    return rek, keg, sumber


def _jumlah_positif(nilai: Any) -> Decimal:
    d = angka(nilai)
    if d <= 0:
        raise ValidationError({"jumlah": ["Jumlah harus lebih dari nol."]})
    return d


@transaction.atomic
def baris_simpan(
    *,
    apbdes: Apbdes,
    kode_rekening: str,
    kode_kegiatan: str,
    sumber_dana: str,
    jumlah: Any,
    uraian: str = "",
    baris: BarisAnggaran | None = None,
) -> BarisAnggaran:
    """Adds a line to a draft version, or changes one of its lines."""
    wajib_desa()
    apbdes = Apbdes.objects.select_for_update().get(pk=apbdes.pk)
    _wajib_draf(apbdes)
    rek, keg, sumber = periksa_kode(kode_rekening=kode_rekening, kode_kegiatan=kode_kegiatan, sumber_dana=sumber_dana)
    nilai = _jumlah_positif(jumlah)
    if baris is None:
        baris = BarisAnggaran(apbdes=apbdes)
    elif baris.apbdes_id != apbdes.pk:
        raise ValidationError("Baris ini bukan milik APBDes tersebut.")
    baris.kode_rekening, baris.kode_kegiatan, baris.sumber_dana = rek, keg, sumber
    baris.jumlah = nilai
    baris.uraian = (uraian or kl.nama_rekening(rek)).strip()[:250]
    baris.save()
    apbdes.save(update_fields=["updated_at"])
    events.apbdes_berubah(tahun=apbdes.tahun, versi=apbdes.versi, aksi="baris")
    return baris


@transaction.atomic
def baris_hapus(*, baris: BarisAnggaran) -> None:
    wajib_desa()
    apbdes = Apbdes.objects.select_for_update().get(pk=baris.apbdes_id)
    _wajib_draf(apbdes)
    baris.delete()
    apbdes.save(update_fields=["updated_at"])
    events.apbdes_berubah(tahun=apbdes.tahun, versi=apbdes.versi, aksi="baris")


# --- realisation ----------------------------------------------------------------------------------------


@transaction.atomic
def transaksi_simpan(
    *,
    tahun: int,
    tanggal: dt.date,
    kode_rekening: str,
    kode_kegiatan: str,
    sumber_dana: str,
    jumlah: Any,
    uraian: str = "",
    no_bukti: str = "",
    transaksi: Transaksi | None = None,
) -> Transaksi:
    """Records revenue received or spending paid against a line of the budget in force."""
    from tenants.keuangan.selectors import apbdes_berlaku

    wajib_desa()
    _tahun_valid(tahun)
    berlaku = apbdes_berlaku(tahun)
    if berlaku is None:
        raise ValidationError(f"Belum ada APBDes {tahun} yang ditetapkan. Tetapkan APBDes sebelum mencatat realisasi.")
    rek, keg, sumber = periksa_kode(kode_rekening=kode_rekening, kode_kegiatan=kode_kegiatan, sumber_dana=sumber_dana)
    errors: dict[str, list[str]] = {}
    if tanggal is None or tanggal.year != tahun:
        errors["tanggal"] = [f"Tanggal transaksi harus pada tahun anggaran {tahun}."]
    if not berlaku.baris.filter(kode_rekening=rek, kode_kegiatan=keg, sumber_dana=sumber).exists():
        errors["kode_rekening"] = [
            f"Tidak ada baris anggaran {rek} {keg} ({sumber}) pada APBDes {tahun} {berlaku.label}. "
            "Realisasi hanya dapat dicatat pada baris anggaran yang berlaku."
        ]
    if errors:
        raise ValidationError(errors)
    nilai = _jumlah_positif(jumlah)
    if transaksi is not None:
        _wajib_manual(transaksi)
    aksi = "diubah" if transaksi is not None else "dicatat"
    if transaksi is None:
        transaksi = Transaksi(tahun=tahun)
    elif transaksi.tahun != tahun:
        raise ValidationError("Tahun transaksi tidak dapat diubah.")
    transaksi.tanggal = tanggal
    transaksi.kode_rekening, transaksi.kode_kegiatan, transaksi.sumber_dana = rek, keg, sumber
    transaksi.jumlah = nilai
    transaksi.uraian = (uraian or "").strip()[:250]
    transaksi.no_bukti = (no_bukti or "").strip()[:60]
    transaksi.save()
    events.realisasi_berubah(tahun=tahun, aksi=aksi)
    return transaksi


def _wajib_manual(transaksi: Transaksi) -> None:
    if transaksi.asal == Transaksi.Asal.SISKEUDES:
        raise ValidationError(
            "Transaksi hasil impor Siskeudes tidak dapat diubah atau dihapus di Balai. "
            "Perbaiki di Siskeudes lalu impor ulang tahun anggaran itu."
        )


@transaction.atomic
def transaksi_hapus(*, transaksi: Transaksi) -> None:
    wajib_desa()
    _wajib_manual(transaksi)
    tahun = transaksi.tahun
    transaksi.delete()
    events.realisasi_berubah(tahun=tahun, aksi="dihapus")
