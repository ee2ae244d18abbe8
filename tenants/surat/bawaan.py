"""The built-in letter set every village starts from (copied into the village on first use).

Texts use the placeholders of tenants/surat/teks.py plus the template's own extra fields. Classification
codes follow the common village lists (470 kependudukan, 474 catatan sipil, 400 kesejahteraan, 503
perizinan, 300 ketenteraman/ketertiban, 140/145 pemerintahan desa).
"""

from __future__ import annotations

from typing import Any

F = dict[str, Any]


def _isian(nama: str, label: str, *, wajib: bool = True) -> F:
    return {"nama": nama, "label": label, "wajib": wajib}


def _dok(kode: str, label: str) -> F:
    return {"kode": kode, "label": label}


PENGANTAR = _dok("pengantar_rt", "Surat pengantar RT/RW")
KTP = _dok("ktp", "Fotokopi KTP-el")
KK = _dok("kk", "Fotokopi Kartu Keluarga")

PEMBUKA = (
    "Yang bertanda tangan di bawah ini [jabatan_penanda_tangan] [nama_desa], Kecamatan "
    "[kecamatan], [kabupaten], menerangkan dengan sebenarnya bahwa:"
)
IDENTITAS = (
    "Nama: [nama]\nNIK: [nik]\nTempat/tanggal lahir: [tempat_lahir], [tanggal_lahir]\n"
    "Jenis kelamin: [jenis_kelamin]\nAgama: [agama]\nStatus perkawinan: [status_kawin]\n"
    "Pekerjaan: [pekerjaan]\nKewarganegaraan: [kewarganegaraan]\nAlamat: [alamat]"
)
PENUTUP = "Demikian surat keterangan ini dibuat untuk dapat dipergunakan sebagaimana mestinya."


def _teks(*tengah: str) -> str:
    return "\n\n".join((PEMBUKA, IDENTITAS, *tengah, "Surat ini diberikan untuk keperluan: [keperluan].", PENUTUP))


TEMPLAT_BAWAAN: list[F] = [
    {
        "kode": "ket-domisili",
        "nama": "Surat Keterangan Domisili",
        "kode_klasifikasi": "470",
        "judul": "SURAT KETERANGAN DOMISILI",
        "isi": _teks("Orang tersebut benar berdomisili di [alamat], [jenis_desa] [nama_desa]."),
        "aturan_subjek": ["hidup"],
        "isian": [],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 90,
    },
    {
        "kode": "ket-usaha",
        "nama": "Surat Keterangan Usaha",
        "kode_klasifikasi": "503",
        "judul": "SURAT KETERANGAN USAHA",
        "isi": _teks(
            "Orang tersebut benar mempunyai usaha [nama_usaha] yang berlokasi di [lokasi_usaha] "
            "sejak tahun [sejak_tahun]."
        ),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [
            _isian("nama_usaha", "Nama/jenis usaha"),
            _isian("lokasi_usaha", "Lokasi usaha"),
            _isian("sejak_tahun", "Berusaha sejak tahun"),
        ],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 180,
    },
    {
        "kode": "sktm",
        "nama": "Surat Keterangan Tidak Mampu (SKTM)",
        "kode_klasifikasi": "400",
        "judul": "SURAT KETERANGAN TIDAK MAMPU",
        "isi": _teks(
            "Berdasarkan pengantar RT/RW dan pengetahuan kami, orang tersebut beserta keluarganya benar "
            "tergolong keluarga tidak mampu."
        ),
        "aturan_subjek": ["hidup"],
        "isian": [],
        "dokumen": [PENGANTAR, KK],
        "masa_berlaku_hari": 90,
    },
    {
        "kode": "ket-penghasilan",
        "nama": "Surat Keterangan Penghasilan",
        "kode_klasifikasi": "400",
        "judul": "SURAT KETERANGAN PENGHASILAN",
        "isi": _teks("Orang tersebut benar mempunyai penghasilan rata-rata Rp[penghasilan] per bulan."),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [_isian("penghasilan", "Penghasilan rata-rata per bulan (Rp)")],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 90,
    },
    {
        "kode": "ket-bekerja",
        "nama": "Surat Keterangan Bekerja",
        "kode_klasifikasi": "470",
        "judul": "SURAT KETERANGAN BEKERJA",
        "isi": _teks("Orang tersebut benar bekerja sebagai [jabatan_kerja] pada [tempat_kerja]."),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [_isian("tempat_kerja", "Tempat bekerja"), _isian("jabatan_kerja", "Jabatan/pekerjaan")],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 90,
    },
    {
        "kode": "ket-belum-menikah",
        "nama": "Surat Keterangan Belum Pernah Menikah",
        "kode_klasifikasi": "474",
        "judul": "SURAT KETERANGAN BELUM PERNAH MENIKAH",
        "isi": _teks("Menurut catatan register penduduk, orang tersebut sampai saat ini belum pernah menikah."),
        "aturan_subjek": ["hidup", "belum_kawin"],
        "isian": [],
        "dokumen": [PENGANTAR, KTP, KK],
        "masa_berlaku_hari": 90,
    },
    {
        "kode": "ket-kelahiran",
        "nama": "Surat Keterangan Kelahiran",
        "kode_klasifikasi": "474.1",
        "judul": "SURAT KETERANGAN KELAHIRAN",
        "isi": _teks(
            "Orang tersebut benar telah lahir di [tempat_lahir] pada tanggal [tanggal_lahir] pukul [jam_lahir], "
            "anak dari ayah [nama_ayah] dan ibu [nama_ibu]."
        ),
        "aturan_subjek": ["hidup"],
        "isian": [_isian("jam_lahir", "Jam lahir (mis. 08.30)", wajib=False)],
        "dokumen": [KK, _dok("ket_lahir", "Surat keterangan lahir dari bidan/rumah sakit")],
        "masa_berlaku_hari": None,
    },
    {
        "kode": "ket-kematian",
        "nama": "Surat Keterangan Kematian",
        "kode_klasifikasi": "474.3",
        "judul": "SURAT KETERANGAN KEMATIAN",
        "isi": (
            PEMBUKA + "\n\n" + IDENTITAS + "\n\n"
            "Telah meninggal dunia pada tanggal [tanggal_meninggal] di [tempat_meninggal] karena [sebab_meninggal]."
            "\n\nSurat ini diberikan atas permintaan [pelapor] ([hubungan_pelapor]) untuk keperluan: [keperluan]."
            "\n\n" + PENUTUP
        ),
        "aturan_subjek": ["mati"],
        "isian": [
            _isian("tanggal_meninggal", "Tanggal meninggal"),
            _isian("tempat_meninggal", "Tempat meninggal"),
            _isian("sebab_meninggal", "Sebab meninggal", wajib=False),
            _isian("pelapor", "Nama pelapor"),
            _isian("hubungan_pelapor", "Hubungan pelapor dengan almarhum/ah"),
        ],
        "dokumen": [KK, _dok("ket_meninggal", "Surat keterangan meninggal dari RT/dokter")],
        "masa_berlaku_hari": None,
    },
    {
        "kode": "ket-pindah",
        "nama": "Surat Keterangan Pindah",
        "kode_klasifikasi": "474.4",
        "judul": "SURAT KETERANGAN PINDAH",
        "isi": _teks(
            "Orang tersebut bermaksud pindah ke [alamat_tujuan] dengan alasan [alasan_pindah], "
            "beserta [jumlah_pengikut] orang anggota keluarga yang ikut pindah."
        ),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [
            _isian("alamat_tujuan", "Alamat tujuan pindah"),
            _isian("alasan_pindah", "Alasan pindah"),
            _isian("jumlah_pengikut", "Jumlah anggota keluarga yang ikut", wajib=False),
        ],
        "dokumen": [PENGANTAR, KK, KTP],
        "masa_berlaku_hari": 30,
    },
    {
        "kode": "pengantar-skck",
        "nama": "Surat Pengantar SKCK",
        "kode_klasifikasi": "300",
        "judul": "SURAT PENGANTAR PERMOHONAN SKCK",
        "isi": _teks(
            "Orang tersebut sepanjang pengetahuan kami berkelakuan baik dan tidak pernah tersangkut perkara "
            "pidana, dan bermaksud mengajukan Surat Keterangan Catatan Kepolisian (SKCK)."
        ),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [],
        "dokumen": [PENGANTAR, KTP, KK],
        "masa_berlaku_hari": 30,
    },
    {
        "kode": "pengantar-ktp-kk",
        "nama": "Surat Pengantar KTP-el / Kartu Keluarga",
        "kode_klasifikasi": "471",
        "judul": "SURAT PENGANTAR PERMOHONAN KTP-EL / KARTU KELUARGA",
        "isi": _teks("Orang tersebut bermaksud mengurus [jenis_dokumen] di Dinas Kependudukan dan Pencatatan Sipil."),
        "aturan_subjek": ["hidup"],
        "isian": [_isian("jenis_dokumen", "Dokumen yang diurus (KTP-el baru/ganti, KK baru/ubah)")],
        "dokumen": [PENGANTAR, KK],
        "masa_berlaku_hari": 30,
    },
    {
        "kode": "ket-kehilangan",
        "nama": "Surat Keterangan Kehilangan",
        "kode_klasifikasi": "300",
        "judul": "SURAT KETERANGAN KEHILANGAN",
        "isi": _teks(
            "Orang tersebut telah melaporkan kehilangan [barang_hilang] pada tanggal [tanggal_hilang] "
            "di sekitar [lokasi_hilang]."
        ),
        "aturan_subjek": ["hidup"],
        "isian": [
            _isian("barang_hilang", "Barang/dokumen yang hilang"),
            _isian("tanggal_hilang", "Tanggal kehilangan"),
            _isian("lokasi_hilang", "Lokasi kehilangan"),
        ],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 30,
    },
    {
        "kode": "izin-keramaian",
        "nama": "Surat Keterangan Izin Keramaian",
        "kode_klasifikasi": "300",
        "judul": "SURAT KETERANGAN IZIN KERAMAIAN",
        "isi": _teks(
            "Orang tersebut akan menyelenggarakan [acara] pada [waktu_acara] bertempat di [tempat_acara] "
            "dengan hiburan [hiburan], dan bertanggung jawab atas ketertiban selama acara."
        ),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [
            _isian("acara", "Nama acara"),
            _isian("waktu_acara", "Hari/tanggal dan jam acara"),
            _isian("tempat_acara", "Tempat acara"),
            _isian("hiburan", "Jenis hiburan", wajib=False),
        ],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 14,
    },
    {
        "kode": "surat-kuasa",
        "nama": "Surat Kuasa",
        "kode_klasifikasi": "140",
        "judul": "SURAT KUASA",
        "isi": (
            "Yang bertanda tangan di bawah ini:\n\n" + IDENTITAS + "\n\n"
            "Dengan ini memberikan kuasa kepada [nama_penerima_kuasa], NIK [nik_penerima_kuasa], alamat "
            "[alamat_penerima_kuasa], untuk [urusan_kuasa].\n\n"
            "Surat kuasa ini diketahui oleh [jabatan_penanda_tangan] [nama_desa] untuk keperluan: "
            "[keperluan].\n\n" + PENUTUP
        ),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [
            _isian("nama_penerima_kuasa", "Nama penerima kuasa"),
            _isian("nik_penerima_kuasa", "NIK penerima kuasa"),
            _isian("alamat_penerima_kuasa", "Alamat penerima kuasa"),
            _isian("urusan_kuasa", "Urusan yang dikuasakan"),
        ],
        "dokumen": [KTP, _dok("ktp_penerima", "Fotokopi KTP-el penerima kuasa")],
        "masa_berlaku_hari": 30,
    },
    {
        "kode": "ket-beda-identitas",
        "nama": "Surat Keterangan Beda Identitas",
        "kode_klasifikasi": "470",
        "judul": "SURAT KETERANGAN BEDA IDENTITAS",
        "isi": _teks(
            "Nama/data orang tersebut tertulis berbeda pada [dokumen_berbeda], yaitu tertulis [data_berbeda]. "
            "Data yang benar adalah sebagaimana tercantum dalam surat ini dan keduanya adalah orang yang sama."
        ),
        "aturan_subjek": ["hidup"],
        "isian": [
            _isian("dokumen_berbeda", "Dokumen yang datanya berbeda"),
            _isian("data_berbeda", "Data yang tertulis pada dokumen tersebut"),
        ],
        "dokumen": [PENGANTAR, KTP, _dok("dok_berbeda", "Fotokopi dokumen yang datanya berbeda")],
        "masa_berlaku_hari": None,
    },
    {
        "kode": "ket-kepemilikan",
        "nama": "Surat Keterangan Kepemilikan Tanah/Kendaraan",
        "kode_klasifikasi": "590",
        "judul": "SURAT KETERANGAN KEPEMILIKAN",
        "isi": _teks("Orang tersebut benar memiliki [objek] dengan keterangan: [keterangan_objek]."),
        "aturan_subjek": ["hidup", "dewasa"],
        "isian": [_isian("objek", "Tanah/kendaraan yang dimiliki"), _isian("keterangan_objek", "Keterangan/lokasi")],
        "dokumen": [PENGANTAR, KTP],
        "masa_berlaku_hari": 90,
    },
    {
        "kode": "ket-kepala-keluarga",
        "nama": "Surat Keterangan Kepala Keluarga",
        "kode_klasifikasi": "470",
        "judul": "SURAT KETERANGAN KEPALA KELUARGA",
        "isi": _teks("Orang tersebut benar adalah kepala keluarga pada Kartu Keluarga nomor [no_kk]."),
        "aturan_subjek": ["hidup", "kepala_keluarga"],
        "isian": [],
        "dokumen": [PENGANTAR, KK],
        "masa_berlaku_hari": 90,
    },
]
