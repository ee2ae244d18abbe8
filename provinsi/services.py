"""Writes of the province layer: the IDM / Indeks Desa import."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.facts.models import StatusIdm
from platform_core.tenancy.models import Village
from provinsi.selectors import IDM_STATUS, idm_status_dari_skor

KOLOM_KODE = ("kode_desa", "kode_bps", "kode")
KOLOM_WAJIB = ("tahun", "skor")
BATAS_BARIS = 20_000


@dataclass
class LaporanImporIdm:
    """The per-row report of one upload; `galat` empty means every row was saved."""

    baris: int = 0
    disimpan: int = 0
    galat: list[tuple[int, str]] = field(default_factory=list)

    @property
    def berhasil(self) -> bool:
        return not self.galat and self.disimpan > 0


def _baca(isi: bytes) -> tuple[list[str], list[dict[str, str]]]:
    teks = isi.decode("utf-8-sig")
    try:
        dialek: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(teks[:4096], delimiters=",;\t")
    except csv.Error:
        dialek = csv.excel
    pembaca = csv.DictReader(io.StringIO(teks), dialect=dialek)
    kolom = [(k or "").strip().lower().replace(" ", "_") for k in (pembaca.fieldnames or [])]
    pembaca.fieldnames = kolom
    return kolom, [{k: (v or "").strip() for k, v in row.items() if k} for row in pembaca]


def _periksa_baris(
    row: dict[str, str], kolom_kode: str, by_kode: dict[str, int], by_bps: dict[str, int]
) -> tuple[int, int, Decimal, str] | str:
    """(village id, tahun, skor, status) of one row, or what is wrong with it (Indonesian)."""
    k = row.get(kolom_kode, "")
    village_id = by_kode.get(k) or by_bps.get(k)
    if village_id is None:
        return f"Kode desa '{k}' tidak dikenal (pakai kode Kemendagri 18.01.17.2011 atau kode BPS)."
    try:
        tahun = int(row.get("tahun", ""))
    except ValueError:
        tahun = 0
    if not 2010 <= tahun <= timezone.now().year + 1:
        return f"Tahun '{row.get('tahun', '')}' tidak sah (contoh: 2024)."
    try:
        skor = Decimal(row.get("skor", "").replace(",", "."))
    except InvalidOperation:
        skor = Decimal(-1)
    if not skor.is_finite() or not Decimal(0) <= skor <= Decimal(1):
        return f"Skor '{row.get('skor', '')}' harus angka antara 0 dan 1 (contoh: 0,6523)."
    teks_status = row.get("status", "")
    if not teks_status:
        return village_id, tahun, skor.quantize(Decimal("0.0001")), idm_status_dari_skor(skor)
    status = {s.lower(): s for s in IDM_STATUS}.get(teks_status.lower())
    if status is None:
        return f"Status '{teks_status}' tidak dikenal; pakai salah satu: {', '.join(IDM_STATUS)}."
    return village_id, tahun, skor.quantize(Decimal("0.0001")), status


def status_idm_impor(*, isi: bytes, petugas: User | None) -> LaporanImporIdm:
    """Import IDM / Indeks Desa statuses from a CSV (kode desa or kode BPS, tahun, skor, status).

    All or nothing: every row is checked first; if any row is wrong nothing is saved and the
    report says which rows and why (in Indonesian). Otherwise all rows are upserted on
    (village, tahun) in one transaction. An empty status is derived from the score with the
    IDM thresholds (settings.BALAI_IDM_AMBANG).
    """
    laporan = LaporanImporIdm()
    try:
        kolom, rows = _baca(isi)
    except UnicodeDecodeError:
        laporan.galat.append((0, "Berkas bukan teks UTF-8. Simpan ulang sebagai CSV (UTF-8)."))
        return laporan
    kolom_kode = next((k for k in KOLOM_KODE if k in kolom), None)
    kurang = [k for k in KOLOM_WAJIB if k not in kolom]
    if kolom_kode is None or kurang:
        perlu = ", ".join(([] if kolom_kode else ["kode_desa atau kode_bps"]) + kurang)
        laporan.galat.append(
            (1, f"Kolom {perlu} tidak ada di baris judul. Kolom yang diharapkan: kode_desa, tahun, skor, status.")
        )
        return laporan
    if not rows:
        laporan.galat.append((1, "Berkas tidak berisi baris data."))
        return laporan
    if len(rows) > BATAS_BARIS:
        laporan.galat.append((1, f"Berkas terlalu besar: paling banyak {BATAS_BARIS} baris."))
        return laporan
    laporan.baris = len(rows)
    kode = {r.get(kolom_kode, "") for r in rows}
    by_kode = dict(Village.objects.filter(kode__in=kode).values_list("kode", "pk"))
    by_bps = dict(Village.objects.filter(kode_bps__in=kode).exclude(kode_bps="").values_list("kode_bps", "pk"))
    siap: dict[tuple[int, int], tuple[Decimal, str, int]] = {}
    for nomor, row in enumerate(rows, start=2):
        hasil = _periksa_baris(row, kolom_kode, by_kode, by_bps)
        if isinstance(hasil, str):
            laporan.galat.append((nomor, hasil))
            continue
        village_id, tahun, skor, status = hasil
        if (village_id, tahun) in siap:
            kode_desa = row.get(kolom_kode, "")
            laporan.galat.append(
                (nomor, f"Desa '{kode_desa}' tahun {tahun} sudah ada di baris {siap[(village_id, tahun)][2]}.")
            )
            continue
        siap[(village_id, tahun)] = (skor, status, nomor)
    if laporan.galat:
        return laporan
    objek = [
        StatusIdm(village_id=village_id, tahun=tahun, skor=skor, status=status)
        for (village_id, tahun), (skor, status, _nomor) in siap.items()
    ]
    with transaction.atomic():
        StatusIdm.objects.bulk_create(
            objek,
            update_conflicts=True,
            unique_fields=["village", "tahun"],
            update_fields=["skor", "status", "diimpor_pada"],
            batch_size=2000,
        )
    laporan.disimpan = len(objek)
    return laporan
