"""Keuangan desa (APBDes)."""
