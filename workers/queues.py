"""Queues (architecture.md, "Workers"). Wiring only."""

QUEUE_NAMES = ["default", "outbox", "documents", "imports", "notifications", "maintenance"]
