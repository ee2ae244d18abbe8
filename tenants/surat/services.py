"""Writes of layanan surat in the current village: requests, workflow, numbering, templates, uploads.

Every service validates first and writes last, in one transaction; bad input raises ValidationError
with Indonesian messages and changes nothing. Each status change appends a Riwayat row (who, when,
why) and the outbox events of a letter (surat.diajukan, surat.selesai, surat.dibatalkan) carry ids and
codes only.

Numbering: one counter row per sequence (village or template) and year. Taking a number is a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on that row: the row stays locked until the request's
transaction commits, so two operators at the same instant queue on it, and a transaction that rolls back
rolls its number back too: numbers are unique and gap-free.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from platform_core.tenancy.schemas import current_schema
from tenants.outbox.services import outbox_emit
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tenants.surat import teks
from tenants.surat.bawaan import TEMPLAT_BAWAAN
from tenants.surat.models import (
    Kanal,
    Lampiran,
    Pengaturan,
    PenghitungNomor,
    Penomoran,
    Permohonan,
    Riwayat,
    Status,
    TemplatSurat,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from platform_core.accounts.models import User
    from platform_core.tenancy.models import Village

Errors = dict[str, list[str]]

#: Allowed moves of the workflow (dibatalkan from any open state; an issued letter is revoked instead).
ALUR: dict[str, tuple[str, ...]] = {
    Status.DIAJUKAN: (Status.DIPERIKSA, Status.DIBATALKAN),
    Status.DIPERIKSA: (Status.MENUNGGU_TTD, Status.DIBATALKAN),
    Status.MENUNGGU_TTD: (Status.SIAP_DIAMBIL, Status.DIBATALKAN),
    Status.SIAP_DIAMBIL: (Status.SUDAH_DIAMBIL, Status.DIBATALKAN),
    Status.SUDAH_DIAMBIL: (Status.DIBATALKAN,),
    Status.DIBATALKAN: (),
}

BATAS_UNGGAH = 5 * 1024 * 1024  # bytes per document
BATAS_PIKSEL = 40_000_000


# --- helpers ----------------------------------------------------------------------------------------


def _petugas(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"petugas_id": None, "petugas_nama": ""}
    return {"petugas_id": user.pk, "petugas_nama": user.get_username()}


def _riwayat(permohonan: Permohonan, *, dari: str, ke: str, oleh: User | None, keterangan: str = "") -> None:
    Riwayat.objects.create(permohonan=permohonan, dari=dari, ke=ke, keterangan=keterangan[:300], **_petugas(oleh))


def desa_aktif() -> Village:
    """The village whose schema is active (routing sets connection.tenant)."""
    from platform_core.tenancy.models import Village

    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Village):
        return tenant
    return Village.objects.get(schema_name=current_schema())


def pasang_templat_bawaan() -> None:
    """Copy the built-in letter set into this village the first time it uses letters (idempotent)."""
    if TemplatSurat.objects.filter(bawaan=True).exists():
        return
    TemplatSurat.objects.bulk_create(
        [TemplatSurat(bawaan=True, **data) for data in TEMPLAT_BAWAAN], ignore_conflicts=True
    )


def pengaturan() -> Pengaturan:
    row = Pengaturan.objects.order_by("pk").first()
    return row if row is not None else Pengaturan(jabatan="Kepala Desa")


# --- subject rules ----------------------------------------------------------------------------------


def aturan_dilanggar(templat: TemplatSurat, penduduk: Penduduk, *, tanggal: dt.date | None = None) -> list[str]:
    """Messages for the template's subject rules this resident does not meet."""
    tanggal = tanggal or timezone.localdate()
    pesan: list[str] = []
    for kode in templat.aturan_subjek or []:
        ok = {
            "hidup": penduduk.status_dasar == ref.StatusDasar.HIDUP,
            "mati": penduduk.status_dasar == ref.StatusDasar.MATI,
            "dewasa": teks.umur_pada(penduduk.tanggal_lahir, tanggal) >= 17,
            "kepala_keluarga": penduduk.hubungan == ref.Hubungan.KEPALA_KELUARGA and penduduk.keluarga_id is not None,
            "belum_kawin": penduduk.status_kawin == ref.StatusKawin.BELUM_KAWIN,
            "punya_kk": penduduk.keluarga_id is not None,
        }.get(kode, True)
        if not ok:
            pesan.append(teks.ATURAN[kode][1])
    # A letter about a living person is never issued for someone recorded as dead, whatever the template says.
    if "mati" not in (templat.aturan_subjek or []) and penduduk.status_dasar == ref.StatusDasar.MATI:
        msg = teks.ATURAN["hidup"][1]
        if msg not in pesan:
            pesan.append(msg)
    return pesan


# --- requests ---------------------------------------------------------------------------------------


def _isian_bersih(templat: TemplatSurat, isian: Mapping[str, str], errors: Errors) -> dict[str, str]:
    bersih: dict[str, str] = {}
    for field in templat.isian or []:
        nama = field["nama"]
        value = str(isian.get(nama, "") or "").strip()
        if len(value) > 300:
            errors.setdefault(nama, []).append("Maksimal 300 karakter.")
        elif field.get("wajib") and not value:
            errors.setdefault(nama, []).append(f"{field['label']} wajib diisi.")
        bersih[nama] = value
    return bersih


def _periksa_permohonan(
    *, template_kode: str, penduduk_id: int, isian: Mapping[str, str], keperluan: str, kanal: str
) -> tuple[TemplatSurat, Penduduk, dict[str, str], str]:
    errors: Errors = {}
    templat = TemplatSurat.objects.filter(kode=template_kode, aktif=True).first()
    if templat is None:
        pasang_templat_bawaan()
        templat = TemplatSurat.objects.filter(kode=template_kode, aktif=True).first()
    if templat is None:
        raise ValidationError({"template_kode": ["Jenis surat tidak dikenal atau tidak aktif."]})
    if kanal not in Kanal.values:
        raise ValidationError({"kanal": ["Kanal permohonan tidak dikenal."]})
    penduduk = Penduduk.objects.select_related("keluarga", "rt__rw__dusun").filter(pk=penduduk_id).first()
    if penduduk is None:
        raise ValidationError({"penduduk_id": ["Penduduk tidak ditemukan di desa ini."]})
    pesan = aturan_dilanggar(templat, penduduk)
    if pesan:
        errors["penduduk_id"] = pesan
    keperluan = (keperluan or "").strip()
    if not keperluan:
        errors["keperluan"] = ["Keperluan wajib diisi."]
    elif len(keperluan) > 300:
        errors["keperluan"] = ["Keperluan maksimal 300 karakter."]
    bersih = _isian_bersih(templat, isian or {}, errors)
    if errors:
        raise ValidationError(errors)
    return templat, penduduk, bersih, keperluan


def _payload(p: Permohonan) -> dict[str, str | int | float | bool | None]:
    return {
        "permohonan_id": p.pk,
        "templat": p.templat.kode,
        "penduduk_id": p.penduduk_id,
        "kanal": p.kanal,
        "tanggal": timezone.localdate().isoformat(),
    }


def ajukan_permohonan(
    *,
    template_kode: str,
    penduduk_id: int,
    isian: Mapping[str, str],
    keperluan: str,
    kanal: str,
    oleh_user: User | None = None,
) -> Permohonan:
    """A new request (status diajukan) for a letter of `template_kode` about resident `penduduk_id`."""
    templat, penduduk, bersih, keperluan = _periksa_permohonan(
        template_kode=template_kode, penduduk_id=penduduk_id, isian=isian, keperluan=keperluan, kanal=kanal
    )
    with transaction.atomic():
        permohonan = Permohonan.objects.create(
            templat=templat, penduduk=penduduk, isian=bersih, keperluan=keperluan, kanal=kanal
        )
        _riwayat(permohonan, dari="", ke=Status.DIAJUKAN, oleh=oleh_user, keterangan=f"Kanal: {kanal}")
        outbox_emit(topic="surat.diajukan", payload=_payload(permohonan))
    return permohonan


def ajukan_dan_terbitkan(
    *,
    template_kode: str,
    penduduk_id: int,
    isian: Mapping[str, str],
    keperluan: str,
    kanal: str = Kanal.OPERATOR,
    oleh_user: User | None = None,
    passphrase: str = "",
) -> Permohonan:
    """At the counter, "issue now": request, check, number and sign in ONE transaction (all steps in the
    history, both events). Nothing is written when any step fails (e.g. a TTE passphrase)."""
    templat, penduduk, bersih, keperluan = _periksa_permohonan(
        template_kode=template_kode, penduduk_id=penduduk_id, isian=isian, keperluan=keperluan, kanal=kanal
    )
    with transaction.atomic():
        permohonan = Permohonan.objects.create(
            templat=templat, penduduk=penduduk, isian=bersih, keperluan=keperluan, kanal=kanal
        )
        langkah = _Langkah(permohonan, oleh=oleh_user, penduduk=penduduk)
        langkah.riwayat.append(
            Riwayat(
                permohonan=permohonan, dari="", ke=Status.DIAJUKAN, keterangan=f"Kanal: {kanal}", **_petugas(oleh_user)
            )
        )
        langkah.events.append(("surat.diajukan", _payload(permohonan)))
        for ke in (Status.DIPERIKSA, Status.MENUNGGU_TTD, Status.SIAP_DIAMBIL):
            langkah.ke(ke, passphrase=passphrase)
        return langkah.simpan()


# --- numbering --------------------------------------------------------------------------------------


def ambil_nomor_urut(*, lingkup: str, tahun: int) -> int:
    """The next number of a sequence; must run inside the transaction that uses it (row lock until commit)."""
    if not connection.in_atomic_block:
        raise RuntimeError("ambil_nomor_urut must run inside the transaction that issues the letter")
    table = PenghitungNomor._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (lingkup, tahun, terakhir) VALUES (%s, %s, 1) "  # table name from the model
            f"ON CONFLICT (lingkup, tahun) DO UPDATE SET terakhir = {table}.terakhir + 1 RETURNING terakhir",
            [lingkup, tahun],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _kode_desa(village: Village) -> str:
    return village.kode.split(".")[-1]


#: Per-process cache of what a letter needs from public (region names, primary domain): static data.
_DESA_CACHE: dict[int, tuple[float, dict[str, str]]] = {}
_DESA_TTL = 300.0


def _data_desa(village: Village) -> dict[str, str]:
    import time

    hit = _DESA_CACHE.get(village.pk)
    if hit is not None and time.monotonic() - hit[0] < _DESA_TTL:
        return hit[1]
    from platform_core.tenancy.models import Domain

    kec = village.kecamatan
    domain = Domain.objects.filter(tenant_id=village.pk, is_primary=True).values_list("domain", flat=True).first()
    data = {
        "kecamatan": kec.nama,
        "kabupaten": kec.kabupaten.nama_lengkap,
        "host": domain or f"{village.slug}.{settings.BASE_DOMAIN}",
    }
    _DESA_CACHE[village.pk] = (time.monotonic(), data)
    return data


def url_verifikasi(village: Village, token: str) -> str:
    host = _data_desa(village)["host"]
    scheme = "https" if not settings.DEBUG and not host.split(":")[0].endswith("localhost") else "http"
    return f"{scheme}://{host}/surat/verifikasi/{token}/"


def _alamat(p: Penduduk) -> str:
    parts = [p.alamat_sekarang or (p.keluarga.alamat if p.keluarga else "")]
    if p.rt is not None:
        parts.append(f"RT {p.rt.nomor} RW {p.rt.rw.nomor} {p.rt.rw.dusun.nama}")
    return ", ".join(x for x in parts if x) or "-"


def _subjek(pk: int) -> Penduduk:
    return Penduduk.objects.select_related("keluarga", "rt__rw__dusun").get(pk=pk)


def nilai_penanda(
    permohonan: Permohonan,
    *,
    village: Village,
    tanggal: dt.date,
    nomor: str,
    atur: Pengaturan | None = None,
    penduduk: Penduduk | None = None,
) -> dict[str, str]:
    """Every placeholder's value for this letter, as it will be printed."""
    p = penduduk or _subjek(permohonan.penduduk_id)
    desa = _data_desa(village)
    atur = atur or pengaturan()
    berlaku = permohonan.templat.masa_berlaku_hari
    values = {
        "nama": p.nama,
        "nik": p.nik,
        "no_kk": p.keluarga.no_kk if p.keluarga else "-",
        "tempat_lahir": p.tempat_lahir or "-",
        "tanggal_lahir": teks.tanggal_indonesia(p.tanggal_lahir),
        "umur": str(teks.umur_pada(p.tanggal_lahir, tanggal)),
        "jenis_kelamin": p.get_jenis_kelamin_display(),
        "agama": p.get_agama_display(),
        "status_kawin": p.get_status_kawin_display(),
        "pekerjaan": p.get_pekerjaan_display(),
        "kewarganegaraan": p.get_warganegara_display(),
        "nama_ayah": p.nama_ayah or "-",
        "nama_ibu": p.nama_ibu or "-",
        "alamat": _alamat(p),
        "rt": p.rt.nomor if p.rt else "-",
        "rw": p.rt.rw.nomor if p.rt else "-",
        "dusun": p.rt.rw.dusun.nama if p.rt else "-",
        "keperluan": permohonan.keperluan,
        "nama_desa": village.nama,
        "jenis_desa": village.get_jenis_display(),
        "kecamatan": desa["kecamatan"],
        "kabupaten": desa["kabupaten"],
        "provinsi": "Lampung" if village.kode.startswith("18") else "",
        "nomor_surat": nomor,
        "tanggal_surat": teks.tanggal_indonesia(tanggal),
        "berlaku_sampai": teks.tanggal_indonesia(tanggal + dt.timedelta(days=berlaku)) if berlaku else "-",
        "nama_penanda_tangan": atur.nama_kepala or "-",
        "jabatan_penanda_tangan": atur.jabatan or ("Lurah" if village.jenis == "kelurahan" else "Kepala Desa"),
    }
    values.update({k: str(v) for k, v in (permohonan.isian or {}).items()})
    return values


class _Penomoran:
    """A letter being numbered: its text is prepared first, the number taken as late as possible.

    The counter row stays locked from the moment the number is taken until COMMIT, so everything that
    can happen before it (reading the resident, the village, the letterhead) happens before it.
    """

    def __init__(self, permohonan: Permohonan, penduduk: Penduduk) -> None:
        self.p = permohonan
        self.village = desa_aktif()
        self.tanggal = timezone.localdate()
        self.atur = pengaturan()
        self.values = nilai_penanda(
            permohonan, village=self.village, tanggal=self.tanggal, nomor="", atur=self.atur, penduduk=penduduk
        )
        self.selesai = False

    def isi(self) -> None:
        if self.selesai:
            return
        p, templat, tanggal, village = self.p, self.p.templat, self.tanggal, self.village
        lingkup = templat.kode if templat.penomoran == Penomoran.TEMPLAT else ""
        urut = ambil_nomor_urut(lingkup=lingkup, tahun=tanggal.year)
        nomor = teks.buat_nomor(
            templat.format_nomor or teks.FORMAT_NOMOR_BAWAAN,
            urut=urut,
            kode_surat=templat.kode_klasifikasi,
            kode_desa=_kode_desa(village),
            tanggal=tanggal,
        )
        values = {**self.values, "nomor_surat": nomor}
        token = secrets.token_urlsafe(24)
        desa = _data_desa(village)
        p.nomor = nomor
        p.nomor_urut = urut
        p.tanggal_surat = tanggal
        if templat.masa_berlaku_hari:
            p.berlaku_sampai = tanggal + dt.timedelta(days=templat.masa_berlaku_hari)
        p.token = token
        p.cetak = {
            "judul": teks.isi_penanda(templat.judul, values),
            "nama_surat": templat.nama,
            "isi": teks.isi_penanda(templat.isi, values),
            "nama_samaran": teks.samarkan_nama(values["nama"]),
            "desa": {
                "nama": village.nama,
                "jenis": village.get_jenis_display(),
                "kecamatan": desa["kecamatan"],
                "kabupaten": desa["kabupaten"],
                "alamat": self.atur.alamat_kantor,
                "kontak": self.atur.kontak,
            },
            "ttd": {"nama": values["nama_penanda_tangan"], "jabatan": values["jabatan_penanda_tangan"]},
            "kertas": self.atur.ukuran_kertas,
            "url_verifikasi": url_verifikasi(village, token),
        }
        self.selesai = True


# --- workflow ---------------------------------------------------------------------------------------


def _kunci(permohonan: Permohonan | int) -> Permohonan:
    pk = permohonan if isinstance(permohonan, int) else permohonan.pk
    locked = Permohonan.objects.select_for_update(of=("self",)).select_related("templat").filter(pk=pk).first()
    if locked is None:
        raise ValidationError("Permohonan tidak ditemukan.")
    return locked


class _Langkah:
    """Moves of one locked request inside one transaction; writes happen in `simpan`, the number last."""

    def __init__(self, p: Permohonan, *, oleh: User | None, penduduk: Penduduk | None = None) -> None:
        self.p = p
        self.oleh = oleh
        self.penduduk = penduduk
        self.now = timezone.now()
        self.fields = {"status", "updated_at"}
        self.riwayat: list[Riwayat] = []
        self.events: list[tuple[str, dict[str, str | int | float | bool | None]]] = []
        self.penomoran: _Penomoran | None = None

    def ke(self, ke: str, *, alasan: str = "", passphrase: str = "") -> None:
        p = self.p
        alasan = (alasan or "").strip()
        if ke not in ALUR.get(p.status, ()):
            dari = Status(p.status).label.lower()
            tujuan = Status(ke).label.lower() if ke in Status.values else ke
            raise ValidationError({"status": [f"Permohonan berstatus {dari} tidak dapat diubah menjadi {tujuan}."]})
        if ke == Status.DIBATALKAN and not alasan:
            raise ValidationError({"alasan": ["Alasan pembatalan wajib diisi."]})
        if len(alasan) > 300:
            raise ValidationError({"alasan": ["Alasan maksimal 300 karakter."]})
        dari = p.status
        if ke == Status.MENUNGGU_TTD:
            penduduk = self.penduduk or _subjek(p.penduduk_id)
            pesan = aturan_dilanggar(p.templat, penduduk)
            if pesan:
                raise ValidationError({"penduduk_id": pesan})
            self.penomoran = _Penomoran(p, penduduk)
            self.fields |= {"nomor", "nomor_urut", "tanggal_surat", "berlaku_sampai", "token", "cetak"}
        elif ke == Status.SIAP_DIAMBIL:
            from tenants.surat.signing import PenandatanganTTE, penandatangan

            signer = penandatangan()
            if isinstance(signer, PenandatanganTTE) and self.penomoran is not None:
                self.penomoran.isi()  # the provider signs the final PDF: number first
            p.status = ke  # the signer sees the letter as it will be handed out
            hasil = signer.tandatangani(permohonan=p, petugas=self.oleh, passphrase=passphrase)
            p.penanda_tangan = hasil.catatan()
            if hasil.pdf is not None:
                p.berkas_ttd = simpan_berkas_privat(hasil.pdf, sub="ttd", akhiran=".pdf")
            p.selesai_pada = self.now
            self.fields |= {"penanda_tangan", "berkas_ttd", "selesai_pada"}
        elif ke == Status.DIBATALKAN:
            p.alasan_batal = alasan
            p.dicabut = bool(p.nomor)
            self.fields |= {"alasan_batal", "dicabut"}
        p.status = ke
        self.riwayat.append(
            Riwayat(permohonan=p, dari=dari, ke=ke, keterangan=alasan[:300], created_at=self.now, **_petugas(self.oleh))
        )
        payload = _payload(p)
        if ke == Status.SIAP_DIAMBIL:
            payload["jam_layanan"] = round((self.now - p.diajukan_pada).total_seconds() / 3600, 2)
            self.events.append(("surat.selesai", payload))
        elif ke == Status.DIBATALKAN:
            payload["dicabut"] = p.dicabut
            self.events.append(("surat.dibatalkan", payload))
        elif ke == Status.SUDAH_DIAMBIL:
            self.events.append(("surat.diambil", payload))

    def simpan(self) -> Permohonan:
        # History and events first; the shared locks (outbox mark, number counter) as late as possible.
        Riwayat.objects.bulk_create(self.riwayat)
        for topic, payload in self.events:
            outbox_emit(topic=topic, payload=payload)
        if self.penomoran is not None:
            self.penomoran.isi()
        self.p.save(update_fields=sorted(self.fields))
        return self.p


def pindahkan_status(
    *,
    permohonan: Permohonan | int,
    ke: str,
    oleh: User | None = None,
    alasan: str = "",
    passphrase: str = "",
) -> Permohonan:
    """Move a request one step along the workflow (see ALUR); dibatalkan needs a reason.

    → menunggu_ttd numbers the letter; → siap_diambil signs it through the configured signer;
    dibatalkan after numbering revokes the letter (its verification page says so).
    """
    with transaction.atomic():
        langkah = _Langkah(_kunci(permohonan), oleh=oleh)
        langkah.ke(ke, alasan=alasan, passphrase=passphrase)
        return langkah.simpan()


def terbitkan_langsung(*, permohonan: Permohonan | int, oleh: User | None = None, passphrase: str = "") -> Permohonan:
    """Counter shortcut: check, number and sign in one transaction (each step still in the history)."""
    with transaction.atomic():
        langkah = _Langkah(_kunci(permohonan), oleh=oleh)
        for ke in (Status.DIPERIKSA, Status.MENUNGGU_TTD, Status.SIAP_DIAMBIL):
            if ke in ALUR.get(langkah.p.status, ()):
                langkah.ke(ke, passphrase=passphrase)
        return langkah.simpan()


# --- templates --------------------------------------------------------------------------------------


def _templat_errors(data: Mapping[str, Any], *, kode_lama: str | None) -> Errors:
    errors: Errors = {}
    isian = data.get("isian") or []
    names = []
    for field in isian:
        nama = str(field.get("nama", ""))
        if not teks.nama_isian_valid(nama):
            errors.setdefault("isian", []).append(
                f"Nama isian '{nama}' tidak sah: huruf kecil, angka dan garis bawah, diawali huruf, "
                "dan bukan nama penanda bawaan."
            )
        elif nama in names:
            errors.setdefault("isian", []).append(f"Nama isian '{nama}' dipakai dua kali.")
        if not str(field.get("label", "")).strip():
            errors.setdefault("isian", []).append(f"Isian '{nama}' perlu label.")
        names.append(nama)
    for kode in data.get("aturan_subjek") or []:
        if kode not in teks.ATURAN:
            errors.setdefault("aturan_subjek", []).append(f"Aturan subjek '{kode}' tidak dikenal.")
    for dok in data.get("dokumen") or []:
        if not str(dok.get("kode", "")).strip() or not str(dok.get("label", "")).strip():
            errors.setdefault("dokumen", []).append("Setiap dokumen persyaratan perlu kode dan label.")
    unknown = teks.penanda_tak_dikenal(str(data.get("isi", "")), names)
    if unknown:
        errors.setdefault("isi", []).append(
            "Penanda tidak dikenal: "
            + ", ".join(f"[{n}]" for n in unknown)
            + ". Gunakan penanda yang tersedia atau tambahkan isian dengan nama itu."
        )
    judul_unknown = teks.penanda_tak_dikenal(str(data.get("judul", "")), names)
    if judul_unknown:
        errors.setdefault("judul", []).append(
            "Penanda tidak dikenal: " + ", ".join(f"[{n}]" for n in judul_unknown) + "."
        )
    fmt_error = teks.format_nomor_salah(str(data.get("format_nomor") or teks.FORMAT_NOMOR_BAWAAN))
    if fmt_error:
        errors.setdefault("format_nomor", []).append(fmt_error)
    kode = str(data.get("kode", kode_lama or ""))
    if (kode_lama is None or kode != kode_lama) and TemplatSurat.objects.filter(kode=kode).exists():
        errors.setdefault("kode", []).append("Kode templat sudah dipakai.")
    return errors


TEMPLAT_FIELDS = (
    "kode",
    "nama",
    "kode_klasifikasi",
    "judul",
    "isi",
    "aturan_subjek",
    "isian",
    "dokumen",
    "masa_berlaku_hari",
    "format_nomor",
    "penomoran",
    "aktif",
)


def _templat_simpan(templat: TemplatSurat, data: Mapping[str, Any], errors: Errors) -> TemplatSurat:
    for name in TEMPLAT_FIELDS:
        if name in data:
            setattr(templat, name, data[name])
    if not templat.format_nomor:
        templat.format_nomor = teks.FORMAT_NOMOR_BAWAAN
    try:
        templat.full_clean(
            exclude=["isian", "dokumen", "aturan_subjek"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    templat.save()
    return templat


def templat_buat(*, data: Mapping[str, Any]) -> TemplatSurat:
    """A new letter template added by the operator; placeholders in its text are checked."""
    pasang_templat_bawaan()
    errors = _templat_errors(data, kode_lama=None)
    with transaction.atomic():
        return _templat_simpan(TemplatSurat(), data, errors)


def templat_ubah(*, templat: TemplatSurat, data: Mapping[str, Any]) -> TemplatSurat:
    """Edit a template (text, rules, fields, numbering); letters already numbered keep their frozen text."""
    merged = {name: getattr(templat, name) for name in TEMPLAT_FIELDS} | dict(data)
    errors = _templat_errors(merged, kode_lama=templat.kode)
    if "kode" in data and data["kode"] != templat.kode and templat.bawaan:
        errors.setdefault("kode", []).append("Kode templat bawaan tidak dapat diubah.")
    with transaction.atomic():
        return _templat_simpan(templat, merged, errors)


def pengaturan_simpan(*, data: Mapping[str, Any], logo: UploadedFile | None = None) -> Pengaturan:
    with transaction.atomic():
        row = Pengaturan.objects.select_for_update().order_by("pk").first() or Pengaturan()
        for name in ("nama_kepala", "jabatan", "alamat_kantor", "kontak", "ukuran_kertas"):
            if name in data:
                setattr(row, name, data[name])
        if logo is not None:
            isi, jenis = periksa_berkas(logo, hanya_gambar=True)
            row.logo = simpan_berkas_privat(isi, sub="logo", akhiran=".png" if jenis == "image/png" else ".jpg")
        try:
            row.full_clean()
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        row.save()
        return row


# --- uploads ----------------------------------------------------------------------------------------


def direktori_privat() -> Path:
    """MEDIA_ROOT/surat/<schema>/: the village's own path, outside the web root, never served."""
    return Path(settings.MEDIA_ROOT) / "surat" / current_schema()


def simpan_berkas_privat(isi: bytes, *, sub: str, akhiran: str) -> str:
    rel = Path("surat") / current_schema() / sub / f"{uuid.uuid4().hex}{akhiran}"
    target = Path(settings.MEDIA_ROOT) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(isi)
    return str(rel)


def baca_berkas_privat(rel: str) -> bytes | None:
    root = direktori_privat().resolve()
    target = (Path(settings.MEDIA_ROOT) / rel).resolve()
    if root not in target.parents or not target.is_file():
        return None
    return target.read_bytes()


def _jenis_dari_isi(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def periksa_berkas(berkas: UploadedFile, *, hanya_gambar: bool = False) -> tuple[bytes, str]:
    """(safe bytes, content type) of an upload, or ValidationError: type by content, images re-encoded."""
    size = berkas.size or 0
    if size > BATAS_UNGGAH:
        raise ValidationError({"berkas": [f"Berkas terlalu besar ({size // 1024} KB); maksimal 5 MB."]})
    data = berkas.read(BATAS_UNGGAH + 1)
    if len(data) > BATAS_UNGGAH:
        raise ValidationError({"berkas": ["Berkas terlalu besar; maksimal 5 MB."]})
    if not data:
        raise ValidationError({"berkas": ["Berkas kosong."]})
    jenis = _jenis_dari_isi(data[:8])
    allowed = "JPEG atau PNG" if hanya_gambar else "JPEG, PNG atau PDF"
    if jenis is None or (hanya_gambar and jenis == "application/pdf"):
        raise ValidationError({"berkas": [f"Jenis berkas tidak diterima: hanya {allowed} (dilihat dari isinya)."]})
    if jenis == "application/pdf":
        # Kept as is (never rendered or served inline); a PDF must at least end like one.
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError({"berkas": ["Berkas PDF rusak atau tidak lengkap."]})
        return data, jenis
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = BATAS_PIKSEL
    try:
        # verify() reads the whole structure and refuses a truncated file even after WeasyPrint (imported for
        # the PDFs) has set Pillow's process-wide LOAD_TRUNCATED_IMAGES, which load() alone would honour.
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            fmt = "PNG" if jenis == "image/png" else "JPEG"
            out = io.BytesIO()
            if fmt == "JPEG":
                img.convert("RGB").save(out, format="JPEG", quality=85)
            else:
                img.convert("RGBA" if img.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError({"berkas": ["Gambar rusak atau tidak dapat dibaca."]}) from None
    return out.getvalue(), jenis


def lampirkan_dokumen(*, permohonan: Permohonan, kode_dokumen: str, berkas: UploadedFile) -> Lampiran:
    """Attach a required document to a request (replaces an earlier upload for the same document)."""
    kode_valid = {d["kode"] for d in (permohonan.templat.dokumen or [])}
    if kode_dokumen not in kode_valid:
        raise ValidationError({"kode_dokumen": ["Dokumen ini tidak diminta untuk jenis surat tersebut."]})
    if permohonan.status not in (Status.DIAJUKAN, Status.DIPERIKSA):
        raise ValidationError({"berkas": ["Dokumen hanya dapat dilampirkan selama permohonan belum diproses."]})
    isi, jenis = periksa_berkas(berkas)
    akhiran = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[jenis]
    path = simpan_berkas_privat(isi, sub="lampiran", akhiran=akhiran)
    nama_asli = Path(getattr(berkas, "name", "") or "").name[:150]
    with transaction.atomic():
        Lampiran.objects.filter(permohonan=permohonan, kode_dokumen=kode_dokumen).delete()
        return Lampiran.objects.create(
            permohonan=permohonan,
            kode_dokumen=kode_dokumen,
            path=path,
            jenis=jenis,
            ukuran=len(isi),
            nama_asli=nama_asli,
        )


def pakai_tte() -> bool:
    """True when the configured signer is an electronic-signature (TTE) provider that needs a passphrase."""
    from tenants.surat.signing import PenandatanganTTE, penandatangan

    return isinstance(penandatangan(), PenandatanganTTE)
