from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from platform_core.accounts.models import Role, User


class RoleInline(admin.TabularInline[Role, User]):
    model = Role
    extra = 0
    raw_id_fields = ["village"]


@admin.register(User)
class BalaiUserAdmin(UserAdmin):  # type: ignore[type-arg]  # UserAdmin is generic only in stubs
    inlines = [RoleInline]
