"""Province staff manage villages and their domains here (apex domain only).

Villages are created by `balai provision` (template clone), never by the admin's
add form: a Village row without its schema would be a broken village.

Lifecycle (docs/lifecycle.md): the status is read-only in the form; suspend, resume,
retire and rename are actions that ask for a reason and go through
platform_core.tenancy.lifecycle, which writes the append-only RiwayatDesa log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from platform_core.tenancy import lifecycle
from platform_core.tenancy.models import Domain, RiwayatDesa, Village


class DomainInline(admin.TabularInline[Domain, Village]):
    model = Domain
    extra = 0


class RiwayatInline(admin.TabularInline[RiwayatDesa, Village]):
    model = RiwayatDesa
    extra = 0
    can_delete = False
    fields = ["waktu", "aksi", "status_sebelum", "status_sesudah", "alasan", "oleh", "rincian"]
    readonly_fields = ["waktu", "aksi", "status_sebelum", "status_sesudah", "alasan", "oleh", "rincian"]
    ordering = ["-waktu", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AlasanForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan", widget=forms.Textarea(attrs={"rows": 3}), help_text="Dicatat di riwayat desa (append-only)."
    )


class GantiSlugForm(AlasanForm):
    slug = forms.CharField(label="Slug baru", max_length=63, help_text="Huruf kecil, angka, tanda hubung.")
    domain = forms.CharField(
        label="Domain baru (opsional)", required=False, help_text="Kosongkan untuk <slug>.<domain dasar>."
    )


Service = Callable[..., RiwayatDesa]


def _lifecycle_action(
    modeladmin: VillageAdmin,
    request: HttpRequest,
    queryset: QuerySet[Village],
    *,
    service: Service,
    judul: str,
    form_class: type[AlasanForm] = AlasanForm,
) -> HttpResponse | None:
    """An intermediate page asking for the reason (Django's delete-confirmation pattern)."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        ok = 0
        for village in queryset:
            try:
                service(village=village, oleh=request.user.get_username(), **data)
            except ValidationError as exc:
                modeladmin.message_user(request, f"{village}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                ok += 1
        if ok:
            modeladmin.message_user(request, f"{judul}: {ok} desa. Tercatat di riwayat desa.", messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": judul,
        "judul": judul,
        "villages": list(queryset),
        "form": form,
        "action": request.POST.get("action", ""),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/tenancy/village/lifecycle_action.html", context)


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin[Village]):
    list_display = ["kode", "nama", "jenis", "kecamatan", "slug", "status"]
    list_filter = ["jenis", "status", "kecamatan__kabupaten"]
    search_fields = ["kode", "nama", "slug"]
    list_select_related = ["kecamatan"]
    readonly_fields = ["schema_name", "kode", "nama", "jenis", "kecamatan", "slug", "status", "created_at"]
    inlines = [DomainInline, RiwayatInline]
    actions = ["tangguhkan", "aktifkan", "pensiunkan", "ganti_slug"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Village | None = None) -> bool:
        return False

    @admin.action(description="Tangguhkan (hanya dapat dibaca)", permissions=["change"])
    def tangguhkan(self, request: HttpRequest, queryset: QuerySet[Village]) -> HttpResponse | None:
        return _lifecycle_action(self, request, queryset, service=lifecycle.tangguhkan, judul="Tangguhkan desa")

    @admin.action(description="Aktifkan kembali", permissions=["change"])
    def aktifkan(self, request: HttpRequest, queryset: QuerySet[Village]) -> HttpResponse | None:
        return _lifecycle_action(self, request, queryset, service=lifecycle.aktifkan, judul="Aktifkan kembali desa")

    @admin.action(description="Pensiunkan (data disimpan, akses ditutup)", permissions=["change"])
    def pensiunkan(self, request: HttpRequest, queryset: QuerySet[Village]) -> HttpResponse | None:
        return _lifecycle_action(self, request, queryset, service=lifecycle.pensiunkan, judul="Pensiunkan desa")

    @admin.action(description="Ganti slug/domain (pilih satu desa)", permissions=["change"])
    def ganti_slug(self, request: HttpRequest, queryset: QuerySet[Village]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Ganti slug/domain: pilih tepat satu desa.", messages.ERROR)
            return None
        return _lifecycle_action(
            self,
            request,
            queryset,
            service=_ganti_slug_form,
            judul="Ganti slug/domain desa",
            form_class=GantiSlugForm,
        )


def _ganti_slug_form(*, village: Village, oleh: str, slug: str, alasan: str, domain: str = "") -> RiwayatDesa:
    return lifecycle.ganti_slug(village=village, slug=slug, alasan=alasan, oleh=oleh, domain=domain or None)


@admin.register(RiwayatDesa)
class RiwayatDesaAdmin(admin.ModelAdmin[RiwayatDesa]):
    """Read-only: the log is append-only (a database trigger refuses UPDATE and DELETE)."""

    list_display = ["waktu", "village", "aksi", "status_sebelum", "status_sesudah", "oleh", "alasan"]
    list_filter = ["aksi"]
    search_fields = ["village__kode", "village__nama", "oleh", "alasan"]
    list_select_related = ["village"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
