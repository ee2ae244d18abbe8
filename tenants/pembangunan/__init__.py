"""Pembangunan dan transparansi."""
