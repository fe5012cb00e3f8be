"""结对帮扶 and 三必到三必访.

A secretary pairs a cadre or a micro-element (the helper) with a young person in difficulty
(Pairing). When something happens to a paired young person (MustVisitEvent: in hospital, a death in
the family, …) every active helper owes a visit within the county's deadline (MustVisitTask); a
logged visit closes the task, a missed deadline is escalated once to the township."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.fields import EncryptedTextField


class Pairing(models.Model):
    """结对: one helper (团干部 or 微元素) and one young person in difficulty. Ending keeps the row
    (the history of who helped whom); the same two may be paired again later."""

    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairings",
                               verbose_name=_("结对人"))
    helper_role = models.CharField(_("结对人身份"), max_length=20, choices=Role.choices)
    helper_node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("结对人所在组织"))
    person = models.ForeignKey("people.YoungPerson", on_delete=models.PROTECT, related_name="pairings",
                               verbose_name=_("结对青年"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("结对时间"), auto_now_add=True)
    is_active = models.BooleanField(_("结对中"), default=True)
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    end_reason = models.CharField(_("解除原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["helper", "person"], condition=Q(is_active=True),
                                    name="one_active_pairing_per_helper_and_person"),
            models.CheckConstraint(condition=Q(is_active=True, ended_at__isnull=True)
                                   | Q(is_active=False, ended_at__isnull=False),
                                   name="pairing_ended_iff_inactive"),
        ]
        indexes = [models.Index(fields=["is_active", "helper"]), models.Index(fields=["person", "is_active"])]

    def __str__(self):
        return f"{self.helper} · {self.person}"


class EventType(models.TextChoices):
    """三必到（住院、家有丧事、遇重大困难必到）and 三必访（重要考试前、节假日、思想波动必访）."""
    HOSPITALISED = "hospitalised", _("住院")
    BEREAVEMENT = "bereavement", _("家庭丧事")
    MAJOR_HARDSHIP = "major_hardship", _("重大困难")
    EXAM = "exam", _("重要考试")
    HOLIDAY = "holiday", _("节假日")
    DISTRESS = "distress", _("思想波动")


# Days a helper has to visit after the event, for a county that has set nothing.
DEFAULT_DEADLINE_DAYS = {
    EventType.HOSPITALISED: 3,
    EventType.BEREAVEMENT: 3,
    EventType.MAJOR_HARDSHIP: 3,
    EventType.EXAM: 7,
    EventType.HOLIDAY: 7,
    EventType.DISTRESS: 5,
}
MIN_DEADLINE_DAYS = 1
MAX_DEADLINE_DAYS = 60


class MustVisitRule(models.Model):
    """A county's own deadline for one event type (or the type switched off); absent: the default."""

    county = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="+")
    event_type = models.CharField(_("事项"), max_length=20, choices=EventType.choices)
    deadline_days = models.PositiveSmallIntegerField(_("走访时限（天）"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("三必到规则")
        verbose_name_plural = _("三必到规则")
        constraints = [models.UniqueConstraint(fields=["county", "event_type"], name="one_rule_per_county_and_type")]


class MustVisitEvent(models.Model):
    """Something that happened to a paired young person and calls for a visit (三必到三必访)."""

    person = models.ForeignKey("people.YoungPerson", on_delete=models.CASCADE, related_name="must_visit_events")
    event_type = models.CharField(_("事项"), max_length=20, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    # Free text about illness or a death is sensitive (PIPL): encrypted at rest like the person's notes.
    note = EncryptedTextField(_("情况说明"), blank=True, default="")
    deadline_days = models.PositiveSmallIntegerField(_("走访时限（天）"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("三必到事项")
        verbose_name_plural = _("三必到事项")
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.person} · {self.get_event_type_display()}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待走访")
    DONE = "done", _("已走访")
    CANCELLED = "cancelled", _("已取消")


class MustVisitTask(models.Model):
    """One helper's duty to visit one young person by `due_at` after an event. `helper` and
    `person` repeat the pairing's so the home page, the overdue list and the visit listener are one
    indexed query each. `visit_id` names the visit that closed it (the visits app's id, no foreign
    key: pairing does not depend on the visits app)."""

    event = models.ForeignKey(MustVisitEvent, on_delete=models.CASCADE, related_name="tasks")
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="tasks")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="must_visit_tasks")
    person = models.ForeignKey("people.YoungPerson", on_delete=models.CASCADE, related_name="must_visit_tasks")
    due_at = models.DateTimeField(_("走访截止"))
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    visit_id = models.BigIntegerField(_("走访记录"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("三必到任务")
        verbose_name_plural = _("三必到任务")
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "pairing"], name="one_task_per_event_and_pairing")]
        indexes = [models.Index(fields=["helper", "status", "due_at"]),
                   models.Index(fields=["person", "status"]),
                   models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return f"{self.helper} → {self.person} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < timezone.now()
