from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core.forms import LogoField

from .models import Clearance, Client, Consent, Membership, Practice, Screening, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


@admin.register(User)
class RealignUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    # The logo gets the Practice page's limits and re-encoding here too (core.logos).
    formfield_overrides = {models.ImageField: {"form_class": LogoField}}


class ScreeningInline(admin.TabularInline):
    model = Screening
    extra = 0


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "practice", "specialist", "archived_at"]
    list_filter = ["practice", "archived_at"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["specialist"]
    inlines = [ScreeningInline]


admin.site.register(Clearance)
admin.site.register(Consent)
