"""The Siskeudes tables and columns Balai reads (documented in docs/keuangan.md, "Impor Siskeudes").

Column names are matched case-insensitively; other columns are ignored. Ref_* tables are optional:
codes are checked against Balai's own code lists (tenants/keuangan/kode.py).
"""

from __future__ import annotations

#: table -> columns that must be present
WAJIB: dict[str, tuple[str, ...]] = {
    "Ta_Kegiatan": ("Tahun", "Kd_Keg", "Nama_Kegiatan"),
    "Ta_RAB": ("Tahun", "Kd_Keg", "Kd_Rincian", "Anggaran", "AnggaranStlhPAK"),
    "Ta_RABRinci": ("Tahun", "Kd_Keg", "Kd_Rincian", "SumberDana", "Uraian", "Anggaran", "AnggaranStlhPAK"),
    "Ta_TBP": ("Tahun", "No_Bukti", "Tgl_Bukti"),
    "Ta_TBPRinci": ("Tahun", "No_Bukti", "Kd_Keg", "Kd_Rincian", "SumberDana", "Nilai"),
    "Ta_SPP": ("Tahun", "No_SPP", "Tgl_SPP", "Jn_SPP"),
    "Ta_SPPRinci": ("Tahun", "No_SPP", "Kd_Keg", "Kd_Rincian", "SumberDana", "Nilai"),
    "Ta_SPJ": ("Tahun", "No_SPJ", "Tgl_SPJ", "No_SPP"),
    "Ta_SPJRinci": ("Tahun", "No_SPJ", "Kd_Keg", "Kd_Rincian", "SumberDana", "Nilai"),
}
#: optional tables (read when present, for names only)
PILIHAN = ("Ref_Bidang", "Ref_Kegiatan", "Ref_Rek4", "Ref_Sumber", "Ta_Desa")

#: Full column lists of the files Balai's fixture generator writes (as Siskeudes 2.0 exports them).
KOLOM_LENGKAP: dict[str, tuple[str, ...]] = {
    "Ta_Kegiatan": ("Tahun", "Kd_Desa", "Kd_Bid", "Kd_Keg", "ID_Keg", "Nama_Kegiatan", "Pagu", "Pagu_PAK"),
    "Ta_RAB": ("Tahun", "Kd_Desa", "Kd_Keg", "Kd_Rincian", "Anggaran", "AnggaranPAK", "AnggaranStlhPAK"),
    "Ta_RABRinci": (
        "Tahun",
        "Kd_Desa",
        "Kd_Keg",
        "Kd_Rincian",
        "Kd_SubRinci",
        "No_Urut",
        "SumberDana",
        "Uraian",
        "JmlSatuan",
        "Satuan",
        "HrgSatuan",
        "Anggaran",
        "JmlSatuanPAK",
        "HrgSatuanPAK",
        "AnggaranStlhPAK",
        "AnggaranPAK",
    ),
    "Ta_TBP": ("Tahun", "No_Bukti", "Tgl_Bukti", "Kd_Desa", "Uraian", "Jumlah", "KdBayar"),
    "Ta_TBPRinci": ("Tahun", "No_Bukti", "Kd_Desa", "Kd_Keg", "Kd_Rincian", "SumberDana", "Nilai"),
    "Ta_SPP": ("Tahun", "No_SPP", "Tgl_SPP", "Jn_SPP", "Kd_Desa", "Keterangan", "Jumlah", "Potongan"),
    "Ta_SPPRinci": ("Tahun", "No_SPP", "Kd_Desa", "Kd_Keg", "Kd_Rincian", "SumberDana", "Nilai"),
    "Ta_SPJ": ("Tahun", "No_SPJ", "Tgl_SPJ", "Kd_Desa", "No_SPP", "Keterangan", "Jumlah"),
    "Ta_SPJRinci": ("Tahun", "No_SPJ", "Kd_Desa", "Kd_Keg", "Kd_Rincian", "SumberDana", "No_Bukti", "JmlCair", "Nilai"),
    "Ref_Bidang": ("Kd_Bid", "Nama_Bidang"),
    "Ref_Sumber": ("Kode", "Nama_Sumber", "Urut"),
}

#: Jn_SPP values: LS (pembayaran langsung) and PBY (pengeluaran pembiayaan) are realised on the SPP date;
#: UM (uang muka/panjar) is realised through its SPJ (Ta_SPJRinci, on the SPJ date).
SPP_LANGSUNG = ("LS", "PBY")
SPP_PANJAR = ("UM",)
