"""Import of a Siskeudes (BPKP) export: a zip of per-table CSVs. Layout: docs/keuangan.md."""
