"""Operating Balai: health and readiness, Prometheus metrics, JSON logs with the village code.

Nothing here holds business logic and nothing here does per-village work: a probe or a
scrape costs the same with 3 villages or 83,762.
"""
