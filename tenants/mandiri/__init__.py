"""Layanan mandiri warga."""
