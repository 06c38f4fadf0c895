"""Every write of the market position statement: the draft's sections, publishing a version, comments and responses.
Each checks the person may do it, and is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.core.queue import enqueue_on_commit
from carenetwork.core.registry import statement_blocks
from carenetwork.market import permissions, statement
from carenetwork.market.models import (
    MarketSettings,
    SectionComment,
    StatementSection,
    StatementVersion,
    VersionSection,
)

SECTION_FIELDS = ["order", "heading", "body"]


def draft_sections() -> list[StatementSection]:
    """The draft's sections; a first draft (nothing written or published yet) starts with the toolkit's five."""
    sections = list(StatementSection.objects.all())
    if not sections and not StatementVersion.objects.exists():
        with transaction.atomic():
            for order, (heading, body) in enumerate(statement.DEFAULT_SECTIONS, start=1):
                StatementSection.objects.create(order=order * 10, heading=heading, body=body)
        sections = list(StatementSection.objects.all())
    return sections


def _check_blocks(body: str) -> None:
    unknown = statement.unknown_blocks(body)
    if unknown:
        known = ", ".join(f"[[{key}]]" for key in statement_blocks())
        raise ValidationError(
            {
                "body": _("%(unknown)s is not a live block. The live blocks are %(known)s")
                % {"unknown": ", ".join(f"[[{key}]]" for key in unknown), "known": known}
            }
        )


@transaction.atomic
def section_save(*, actor, section: StatementSection | None, data: dict) -> StatementSection:
    """Add a section to the draft (section None) or change one."""
    require(permissions.can_edit_statement(actor))
    if data.get("body") is not None:
        data = {**data, "body": statement.normalise(data["body"])}
    _check_blocks(data.get("body", ""))
    creating = section is None
    if creating:
        top = StatementSection.objects.aggregate(top=Max("order"))["top"] or 0
        section = StatementSection(order=top + 10)
    before = {} if creating else audit.snapshot(section, SECTION_FIELDS)
    for name in SECTION_FIELDS:
        if name in data and data[name] is not None:
            setattr(section, name, data[name])
    section.updated_by = actor
    section.full_clean()
    section.save()
    audit.record(
        actor=actor,
        action="statement_section.created" if creating else "statement_section.updated",
        obj=section,
        changes=audit.diff(before, audit.snapshot(section, SECTION_FIELDS)),
    )
    return section


@transaction.atomic
def section_delete(*, actor, section: StatementSection) -> None:
    """Take a section out of the draft; published versions keep it."""
    require(permissions.can_edit_statement(actor))
    audit.record(actor=actor, action="statement_section.deleted", obj=section, changes={"heading": section.heading})
    section.delete()


def statement_publish(*, actor, summary: str, notify: bool = True) -> StatementVersion:
    """Freeze the draft, with every block's figures as they are now, into the next numbered version; email every
    member once it is saved (unless `notify` is false: the demo)."""
    require(permissions.can_edit_statement(actor))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Say in a sentence what has changed in this version")})
    if len(summary) > StatementVersion._meta.get_field("summary").max_length:
        raise ValidationError({"summary": _("What has changed must be 500 characters or fewer")})
    sections = draft_sections()
    if not sections:
        raise ValidationError({"summary": _("The draft has no sections: add one before publishing")})
    for section in sections:
        try:
            _check_blocks(section.body)
        except ValidationError as error:
            raise ValidationError(
                {"summary": _("%(heading)s: %(error)s") % {"heading": section.heading, "error": error.messages[0]}}
            ) from error
    cache = statement.BlockCache()
    parts = [statement.parts_of(section.body, cache) for section in sections]
    try:
        with transaction.atomic():
            number = (StatementVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
            version = StatementVersion.objects.create(
                number=number,
                published_at=timezone.now(),
                published_by=actor,
                summary=summary,
                mailbox=MarketSettings.current().mailbox,
            )
            VersionSection.objects.bulk_create(
                VersionSection(
                    version=version,
                    section_key=section.pk,
                    order=index,
                    heading=section.heading,
                    body=section.body,
                    parts=section_parts,
                )
                for index, (section, section_parts) in enumerate(zip(sections, parts, strict=True), start=1)
            )
            audit.record(actor=actor, action="statement.published", obj=version, changes={"number": number})
            if notify:
                from carenetwork.market.tasks import send_statement_published

                enqueue_on_commit(send_statement_published, version.pk)
    except IntegrityError as error:  # another officer published the same number a moment before
        message = _("Another version was published just now. Check it, then try again")
        raise ValidationError({"summary": message}) from error
    return version


def current_version() -> StatementVersion | None:
    """The latest published version (versions are ordered newest first), or None."""
    return StatementVersion.objects.first()


def comments_awaiting_response() -> int:
    return SectionComment.objects.filter(response="").count()


@transaction.atomic
def comment_add(*, actor, section: VersionSection, text: str) -> SectionComment:
    """A provider's comment on a section of the current version."""
    require(permissions.can_comment(actor))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Enter your comment")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Your comment must be 2,000 characters or fewer")})
    current = current_version()
    if current is None or section.version_id != current.pk:
        raise ValidationError({"text": _("Comments are taken on the current version only")})
    comment = SectionComment.objects.create(
        section=section, author=actor, organisation=permissions.commenting_organisation(actor), text=text
    )
    audit.record(actor=actor, action="statement_comment.created", obj=comment, changes={"section": section.heading})
    return comment


@transaction.atomic
def comment_respond(*, actor, comment: SectionComment, response: str) -> SectionComment:
    """The council's response to a comment, shown beneath it and emailed to whoever made it."""
    require(permissions.can_edit_statement(actor))
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": _("Enter the council's response")})
    if len(response) > 2000:
        raise ValidationError({"response": _("The response must be 2,000 characters or fewer")})
    comment = (
        SectionComment.objects.select_for_update(of=("self",))
        .select_related("section__version", "author")
        .get(pk=comment.pk)
    )
    comment.response, comment.responded_by, comment.responded_at = response, actor, timezone.now()
    comment.save(update_fields=["response", "responded_by", "responded_at", "modified_at"])
    audit.record(actor=actor, action="statement_comment.responded", obj=comment, changes={})
    if comment.author and comment.author.is_active:
        send_templated(
            to=[comment.author.email],
            template="market/email/comment_response",
            context={
                "section": comment.section.heading,
                "comment": comment.text,
                "response": response,
                "url": absolute_url(
                    reverse("market:statement-version", args=[comment.section.version.number])
                    + f"#section-{comment.section.order}"
                ),
            },
        )
    return comment
