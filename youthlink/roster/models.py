from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youthlink.core.fields import EncryptedTextField


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """One roster (.xlsx) imported into one node, run as a background job."""

    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("导入到"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="roster/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))


class RejectedRow(models.Model):
    """A row that could not be imported: its values (encrypted: they hold ID numbers and mobiles)
    and the reasons, so the user can download, fix and re-import just these rows."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField()
    values = EncryptedTextField()  # JSON list of the row's cells as read
    reasons = models.JSONField(default=list)  # [{"column": "身份证号码", "message": "..."}]

    class Meta:
        ordering = ["row_number"]
