"""Layanan surat."""
