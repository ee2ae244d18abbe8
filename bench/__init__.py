"""Benchmarks for Balai (`make bench`, `make bench BENCH=<name>`). See bench/README.md."""
