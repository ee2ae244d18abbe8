"""The village's transactional outbox (architecture.md, "How the province sees villages").

Services write an event row in the same transaction as the change it describes; a
worker (issue 4) drains it into the province's fact table. Payloads carry ids and
codes, never personal data: they leave the village schema.
"""

from __future__ import annotations

from django.db import models


class OutboxEvent(models.Model):
    topic = models.CharField(max_length=60, db_index=True, help_text="e.g. penduduk.dibuat, penduduk.mati")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "outbox event"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(published_at__isnull=True), name="outbox_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
