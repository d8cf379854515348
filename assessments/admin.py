from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class PainInline(admin.TabularInline):
    model = models.PainReport
    extra = 0


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["client", "assessed_on", "specialist"]
    list_filter = ["assessed_on"]
    raw_id_fields = ["client", "specialist"]
    inlines = [PainInline]


for section in (
    models.StaticPosture,
    models.TechNeck,
    models.PelvicTilt,
    models.OverheadSquat,
    models.Gait,
    models.SeniorTests,
    models.Postpartum,
    models.Youth,
):
    admin.site.register(section, SimpleHistoryAdmin, raw_id_fields=["assessment"])
