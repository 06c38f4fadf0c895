"""The market position statement's pages. The published versions, their history and comparisons are public; members
read the comments beneath each section and providers add them; council staff write the draft, publish and respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core import charts
from carenetwork.core.access import require
from carenetwork.core.forms_errors import apply_errors, submitted
from carenetwork.market import permissions, statement
from carenetwork.market.forms_statement import CommentForm, CompareForm, PublishForm, ResponseForm, SectionForm
from carenetwork.market.models import SectionComment, StatementSection, StatementVersion, VersionSection
from carenetwork.market.statement_services import (
    comment_add,
    comment_respond,
    comments_awaiting_response,
    current_version,
    draft_sections,
    section_delete,
    section_save,
    statement_publish,
)
from carenetwork.market.tables import Table


def _shown(parts: list[dict], prefix: str) -> list[dict]:
    """A section's parts ready for the page: sanitised text as it is, each block as its table (and chart)."""
    shown = []
    for index, part in enumerate(parts):
        if "html" in part:
            shown.append({"html": mark_safe(part["html"])})  # sanitised by nh3 when the part was made
            continue
        figures = part.get("figures")
        if not figures:
            shown.append({"missing": part["block"]})
            continue
        block_id = f"{prefix}-{index}"
        chart = figures.get("chart")
        shown.append(
            {
                "id": block_id,
                "title": figures["title"],
                "table": Table(figures["header"], figures["rows"], figures["hidden"], figures["notes"]),
                "chart": charts.line_chart(chart_id=f"{block_id}-chart", **chart) if chart else None,
            }
        )
    return shown


def _version_page(request, version: StatementVersion, current: int):
    can_read = permissions.can_read_comments(request.user)
    sections = version.sections.all()
    if can_read:
        sections = sections.prefetch_related(
            Prefetch(
                "comments",
                queryset=SectionComment.objects.select_related("author", "organisation").order_by("created_at", "pk"),
            )
        )
    is_current = version.number == current
    return render(
        request,
        "market/statement.html",
        {
            "version": version,
            "is_current": is_current,
            "current": current,
            "sections": [(s, _shown(s.parts, f"s{s.order}")) for s in sections],
            "can_read_comments": can_read,
            "can_comment": is_current and permissions.can_comment(request.user),
            "can_respond": permissions.can_edit_statement(request.user),
            "can_edit": permissions.can_edit_statement(request.user),
        },
    )


def statement_current(request):
    """The current version, at an address that never changes (public)."""
    version = current_version()
    if version is None:
        return render(
            request,
            "market/statement_none.html",
            {"can_edit": permissions.can_edit_statement(request.user)},
            status=404,
        )
    return _version_page(request, version, version.number)


def statement_version(request, number: int):
    """One published version, as it was the day it was published (public)."""
    version = get_object_or_404(StatementVersion, number=number)
    current = current_version()
    return _version_page(request, version, current.number)


def statement_history(request):
    """Every published version, newest first, and a form to compare two (public)."""
    versions = list(StatementVersion.objects.all())
    form = CompareForm(numbers=[v.number for v in versions])
    if len(versions) > 1:
        form.initial = {"older": versions[1].number, "newer": versions[0].number}
    return render(
        request,
        "market/statement_history.html",
        {"versions": versions, "form": form, "can_edit": permissions.can_edit_statement(request.user)},
    )


def statement_compare(request):
    """What changed from one version to another, section by section, in the text and in the figures (public)."""
    versions = {v.number: v for v in StatementVersion.objects.all()}
    form = CompareForm(request.GET or None, numbers=sorted(versions, reverse=True))
    changes = older = newer = None
    if form.is_bound and form.is_valid():
        a, b = sorted([form.cleaned_data["older"], form.cleaned_data["newer"]])
        older, newer = versions[a], versions[b]
        changes = statement.compare(older, newer)
        for change in changes:
            change.text = mark_safe(change.text)  # escaped word by word in statement.text_diff
    return render(
        request,
        "market/statement_compare.html",
        {"form": form, "changes": changes, "older": older, "newer": newer},
    )


# The draft (council staff) -------------------------------------------------------------------------------------


@login_required
def statement_draft(request):
    """The draft's sections, with a preview and the publish form."""
    require(permissions.can_edit_statement(request.user))
    form = PublishForm(request.POST or None)
    version = submitted(request, form, lambda data: statement_publish(actor=request.user, summary=data["summary"]))
    if version:
        messages.success(request, _("Version %(n)s is published. Members are being emailed.") % {"n": version.number})
        return redirect("market:statement-version", number=version.number)
    return render(
        request,
        "market/statement_draft.html",
        {
            "sections": draft_sections(),
            "form": form,
            "latest": StatementVersion.objects.first(),
            "waiting": comments_awaiting_response(),
            "can_view_sustainability": True,
        },
    )


@login_required
def statement_preview(request):
    """The draft as it would be published now, with today's figures."""
    require(permissions.can_edit_statement(request.user))
    cache = statement.BlockCache()
    sections = [(s, _shown(statement.parts_of(s.body, cache), f"s{s.pk}")) for s in draft_sections()]
    return render(request, "market/statement_preview.html", {"sections": sections})


@login_required
def statement_section_edit(request, pk: int | None = None):
    """Add or change a draft section; 'Insert block' puts the chosen block's line at the end of the text."""
    require(permissions.can_edit_statement(request.user))
    section = get_object_or_404(StatementSection, pk=pk) if pk else None
    data = request.POST.copy() if request.method == "POST" else None
    inserting = data is not None and "insert" in data
    if data is not None and data.get("block"):  # saving with a block chosen inserts it too
        data["body"] = f"{statement.normalise(data.get('body', '')).rstrip()}\n\n[[{data['block']}]]\n".lstrip()
        data["block"] = ""
    form = SectionForm(data, instance=section)
    if inserting:
        form.is_valid()  # shows the text with the block line, and any problem, without saving
        if not request.POST.get("block"):
            form.add_error("block", _("Choose a live block to insert"))
        return render(request, "market/statement_section.html", {"form": form, "section": section})
    saved = submitted(
        request,
        form,
        lambda d: section_save(actor=request.user, section=section, data={"heading": d["heading"], "body": d["body"]}),
    )
    if saved:
        messages.success(request, _("'%(heading)s' has been saved in the draft") % {"heading": saved.heading})
        return redirect("market:statement-draft")
    return render(request, "market/statement_section.html", {"form": form, "section": section})


@login_required
def statement_section_delete(request, pk: int):
    """Ask, then take a section out of the draft (published versions keep it)."""
    require(permissions.can_edit_statement(request.user))
    section = get_object_or_404(StatementSection, pk=pk)
    if request.method != "POST":
        return render(request, "market/statement_section_delete.html", {"section": section})
    section_delete(actor=request.user, section=section)
    messages.success(request, _("'%(heading)s' has been taken out of the draft") % {"heading": section.heading})
    return redirect("market:statement-draft")


# Comments ---------------------------------------------------------------------------------------------------------


@require_POST
@login_required
def section_comment(request, pk: int):
    """A provider's comment on a section of the current version."""
    require(permissions.can_comment(request.user))
    section = get_object_or_404(VersionSection.objects.select_related("version"), pk=pk)
    form = CommentForm(request.POST)
    anchor = f"#section-{section.order}"
    if form.is_valid():
        try:
            comment_add(actor=request.user, section=section, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error, field="text")
        else:
            messages.success(request, _("Your comment has been added. The council will respond here."))
            return redirect(_section_url(section) + anchor)
    return render(request, "market/statement_comment.html", {"form": form, "section": section}, status=400)


def _section_url(section: VersionSection) -> str:
    return reverse("market:statement-version", args=[section.version.number])


@login_required
def statement_comments(request):
    """Council staff: every comment, those awaiting a response first."""
    require(permissions.can_edit_statement(request.user))
    comments = SectionComment.objects.select_related("section__version", "author", "organisation")
    waiting = comments.filter(response="").order_by("created_at", "pk")
    answered = comments.exclude(response="").order_by("-responded_at", "-pk")[:50]
    return render(request, "market/statement_comments.html", {"waiting": waiting, "answered": answered})


@login_required
def comment_response(request, pk: int):
    """Council staff respond to a comment; the response shows beneath it and is emailed to whoever wrote it."""
    require(permissions.can_edit_statement(request.user))
    comment = get_object_or_404(
        SectionComment.objects.select_related("section__version", "author", "organisation"), pk=pk
    )
    form = ResponseForm(request.POST or None, initial={"response": comment.response})
    saved = submitted(
        request, form, lambda data: comment_respond(actor=request.user, comment=comment, response=data["response"])
    )
    if saved:
        messages.success(request, _("Your response has been published beneath the comment"))
        return redirect(_section_url(comment.section) + f"#comment-{comment.pk}")
    return render(request, "market/statement_respond.html", {"form": form, "comment": comment})
