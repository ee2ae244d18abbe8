"""Siskeudes import: read the zip, check every row, write the year all or nothing, report in Indonesian.

`impor_jalankan(job)` is the core the Celery task `import_siskeudes_job` calls. It reads and checks the
whole export first (missing tables or columns, rows of another year, unknown account/kegiatan/source
codes, bad numbers or dates, realisation without a budget line): any such error fails the job with a
per-row report and writes NOTHING. Otherwise one transaction replaces the year's APBDes versions and
transactions with the imported ones and marks the job done (a job is written at most once).

Mapping (docs/keuangan.md): Ta_RABRinci rows become budget lines; `Anggaran` is the APBDes awal
(version 0) and, when any `AnggaranStlhPAK` differs, `AnggaranStlhPAK` is the perubahan (version 1);
both are ditetapkan. Revenue = Ta_TBPRinci on the Ta_TBP date; spending = Ta_SPPRinci of LS/PBY SPPs on
the SPP date plus Ta_SPJRinci (accountability of UM advances) on the SPJ date.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from platform_core.tenancy.schemas import current_schema
from tenants.keuangan import events, services
from tenants.keuangan import kode as kl
from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi
from tenants.keuangan.siskeudes.arsip import MAX_ZIP_BYTES, ArsipDitolak, Tabel, baca_zip
from tenants.keuangan.siskeudes.layout import SPP_LANGSUNG, SPP_PANJAR, WAJIB

if TYPE_CHECKING:
    from platform_core.accounts.models import User

logger = logging.getLogger(__name__)
UPLOAD_DIR = "impor-keuangan"
MAKS_GALAT_PER_JENIS = 200  # rows listed per table and kind of error; the rest are counted
NOL = Decimal("0.00")


@dataclass
class Laporan:
    galat: list[dict[str, Any]] = field(default_factory=list)
    peringatan: list[dict[str, Any]] = field(default_factory=list)
    hitung: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def error(self, tabel: str, baris: int | None, pesan: str, jenis: str = "") -> None:
        key = (tabel, jenis or pesan)
        self.hitung[key] += 1
        if self.hitung[key] <= MAKS_GALAT_PER_JENIS:
            self.galat.append({"tabel": tabel, "baris": baris, "pesan": pesan})

    def warn(self, tabel: str, baris: int | None, pesan: str) -> None:
        if len(self.peringatan) < MAKS_GALAT_PER_JENIS * 5:
            self.peringatan.append({"tabel": tabel, "baris": baris, "pesan": pesan})

    @property
    def jumlah_galat(self) -> int:
        return sum(self.hitung.values())

    def ringkasan_terpotong(self) -> list[dict[str, Any]]:
        return [
            {
                "tabel": t,
                "baris": None,
                "pesan": f"... dan {n - MAKS_GALAT_PER_JENIS:,} baris lain dengan galat yang sama.",
            }
            for (t, _), n in self.hitung.items()
            if n > MAKS_GALAT_PER_JENIS
        ]


@dataclass
class Hasil:
    awal: list[tuple[str, str, str, str, Decimal]] = field(default_factory=list)
    perubahan: list[tuple[str, str, str, str, Decimal]] | None = None
    transaksi: list[tuple[dt.date, str, str, str, Decimal, str, str]] = field(default_factory=list)


# --- parsing helpers ------------------------------------------------------------------------------------

TANGGAL_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%m/%d/%Y", "%Y/%m/%d")


def parse_tanggal(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    date_part = re.split(r"[ T]", text)[0]
    for fmt in TANGGAL_FORMATS:
        try:
            return dt.datetime.strptime(date_part, fmt).date()  # a calendar date, no zone
        except ValueError:
            continue
    return None


def kode_kegiatan_dari(kd_keg: str) -> str:
    """Siskeudes Kd_Keg is <Kd_Desa><BB>.<SS>.<KK>. -> 'BB.SS.KK'; '00.00.00' (non-belanja) -> ''."""
    parts = [p for p in (kd_keg or "").strip().strip(".").split(".") if p != ""]
    if len(parts) < 3:
        return ""
    code = ".".join(p.zfill(2) for p in parts[-3:])
    return "" if code == "00.00.00" else code


class _Rows:
    """Rows of one table as dicts of the needed columns, with their 1-based line number in the CSV."""

    def __init__(self, tabel: Tabel, kolom: tuple[str, ...]) -> None:
        lookup = {h.strip().lower(): i for i, h in enumerate(tabel.header)}
        self.nama = tabel.nama
        self.index = {k: lookup[k.lower()] for k in kolom if k.lower() in lookup}
        self.rows = tabel.rows

    def __iter__(self) -> Any:
        for n, row in enumerate(self.rows, start=2):
            yield n, {k: (row[i].strip() if i < len(row) else "") for k, i in self.index.items()}


def _cek_tabel(tables: dict[str, Tabel], laporan: Laporan) -> dict[str, _Rows]:
    out: dict[str, _Rows] = {}
    for nama, kolom in WAJIB.items():
        tabel = tables.get(nama.lower())
        if tabel is None:
            laporan.error(nama, None, f"Tabel {nama} tidak ada di dalam arsip (file {nama}.csv).")
            continue
        have = {h.strip().lower() for h in tabel.header}
        kurang = [k for k in kolom if k.lower() not in have]
        if kurang:
            laporan.error(nama, 1, f"Kolom {', '.join(kurang)} tidak ada pada tabel {nama}.")
            continue
        out[nama] = _Rows(tabel, kolom + tuple(k for k in ("ID_Keg", "Uraian", "Keterangan") if k not in kolom))
    return out


# --- checking -------------------------------------------------------------------------------------------


class Pemeriksa:
    def __init__(self, tahun: int, laporan: Laporan) -> None:
        self.tahun = tahun
        self.laporan = laporan
        self._kode: dict[tuple[str, str, str], tuple[str, str, str] | None] = {}
        self._pesan: dict[tuple[str, str, str], str] = {}
        self.kegiatan: dict[str, str] = {}

    def tahun_ok(self, tabel: str, n: int, row: dict[str, str]) -> bool:
        raw = row.get("Tahun", "")
        if raw.strip() != str(self.tahun):
            self.laporan.error(tabel, n, f"Tahun anggaran {raw or '(kosong)'}, bukan {self.tahun}.", jenis="tahun")
            return False
        return True

    def angka(self, tabel: str, n: int, kolom: str, raw: str) -> Decimal | None:
        if raw.strip() == "":
            return NOL
        try:
            return services.angka(raw)
        except ValidationError:
            self.laporan.error(tabel, n, f"Kolom {kolom} berisi '{raw}', bukan angka.", jenis="angka-" + kolom)
            return None

    def kode(self, tabel: str, n: int, row: dict[str, str]) -> tuple[str, str, str] | None:
        kd_keg = row.get("Kd_Keg", "").strip()
        keg = self.kegiatan[kd_keg] if kd_keg in self.kegiatan else kode_kegiatan_dari(kd_keg)
        key = (row.get("Kd_Rincian", ""), keg, row.get("SumberDana", ""))
        if key not in self._kode:
            try:
                self._kode[key] = services.periksa_kode(kode_rekening=key[0], kode_kegiatan=key[1], sumber_dana=key[2])
            except ValidationError as exc:
                self._kode[key] = None
                self._pesan[key] = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
        hasil = self._kode[key]
        if hasil is None:
            self.laporan.error(tabel, n, self._pesan[key], jenis="kode-" + "|".join(key))
        return hasil

    def tanggal(self, tabel: str, n: int, kolom: str, raw: str) -> dt.date | None:
        d = parse_tanggal(raw)
        if d is None:
            self.laporan.error(tabel, n, f"Kolom {kolom} berisi '{raw}', bukan tanggal.", jenis="tanggal")
            return None
        if d.year != self.tahun:
            self.laporan.error(tabel, n, f"Tanggal {d:%d-%m-%Y} di luar tahun anggaran {self.tahun}.", jenis="tgl-th")
            return None
        return d


def periksa(  # noqa: PLR0912, PLR0915  # one pass per table
    tables: dict[str, Tabel], tahun: int, laporan: Laporan, progres: Any = None
) -> Hasil:
    hasil = Hasil()
    t = _cek_tabel(tables, laporan)
    if laporan.jumlah_galat:
        return hasil
    p = Pemeriksa(tahun, laporan)

    for n, row in t["Ta_Kegiatan"]:
        if not p.tahun_ok("Ta_Kegiatan", n, row):
            continue
        id_keg = row.get("ID_Keg", "") or row["Kd_Keg"]
        kode = kode_kegiatan_dari(id_keg if id_keg.count(".") >= 2 else row["Kd_Keg"])
        if kode and kode not in kl.kegiatan():
            laporan.error("Ta_Kegiatan", n, f"Kode kegiatan '{kode}' tidak ada dalam daftar kegiatan.", "keg")
            continue
        p.kegiatan[row["Kd_Keg"].strip()] = kode
    if progres:
        progres("Memeriksa anggaran (Ta_RABRinci)…", 15)

    awal: list[tuple[str, str, str, str, Decimal]] = []
    pak: list[tuple[str, str, str, str, Decimal]] = []
    ada_pak = False
    rab_rinci: dict[tuple[str, str], Decimal] = defaultdict(lambda: NOL)
    for n, row in t["Ta_RABRinci"]:
        if not p.tahun_ok("Ta_RABRinci", n, row):
            continue
        kode3 = p.kode("Ta_RABRinci", n, row)
        a = p.angka("Ta_RABRinci", n, "Anggaran", row["Anggaran"])
        s = p.angka("Ta_RABRinci", n, "AnggaranStlhPAK", row["AnggaranStlhPAK"])
        if kode3 is None or a is None or s is None:
            continue
        if a < 0 or s < 0:
            laporan.error("Ta_RABRinci", n, "Anggaran tidak boleh negatif.", "negatif")
            continue
        uraian = row.get("Uraian", "")[:250]
        if a:
            awal.append((*kode3, uraian, a))
        if s:
            pak.append((*kode3, uraian, s))
        ada_pak = ada_pak or s != a
        rab_rinci[(row["Kd_Keg"].strip(), kode3[0])] += a
    hasil.awal = awal
    hasil.perubahan = pak if ada_pak else None
    if not awal and not laporan.jumlah_galat:
        laporan.error("Ta_RABRinci", None, f"Tidak ada baris anggaran tahun {tahun}.")

    for n, row in t["Ta_RAB"]:
        if not p.tahun_ok("Ta_RAB", n, row):
            continue
        a = p.angka("Ta_RAB", n, "Anggaran", row["Anggaran"])
        key = (row["Kd_Keg"].strip(), kl.bersihkan_kode(row["Kd_Rincian"]))
        if a is not None and rab_rinci.get(key, NOL) != a:
            rinci = rab_rinci.get(key, NOL)
            laporan.warn("Ta_RAB", n, f"Jumlah {key[1]} ({a:,.0f}) berbeda dari jumlah rinciannya ({rinci:,.0f}).")
    if progres:
        progres("Memeriksa penerimaan (Ta_TBP)…", 35)

    berlaku = {(r, k, s) for r, k, s, _, _ in (hasil.perubahan or hasil.awal)}

    def trx(tabel: str, n: int, row: dict[str, str], tanggal: dt.date | None, *, bukti: str, uraian: str) -> None:
        kode = p.kode(tabel, n, row)
        nilai = p.angka(tabel, n, "Nilai", row["Nilai"])
        if kode is None or nilai is None or tanggal is None:
            return
        if kode not in berlaku:
            laporan.error(
                tabel,
                n,
                f"Tidak ada baris anggaran {kode[0]} {kode[1]} ({kode[2]}) untuk realisasi ini.",
                jenis="tanpa-anggaran",
            )
            return
        if nilai:
            hasil.transaksi.append((tanggal, *kode, nilai, uraian[:250], bukti[:60]))

    tbp: dict[str, tuple[dt.date | None, str]] = {}
    for n, row in t["Ta_TBP"]:
        if p.tahun_ok("Ta_TBP", n, row):
            tbp[row["No_Bukti"]] = (p.tanggal("Ta_TBP", n, "Tgl_Bukti", row["Tgl_Bukti"]), row.get("Uraian", ""))
    for n, row in t["Ta_TBPRinci"]:
        if not p.tahun_ok("Ta_TBPRinci", n, row):
            continue
        head = tbp.get(row["No_Bukti"])
        if head is None:
            laporan.error("Ta_TBPRinci", n, f"No_Bukti {row['No_Bukti']} tidak ada di Ta_TBP.", "tbp-induk")
            continue
        trx("Ta_TBPRinci", n, row, head[0], bukti=row["No_Bukti"], uraian=head[1])
    if progres:
        progres("Memeriksa belanja (Ta_SPP, Ta_SPJ)…", 55)

    spp: dict[str, tuple[dt.date | None, str, str]] = {}
    for n, row in t["Ta_SPP"]:
        if not p.tahun_ok("Ta_SPP", n, row):
            continue
        jenis = row["Jn_SPP"].strip().upper()
        if jenis not in SPP_LANGSUNG + SPP_PANJAR:
            laporan.error("Ta_SPP", n, f"Jenis SPP '{row['Jn_SPP']}' tidak dikenal (LS, UM atau PBY).", "jn-spp")
            continue
        spp[row["No_SPP"]] = (p.tanggal("Ta_SPP", n, "Tgl_SPP", row["Tgl_SPP"]), jenis, row.get("Keterangan", ""))
    for n, row in t["Ta_SPPRinci"]:
        if not p.tahun_ok("Ta_SPPRinci", n, row):
            continue
        head_spp = spp.get(row["No_SPP"])
        if head_spp is None:
            laporan.error("Ta_SPPRinci", n, f"No_SPP {row['No_SPP']} tidak ada di Ta_SPP.", "spp-induk")
            continue
        if head_spp[1] in SPP_LANGSUNG:
            trx("Ta_SPPRinci", n, row, head_spp[0], bukti=row["No_SPP"], uraian=head_spp[2])
    spj: dict[str, tuple[dt.date | None, str]] = {}
    for n, row in t["Ta_SPJ"]:
        if p.tahun_ok("Ta_SPJ", n, row):
            spj[row["No_SPJ"]] = (p.tanggal("Ta_SPJ", n, "Tgl_SPJ", row["Tgl_SPJ"]), row.get("Keterangan", ""))
    for n, row in t["Ta_SPJRinci"]:
        if not p.tahun_ok("Ta_SPJRinci", n, row):
            continue
        head_spj = spj.get(row["No_SPJ"])
        if head_spj is None:
            laporan.error("Ta_SPJRinci", n, f"No_SPJ {row['No_SPJ']} tidak ada di Ta_SPJ.", "spj-induk")
            continue
        trx("Ta_SPJRinci", n, row, head_spj[0], bukti=row["No_SPJ"], uraian=head_spj[1])
    return hasil


# --- writing --------------------------------------------------------------------------------------------


def tulis(hasil: Hasil, tahun: int) -> dict[str, int]:
    """Replaces the year's finance data with the import. Runs inside the caller's transaction."""
    Transaksi.objects.filter(tahun=tahun).delete()
    BarisAnggaran.objects.filter(apbdes__tahun=tahun).delete()
    Apbdes.objects.filter(tahun=tahun).delete()
    catatan = "Diimpor dari Siskeudes"
    versions = [(0, hasil.awal)] + ([(1, hasil.perubahan)] if hasil.perubahan is not None else [])
    baris = 0
    for versi, rows in versions:
        apbdes = Apbdes.objects.create(
            tahun=tahun, versi=versi, status=Apbdes.Status.DITETAPKAN, asal=Apbdes.Asal.SISKEUDES, catatan=catatan
        )
        BarisAnggaran.objects.bulk_create(
            [
                BarisAnggaran(apbdes=apbdes, kode_rekening=r, kode_kegiatan=k, sumber_dana=s, uraian=u, jumlah=j)
                for r, k, s, u, j in rows
            ],
            batch_size=5000,
        )
        baris += len(rows)
    Transaksi.objects.bulk_create(
        [
            Transaksi(
                tahun=tahun,
                tanggal=d,
                kode_rekening=r,
                kode_kegiatan=k,
                sumber_dana=s,
                jumlah=j,
                uraian=u,
                no_bukti=b,
                asal=Transaksi.Asal.SISKEUDES,
            )
            for d, r, k, s, j, u, b in hasil.transaksi
        ],
        batch_size=5000,
    )
    events.diimpor(tahun=tahun, baris=baris, transaksi=len(hasil.transaksi))
    return {"versi": len(versions), "baris": baris, "transaksi": len(hasil.transaksi)}


# --- jobs -----------------------------------------------------------------------------------------------


def upload_dir() -> Path:
    """MEDIA_ROOT/impor-keuangan/<schema>/: outside the web root, never served."""
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / current_schema()


def impor_buat(*, upload: UploadedFile, tahun: int, petugas: User | None = None, antre: bool = True) -> ImporSiskeudes:
    """Stores an uploaded Siskeudes zip and queues its import (Celery "imports" queue) after commit."""
    services.wajib_desa()
    services._tahun_valid(tahun)  # same rule as manual entry
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": ["File kosong. Pilih file .zip hasil ekspor Siskeudes."]})
    if size > MAX_ZIP_BYTES:
        raise ValidationError(
            {"file": [f"File terlalu besar ({size / 1024 / 1024:.1f} MB; batas {MAX_ZIP_BYTES // 1024 // 1024} MB)."]}
        )
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / uuid.uuid4().hex
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = ImporSiskeudes.objects.create(
        tahun=tahun,
        nama_file=Path(upload.name or "siskeudes.zip").name[:200],
        path=str(target.relative_to(settings.MEDIA_ROOT)),
        petugas_id=petugas.pk if petugas else None,
        petugas_nama=petugas.get_username() if petugas else "",
    )
    if antre:
        transaction.on_commit(lambda: impor_antre(job=job))
    return job


ANTREAN_TIDAK_TERSEDIA = "Antrean pemrosesan sedang tidak tersedia; impor akan diproses setelah layanan pulih."


def impor_antre(*, job: ImporSiskeudes) -> bool:
    from tenants.keuangan.tasks import import_siskeudes_job

    try:
        import_siskeudes_job.delay(job.pk)
    except Exception:
        logger.exception("siskeudes import %s could not be queued", job.pk)
        ImporSiskeudes.objects.filter(pk=job.pk, status=ImporSiskeudes.Status.MENUNGGU).update(
            pesan=ANTREAN_TIDAK_TERSEDIA
        )
        return False
    return True


def _save(job: ImporSiskeudes, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImporSiskeudes.objects.filter(pk=job.pk).update(**fields)


def _discard(path: Path) -> None:
    root = (Path(settings.MEDIA_ROOT) / UPLOAD_DIR).resolve()
    try:
        resolved = path.resolve()
    except OSError:
        return
    if root in resolved.parents:
        resolved.unlink(missing_ok=True)


def impor_jalankan(job: ImporSiskeudes, *, path: Path | None = None) -> ImporSiskeudes:
    """Runs a job: check everything, then write all or nothing. Idempotent for a finished job."""
    if job.status in (ImporSiskeudes.Status.BERHASIL, ImporSiskeudes.Status.GAGAL):
        return job
    path = path or Path(settings.MEDIA_ROOT) / job.path
    _save(job, status=ImporSiskeudes.Status.BERJALAN, tahap="Membaca arsip…", persen=5)
    try:
        return _run(job, path)
    except Exception:
        logger.exception("siskeudes import %s crashed", job.pk)
        _save(
            job,
            status=ImporSiskeudes.Status.GAGAL,
            pesan="Impor gagal karena kesalahan sistem. Tidak ada data yang disimpan; coba lagi atau hubungi admin.",
            finished_at=timezone.now(),
        )
        return job
    finally:
        if job.status in (ImporSiskeudes.Status.BERHASIL, ImporSiskeudes.Status.GAGAL):
            _discard(path)


def _gagal(job: ImporSiskeudes, laporan: Laporan, pesan: str) -> ImporSiskeudes:
    _save(
        job,
        status=ImporSiskeudes.Status.GAGAL,
        pesan=pesan[:300],
        tahap="Selesai",
        persen=100,
        laporan={"galat": laporan.galat + laporan.ringkasan_terpotong(), "peringatan": laporan.peringatan},
        finished_at=timezone.now(),
    )
    return job


def _run(job: ImporSiskeudes, path: Path) -> ImporSiskeudes:
    laporan = Laporan()
    if services.is_kelurahan():
        laporan.error("arsip", None, services.PESAN_KELURAHAN)
        return _gagal(job, laporan, services.PESAN_KELURAHAN)
    try:
        tables = baca_zip(path)
    except ArsipDitolak as exc:
        laporan.error("arsip", None, exc.pesan)
        return _gagal(job, laporan, exc.pesan + " Tidak ada data yang disimpan.")

    def progres(tahap: str, persen: int) -> None:
        _save(job, tahap=tahap, persen=persen)

    progres("Memeriksa tabel…", 10)
    hasil = periksa(tables, job.tahun, laporan, progres)
    if laporan.jumlah_galat:
        return _gagal(
            job,
            laporan,
            f"{laporan.jumlah_galat:,} galat ditemukan. Tidak ada data yang disimpan; "
            "perbaiki ekspor lalu unggah ulang.",
        )
    progres("Menyimpan ke database…", 75)
    with transaction.atomic():
        locked = ImporSiskeudes.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImporSiskeudes.Status.BERHASIL:
            return locked
        jumlah = tulis(hasil, job.tahun)
        versi = "APBDes awal dan perubahan" if jumlah["versi"] == 2 else "APBDes awal"
        _save(
            job,
            status=ImporSiskeudes.Status.BERHASIL,
            tahap="Selesai",
            persen=100,
            pesan=(
                f"{versi} {job.tahun}: {jumlah['baris']:,} baris anggaran dan {jumlah['transaksi']:,} transaksi "
                "realisasi diimpor."
            )[:300],
            laporan={"galat": [], "peringatan": laporan.peringatan, "ringkasan": jumlah},
            finished_at=timezone.now(),
        )
    return job


def impor_file(path: Path, *, tahun: int, nama_file: str = "siskeudes.zip") -> ImporSiskeudes:
    """Synchronous import of a zip on disk (tests, bench, management use): creates the job and runs it."""
    job = ImporSiskeudes.objects.create(tahun=tahun, nama_file=nama_file[:200], path=str(path)[:300])
    return impor_jalankan(job, path=path)
