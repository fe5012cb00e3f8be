from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    REVEAL = "reveal", _("查看敏感信息")
    PERSON_CREATE = "person.create", _("新建青年档案")
    PERSON_UPDATE = "person.update", _("修改青年档案")
    BIND = "bind", _("青年之友绑定")
    LINK = "link", _("三联结对")
    UNLINK = "unlink", _("解除三联")
    ROSTER_IMPORT = "roster.import", _("名册导入")
    CONSENT = "consent", _("同意隐私告知")
    SOCIAL_ORG_CREATE = "social_org.create", _("新建社会组织")
    VISIT_LOG = "visit.log", _("记录走访")
    PAIRING_CREATE = "pairing.create", _("新建结对")
    PAIRING_END = "pairing.end", _("解除结对")
    PAIRING_EVENT = "pairing.event", _("登记三必到事项")
    PAIRING_TASKS_CLOSE = "pairing.tasks_close", _("走访完成三必到任务")
    PAIRING_ESCALATE = "pairing.escalate", _("三必到逾期上报")
    PAIRING_RULES = "pairing.rules", _("修改三必到规则")
    # 听结办: requests from young people (appeals)
    APPEAL_SUBMIT = "appeal.submit", _("提交诉求")
    APPEAL_PUBLISH = "appeal.publish", _("审核发布")
    APPEAL_KEEP_PRIVATE = "appeal.private", _("审核：不公开办理")
    APPEAL_MERGE = "appeal.merge", _("合并重复诉求")
    APPEAL_REJECT = "appeal.reject", _("审核不通过")
    APPEAL_CLAIM = "appeal.claim", _("认领诉求")
    APPEAL_ASSIGN = "appeal.assign", _("指派诉求")
    APPEAL_ESCALATE = "appeal.escalate", _("上报上级")
    APPEAL_AUTO_ESCALATE = "appeal.auto_escalate", _("逾期自动上报")
    APPEAL_REFER = "appeal.refer", _("转交资源方")
    APPEAL_RESPOND = "appeal.respond", _("答复进展")
    APPEAL_RESOLVE = "appeal.resolve", _("办结")
    APPEAL_CONFIRM = "appeal.confirm", _("确认解决并评价")
    APPEAL_REOPEN = "appeal.reopen", _("未解决，重新办理")
    APPEAL_AUTO_CLOSE = "appeal.auto_close", _("超期未确认，自动办结")
    APPEAL_COMMENT = "appeal.comment", _("评论诉求")
    APPEAL_CATEGORY = "appeal.category", _("修改诉求类别")
    # 工作网络日记: check-in, diary, review, ratings and surveys
    DIARY_CHECKIN = "diary.checkin", _("报到")
    DIARY_ENTRY = "diary.entry", _("写工作日记")
    DIARY_REVIEW = "diary.review", _("调阅点评")
    DIARY_COMMENT = "diary.comment", _("日记评论")
    DIARY_SUMMARY = "diary.summary", _("发送点评汇总")
    CADRE_RATE = "cadre.rate", _("评价团干部")
    SURVEY_CREATE = "survey.create", _("发起满意度测评")
    SURVEY_RESPOND = "survey.respond", _("填写满意度测评")
    # outbound notification channels (email, group robots)
    CHANNEL_CHANGE = "channel.change", _("修改通知渠道")


class AuditEvent(models.Model):
    """Append-only: rows are written by services and never changed. The database itself refuses
    UPDATE (a trigger on both SQLite and PostgreSQL); the product offers no edit or delete.
    No foreign keys, so deleting a user or a record cannot rewrite history."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True)
    actor_label = models.CharField(_("操作人"), max_length=80)
    action = models.CharField(_("操作"), max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(_("对象类型"), max_length=40)
    target_id = models.BigIntegerField(_("对象ID"), null=True)
    target_label = models.CharField(_("对象"), max_length=80, blank=True)
    node_path = models.CharField(max_length=255, blank=True, db_index=True)
    field = models.CharField(_("字段"), max_length=40, blank=True)
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"
