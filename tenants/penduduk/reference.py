"""SIAK reference codes (Dukcapil), numbered as OpenSID's import template numbers them.

Taken from ../shared/data/opensid/FormatImporExcel.xlsm, sheet "Kode Data", so imports and
exports line up with the codes villages already use.
"""

from django.db import models


class JenisKelamin(models.IntegerChoices):
    LAKI_LAKI = 1, "Laki-laki"
    PEREMPUAN = 2, "Perempuan"


class Agama(models.IntegerChoices):
    ISLAM = 1, "Islam"
    KRISTEN = 2, "Kristen"
    KATHOLIK = 3, "Katholik"
    HINDU = 4, "Hindu"
    BUDHA = 5, "Budha"
    KHONGHUCU = 6, "Khonghucu"
    KEPERCAYAAN_TERHADAP_TUHAN_YME_LAINNYA = 7, "Kepercayaan terhadap Tuhan YME/Lainnya"


class PendidikanKK(models.IntegerChoices):
    TIDAK_BELUM_SEKOLAH = 1, "Tidak/Belum Sekolah"
    BELUM_TAMAT_SD_SEDERAJAT = 2, "Belum Tamat SD/Sederajat"
    TAMAT_SD_SEDERAJAT = 3, "Tamat SD/Sederajat"
    SLTP_SEDERAJAT = 4, "SLTP/Sederajat"
    SLTA_SEDERAJAT = 5, "SLTA/Sederajat"
    DIPLOMA_I_II = 6, "Diploma I/II"
    AKADEMI_DIPLOMA_III_S_MUDA = 7, "Akademi/Diploma III/Sarjana Muda"
    DIPLOMA_IV_STRATA_I = 8, "Diploma IV/Strata I"
    STRATA_II = 9, "Strata II"
    STRATA_III = 10, "Strata III"


class PendidikanSedang(models.IntegerChoices):
    BELUM_MASUK_TK_KELOMPOK_BERMAIN = 1, "Belum Masuk TK/Kelompok Bermain"
    SEDANG_TK_KELOMPOK_BERMAIN = 2, "Sedang TK/Kelompok Bermain"
    TIDAK_PERNAH_SEKOLAH = 3, "Tidak Pernah Sekolah"
    SEDANG_SD_SEDERAJAT = 4, "Sedang SD/Sederajat"
    TIDAK_TAMAT_SD_SEDERAJAT = 5, "Tidak Tamat SD/Sederajat"
    SEDANG_SLTP_SEDERAJAT = 6, "Sedang SLTP/Sederajat"
    SEDANG_SLTA_SEDERAJAT = 7, "Sedang SLTA/Sederajat"
    SEDANG_D_1_SEDERAJAT = 8, "Sedang D-1/Sederajat"
    SEDANG_D_2_SEDERAJAT = 9, "Sedang D-2/Sederajat"
    SEDANG_D_3_SEDERAJAT = 10, "Sedang D-3/Sederajat"
    SEDANG_S_1_SEDERAJAT = 11, "Sedang S-1/Sederajat"
    SEDANG_S_2_SEDERAJAT = 12, "Sedang S-2/Sederajat"
    SEDANG_S_3_SEDERAJAT = 13, "Sedang S-3/Sederajat"
    SEDANG_SLB_A_SEDERAJAT = 14, "Sedang SLB A/Sederajat"
    SEDANG_SLB_B_SEDERAJAT = 15, "Sedang SLB B/Sederajat"
    SEDANG_SLB_C_SEDERAJAT = 16, "Sedang SLB C/Sederajat"
    TIDAK_DAPAT_MEMBACA_DAN_MENULIS_HURUF_LA = 17, "Tidak Dapat Membaca dan Menulis Huruf Latin/Arab"
    TIDAK_SEDANG_SEKOLAH = 18, "Tidak Sedang Sekolah"


class Pekerjaan(models.IntegerChoices):
    BELUM_TIDAK_BEKERJA = 1, "Belum/Tidak Bekerja"
    MENGURUS_RUMAH_TANGGA = 2, "Mengurus Rumah Tangga"
    PELAJAR_MAHASISWA = 3, "Pelajar/Mahasiswa"
    PENSIUNAN = 4, "Pensiunan"
    PEGAWAI_NEGERI_SIPIL_PNS = 5, "Pegawai Negeri Sipil (PNS)"
    TENTARA_NASIONAL_INDONESIA_TNI = 6, "Tentara Nasional Indonesia (TNI)"
    KEPOLISIAN_RI_POLRI = 7, "Kepolisian RI (POLRI)"
    PERDAGANGAN = 8, "Perdagangan"
    PETANI_PEKEBUN = 9, "Petani/Pekebun"
    PETERNAK = 10, "Peternak"
    NELAYAN_PERIKANAN = 11, "Nelayan/Perikanan"
    INDUSTRI = 12, "Industri"
    KONSTRUKSI = 13, "Konstruksi"
    TRANSPORTASI = 14, "Transportasi"
    KARYAWAN_SWASTA = 15, "Karyawan Swasta"
    KARYAWAN_BUMN = 16, "Karyawan BUMN"
    KARYAWAN_BUMD = 17, "Karyawan BUMD"
    KARYAWAN_HONORER = 18, "Karyawan Honorer"
    BURUH_HARIAN_LEPAS = 19, "Buruh Harian Lepas"
    BURUH_TANI_PERKEBUNAN = 20, "Buruh Tani/Perkebunan"
    BURUH_NELAYAN_PERIKANAN = 21, "Buruh Nelayan/Perikanan"
    BURUH_PETERNAKAN = 22, "Buruh Peternakan"
    PEMBANTU_RUMAH_TANGGA = 23, "Pembantu Rumah Tangga"
    TUKANG_CUKUR = 24, "Tukang Cukur"
    TUKANG_LISTRIK = 25, "Tukang Listrik"
    TUKANG_BATU = 26, "Tukang Batu"
    TUKANG_KAYU = 27, "Tukang Kayu"
    TUKANG_SOL_SEPATU = 28, "Tukang Sol Sepatu"
    TUKANG_LAS_PANDAI_BESI = 29, "Tukang Las/Pandai Besi"
    TUKANG_JAHIT = 30, "Tukang Jahit"
    TUKANG_GIGI = 31, "Tukang Gigi"
    PENATA_RIAS = 32, "Penata Rias"
    PENATA_BUSANA = 33, "Penata Busana"
    PENATA_RAMBUT = 34, "Penata Rambut"
    MEKANIK = 35, "Mekanik"
    SENIMAN = 36, "Seniman"
    TABIB = 37, "Tabib"
    PARAJI = 38, "Paraji"
    PERANCANG_BUSANA = 39, "Perancang Busana"
    PENTERJEMAH = 40, "Penterjemah"
    IMAM_MASJID = 41, "Imam Masjid"
    PENDETA = 42, "Pendeta"
    PASTOR = 43, "Pastor"
    WARTAWAN = 44, "Wartawan"
    USTADZ_MUBALIGH = 45, "Ustadz/Mubaligh"
    JURU_MASAK = 46, "Juru Masak"
    PROMOTOR_ACARA = 47, "Promotor Acara"
    ANGGOTA_DPR_RI = 48, "Anggota DPR-RI"
    ANGGOTA_DPD = 49, "Anggota DPD"
    ANGGOTA_BPK = 50, "Anggota BPK"
    PRESIDEN = 51, "Presiden"
    WAKIL_PRESIDEN = 52, "Wakil Presiden"
    ANGGOTA_MAHKAMAH_KONSTITUSI = 53, "Anggota Mahkamah Konstitusi"
    ANGGOTA_KABINET_KEMENTERIAN = 54, "Anggota Kabinet Kementerian"
    DUTA_BESAR = 55, "Duta Besar"
    GUBERNUR = 56, "Gubernur"
    WAKIL_GUBERNUR = 57, "Wakil Gubernur"
    BUPATI = 58, "Bupati"
    WAKIL_BUPATI = 59, "Wakil Bupati"
    WALIKOTA = 60, "Walikota"
    WAKIL_WALIKOTA = 61, "Wakil Walikota"
    ANGGOTA_DPRD_PROVINSI = 62, "Anggota DPRD Provinsi"
    ANGGOTA_DPRD_KABUPATEN_KOTA = 63, "Anggota DPRD Kabupaten/Kota"
    DOSEN = 64, "Dosen"
    GURU = 65, "Guru"
    PILOT = 66, "Pilot"
    PENGACARA = 67, "Pengacara"
    NOTARIS = 68, "Notaris"
    ARSITEK = 69, "Arsitek"
    AKUNTAN = 70, "Akuntan"
    KONSULTAN = 71, "Konsultan"
    DOKTER = 72, "Dokter"
    BIDAN = 73, "Bidan"
    PERAWAT = 74, "Perawat"
    APOTEKER = 75, "Apoteker"
    PSIKIATER_PSIKOLOG = 76, "Psikiater/Psikolog"
    PENYIAR_TELEVISI = 77, "Penyiar Televisi"
    PENYIAR_RADIO = 78, "Penyiar Radio"
    PELAUT = 79, "Pelaut"
    PENELITI = 80, "Peneliti"
    SOPIR = 81, "Sopir"
    PIALANG = 82, "Pialang"
    PARANORMAL = 83, "Paranormal"
    PEDAGANG = 84, "Pedagang"
    PERANGKAT_DESA = 85, "Perangkat Desa"
    KEPALA_DESA = 86, "Kepala Desa"
    BIARAWATI = 87, "Biarawati"
    WIRASWASTA = 88, "Wiraswasta"
    LAINNYA = 89, "Lainnya"


class StatusKawin(models.IntegerChoices):
    BELUM_KAWIN = 1, "Belum Kawin"
    KAWIN = 2, "Kawin"
    CERAI_HIDUP = 3, "Cerai Hidup"
    CERAI_MATI = 4, "Cerai Mati"


class Hubungan(models.IntegerChoices):
    KEPALA_KELUARGA = 1, "Kepala Keluarga"
    SUAMI = 2, "Suami"
    ISTRI = 3, "Istri"
    ANAK = 4, "Anak"
    MENANTU = 5, "Menantu"
    CUCU = 6, "Cucu"
    ORANGTUA = 7, "Orangtua"
    MERTUA = 8, "Mertua"
    FAMILI_LAIN = 9, "Famili Lain"
    PEMBANTU = 10, "Pembantu"
    LAINNYA = 11, "Lainnya"


class Warganegara(models.IntegerChoices):
    WNI = 1, "WNI"
    WNA = 2, "WNA"
    DUA_KEWARGANEGARAAN = 3, "Dua Kewarganegaraan"


class GolonganDarah(models.IntegerChoices):
    A = 1, "A"
    B = 2, "B"
    AB = 3, "AB"
    O = 4, "O"  # noqa: E741  # the blood group is called O
    A_POSITIF = 5, "A+"
    A_NEGATIF = 6, "A-"
    B_POSITIF = 7, "B+"
    B_NEGATIF = 8, "B-"
    AB_POSITIF = 9, "AB+"
    AB_NEGATIF = 10, "AB-"
    O_POSITIF = 11, "O+"
    O_NEGATIF = 12, "O-"
    TIDAK_TAHU = 13, "Tidak Tahu"


class Cacat(models.IntegerChoices):
    CACAT_FISIK = 1, "Cacat Fisik"
    CACAT_NETRA_BUTA = 2, "Cacat Netra/Buta"
    CACAT_RUNGU_WICARA = 3, "Cacat Rungu/Wicara"
    CACAT_MENTAL_JIWA = 4, "Cacat Mental/Jiwa"
    CACAT_FISIK_DAN_MENTAL = 5, "Cacat Fisik dan Mental"
    CACAT_LAINNYA = 6, "Cacat Lainnya"
    TIDAK_CACAT = 7, "Tidak Cacat"


class CaraKB(models.IntegerChoices):
    PIL = 1, "Pil"
    IUD = 2, "IUD"
    SUNTIK = 3, "Suntik"
    KONDOM = 4, "Kondom"
    SUSUK_KB = 5, "Susuk KB"
    STERILISASI_WANITA = 6, "Sterilisasi Wanita"
    STERILISASI_PRIA = 7, "Sterilisasi Pria"
    LAINNYA = 99, "Lainnya"


class KtpEl(models.IntegerChoices):
    BELUM = 1, "Belum"
    KTP_EL = 2, "KTP-el"


class StatusRekam(models.IntegerChoices):
    BELUM_WAJIB = 1, "Belum Wajib"
    BELUM_REKAM = 2, "Belum Rekam"
    SUDAH_REKAM = 3, "Sudah Rekam"
    CARD_PRINTED = 4, "Card Printed"
    PRINT_READY_RECORD = 5, "Print Ready Record"
    CARD_SHIPPED = 6, "Card Shipped"
    SENT_FOR_CARD_PRINTING = 7, "Sent For Card Printing"
    CARD_ISSUED = 8, "Card Issued"


class StatusDasar(models.IntegerChoices):
    HIDUP = 1, "Hidup"
    MATI = 2, "Mati"
    PINDAH = 3, "Pindah"
    HILANG = 4, "Hilang"
    PERGI = 6, "Pergi"
    TIDAK_VALID = 9, "Tidak Valid"


class Asuransi(models.IntegerChoices):
    TIDAK_BELUM_PUNYA = 1, "Tidak/Belum Punya"
    BPJS_PENERIMA_BANTUAN_IURAN = 2, "BPJS Penerima Bantuan Iuran"
    BPJS_NON_PENERIMA_BANTUAN_IURAN = 3, "BPJS Non Penerima Bantuan Iuran"
    BPJS_BANTUAN_DAERAH = 4, "BPJS Bantuan Daerah"
    ASURANSI_LAINNYA = 99, "Asuransi Lainnya"


#: Every code list, by the field name the API uses. Served at /api/penduduk/referensi/.


# --- Not in OpenSID's "Kode Data" sheet; codes as OpenSID's own tables number them -------------


class StatusPenduduk(models.IntegerChoices):
    TETAP = 1, "Tetap"
    TIDAK_TETAP = 2, "Tidak Tetap"


class Hamil(models.IntegerChoices):
    HAMIL = 1, "Hamil"
    TIDAK_HAMIL = 2, "Tidak Hamil"


class SakitMenahun(models.IntegerChoices):
    JANTUNG = 1, "Jantung"
    LEVER = 2, "Lever"
    PARU_PARU = 3, "Paru-paru"
    KANKER = 4, "Kanker"
    STROKE = 5, "Stroke"
    DIABETES_MELITUS = 6, "Diabetes Melitus"
    GINJAL = 7, "Ginjal"
    MALARIA = 8, "Malaria"
    LEPRA_KUSTA = 9, "Lepra/Kusta"
    HIV_AIDS = 10, "HIV/AIDS"
    GILA_STRESS = 11, "Gangguan Jiwa/Stres"
    TBC = 12, "TBC"
    ASTHMA = 13, "Asma"
    TIDAK_ADA = 14, "Tidak Ada/Tidak Sakit"


class HubunganRumahTangga(models.IntegerChoices):
    KEPALA = 1, "Kepala Rumah Tangga"
    ANGGOTA = 2, "Anggota"


class JenisPeristiwa(models.IntegerChoices):
    """Events that change the register (domain.md "Peristiwa")."""

    LAHIR = 1, "Lahir"
    MATI = 2, "Mati"
    PINDAH_KELUAR = 3, "Pindah keluar"
    HILANG = 4, "Hilang"
    DATANG = 5, "Datang (pindah masuk)"
    PERGI = 6, "Pergi (penduduk sementara)"


class TingkatPindah(models.IntegerChoices):
    """How far a resident moved out: the destination's level."""

    ANTAR_DESA = 1, "Antar desa/kelurahan dalam satu kecamatan"
    ANTAR_KECAMATAN = 2, "Antar kecamatan dalam satu kabupaten/kota"
    ANTAR_KABUPATEN = 3, "Antar kabupaten/kota dalam satu provinsi"
    ANTAR_PROVINSI = 4, "Antar provinsi"
    LUAR_NEGERI = 5, "Ke luar negeri"


# Every code list by the field name that uses it (API /referensi/, imports, statistics).
TABLES: dict[str, type[models.IntegerChoices]] = {
    "jenis_kelamin": JenisKelamin,
    "agama": Agama,
    "pendidikan_kk": PendidikanKK,
    "pendidikan_sedang": PendidikanSedang,
    "pekerjaan": Pekerjaan,
    "status_kawin": StatusKawin,
    "hubungan": Hubungan,
    "warganegara": Warganegara,
    "golongan_darah": GolonganDarah,
    "cacat": Cacat,
    "cara_kb": CaraKB,
    "ktp_el": KtpEl,
    "status_rekam": StatusRekam,
    "status_dasar": StatusDasar,
    "asuransi": Asuransi,
    "status_penduduk": StatusPenduduk,
    "hamil": Hamil,
    "sakit_menahun": SakitMenahun,
    "hubungan_rtm": HubunganRumahTangga,
    "jenis_peristiwa": JenisPeristiwa,
    "tingkat_pindah": TingkatPindah,
}
