"""Requests for the search, similar-request and poster tests, written with the ORM as review leaves
them: the public text is the redaction of the private one, and the token columns are filled by
index_fields (what the intake and review services call before saving)."""
from __future__ import annotations

from django.utils import timezone

from youthlink.appeals.models import Appeal, Category, Source, Status
from youthlink.appeals.redaction import identifiers_for, redact
from youthlink.appeals.search import index_fields

PUBLISHED = (Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED, Status.SOLVED, Status.SOLVED_UNCONFIRMED)


def category(key: str) -> Category:
    return Category.objects.get(county=None, key=key)


def make_appeal(county, *, title: str, body: str, status: str = Status.OPEN, node=None, submitted_by=None,
                category_key: str = "other", person=None, subject_name: str = "", is_minor: bool = False,
                public_title: str | None = None, public_body: str | None = None) -> Appeal:
    """A request in `county` (its village unless `node`), submitted by its micro-element. Published
    (reviewed, public) unless the status is pending or rejected."""
    node = node or county.village
    township = node if node.kind == "township" else county.township
    appeal = Appeal(kind="request", source=Source.COLLECTED, collected_from="moments", category=category(category_key),
                    title=title, body=body, node=node, node_path=node.path, handling_node=township,
                    person=person, subject_name=subject_name, is_minor=is_minor, status=status,
                    submitted_by=submitted_by or county.micro, consent_to_publish=True)
    if status in PUBLISHED:
        ids = identifiers_for(appeal)
        appeal.is_public = True
        appeal.public_title = redact(title, ids) if public_title is None else public_title
        appeal.public_body = redact(body, ids) if public_body is None else public_body
        appeal.published_at = timezone.now()
        appeal.reviewed_by = county.secretary
        appeal.reviewed_at = appeal.published_at
    index_fields(appeal)
    appeal.save()
    return appeal
