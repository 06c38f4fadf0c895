"""Agenda, record, issue log and paper pages. Thin: selectors read, the agenda services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import PAGE_SIZE, require
from carenetwork.core.csv import table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.forums import agenda, issue_log, permissions, selectors, uploads
from carenetwork.forums.forms_agenda import (
    ActionForm,
    CommentForm,
    DeclineForm,
    IssueLogFilterForm,
    ItemRaiseForm,
    MergeForm,
    PaperForm,
    RecordItemForm,
)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _next(request, default: str) -> str:
    """Where to go after an action: a same-site `next` address, or the default."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return default


def _item_url(forum, item) -> str:
    return reverse("forums:item-detail", args=[forum.slug, item.pk])


def _lead_item(request, slug, pk):
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    return forum, selectors.item_get_for(user=request.user, forum=forum, pk=pk)


def _lead_meeting(request, slug, pk):
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    return forum, selectors.meeting_get_for(user=request.user, forum=forum, pk=pk)


def _attempt(request, do, success: str) -> None:
    """Run a service for a POST button; its refusal becomes an error banner."""
    try:
        do()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


# --- items -----------------------------------------------------------------------------------------------------


@login_required
def item_raise(request, slug):
    """A member or lead raises an item, for a given meeting or the next one."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    require(permissions.can_raise_item(request.user, forum))
    pk = _number(request.GET.get("meeting"))
    meeting = selectors.meeting_get_for(user=request.user, forum=forum, pk=pk) if pk else None
    form = ItemRaiseForm(request.POST or None, allow_anonymous=not permissions.is_lead(request.user, forum))
    item = submitted(
        request, form, lambda data: agenda.item_raise(actor=request.user, forum=forum, meeting=meeting, data=data)
    )
    if item:
        if item.meeting:
            messages.success(request, _("Your item has been raised for %(meeting)s") % {"meeting": item.meeting})
        else:
            messages.success(request, _("Your item has been raised. It will go to the next meeting once one is set."))
        return redirect(_item_url(forum, item))
    deadline_passed = bool(meeting and meeting.agenda_deadline <= timezone.now())
    return render(
        request,
        "forums/item_raise.html",
        {"form": form, "forum": forum, "meeting": meeting, "deadline_passed": deadline_passed},
    )


def _render_item(request, forum, item, comment_form=None, status=200):
    context = issue_log.item_page_for(user=request.user, item=item)
    return render(
        request,
        "forums/item_detail.html",
        {
            **context,
            "forum": forum,
            "item": item,
            "is_lead": permissions.is_lead(request.user, forum),
            "form": comment_form or CommentForm(),
        },
        status=status,
    )


@login_required
def item_detail(request, slug, pk):
    """An item with who raised it (as the anonymity rule allows), its timeline, actions and comments."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    item = selectors.item_visible_get_for(user=request.user, forum=forum, pk=pk)
    return _render_item(request, forum, item)


@login_required
@require_POST
def item_comment(request, slug, pk):
    """A member or lead comments on a published item."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    item = selectors.item_visible_get_for(user=request.user, forum=forum, pk=pk)
    form = CommentForm(request.POST)
    saved = submitted(
        request,
        form,
        lambda data: agenda.comment_add(actor=request.user, item=item, body=data["body"]),
        error_field="body",
    )
    if saved:
        messages.success(request, _("Your comment has been added"))
        return redirect(f"{_item_url(forum, item)}#comments")
    return _render_item(request, forum, item, comment_form=form)


@login_required
@require_POST
def item_accept(request, slug, pk):
    """A lead puts an item on its meeting's agenda (or, for a waiting item, on the meeting given)."""
    forum, item = _lead_item(request, slug, pk)
    meeting_pk = _number(request.POST.get("meeting"))
    meeting = selectors.meeting_get_for(user=request.user, forum=forum, pk=meeting_pk) if meeting_pk else None
    _attempt(
        request,
        lambda: agenda.item_accept(actor=request.user, item=item, meeting=meeting),
        _("“%(title)s” is on the agenda") % {"title": item.title},
    )
    return redirect(_next(request, _item_url(forum, item)))


@login_required
@require_POST
def item_defer(request, slug, pk):
    """A lead defers an item to the next meeting."""
    forum, item = _lead_item(request, slug, pk)
    _attempt(
        request,
        lambda: agenda.item_defer(actor=request.user, item=item),
        _("“%(title)s” has been deferred to the next meeting") % {"title": item.title},
    )
    return redirect(_next(request, _item_url(forum, item)))


@login_required
@require_POST
def item_close(request, slug, pk):
    """A lead closes an item that has been dealt with."""
    forum, item = _lead_item(request, slug, pk)
    _attempt(
        request,
        lambda: agenda.item_close(actor=request.user, item=item),
        _("“%(title)s” has been closed") % {"title": item.title},
    )
    return redirect(_next(request, _item_url(forum, item)))


@login_required
def item_decline(request, slug, pk):
    """A lead declines an item with a reason the raiser sees."""
    forum, item = _lead_item(request, slug, pk)
    form = DeclineForm(request.POST or None)
    saved = submitted(
        request, form, lambda data: agenda.item_decline(actor=request.user, item=item, reason=data["reason"])
    )
    if saved:
        messages.success(request, _("“%(title)s” has been declined") % {"title": item.title})
        return redirect(_next(request, _item_url(forum, item)))
    return render(request, "forums/item_decline.html", {"form": form, "forum": forum, "item": item})


@login_required
def item_merge(request, slug, pk):
    """A lead merges an item into another that covers it."""
    forum, item = _lead_item(request, slug, pk)
    form = MergeForm(request.POST or None, options=issue_log.merge_options_for(user=request.user, item=item))
    saved = submitted(
        request,
        form,
        lambda data: agenda.item_merge(actor=request.user, item=item, into=data["into"]),
        error_field="into",
    )
    if saved:
        messages.success(request, _("“%(title)s” has been merged") % {"title": item.title})
        return redirect(_item_url(forum, saved.merged_into))
    return render(request, "forums/item_merge.html", {"form": form, "forum": forum, "item": item})


# --- the agenda and the record ---------------------------------------------------------------------------------


@login_required
def agenda_manage(request, slug, pk):
    """A lead's agenda for a meeting: decide on raised items, order the agenda, publish it, add papers."""
    forum, meeting = _lead_meeting(request, slug, pk)
    items = list(issue_log.agenda_for(user=request.user, meeting=meeting))
    state = agenda.State
    return render(
        request,
        "forums/agenda_manage.html",
        {
            "forum": forum,
            "meeting": meeting,
            "accepted": [i for i in items if i.off_agenda == 0],
            "raised": [i for i in items if i.state == state.RAISED],
            "set_aside": [i for i in items if i.state in (state.DECLINED, state.MERGED)],
            "waiting": issue_log.waiting_items_for(user=request.user, forum=forum),
            "papers": meeting.papers.all(),
            "here": request.path,
        },
    )


@login_required
@require_POST
def agenda_move(request, slug, pk):
    """A lead moves an agenda item up or down."""
    forum, meeting = _lead_meeting(request, slug, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        agenda.agenda_move(
            actor=request.user, meeting=meeting, item_id=_number(request.POST.get("item")), offset=offset
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("forums:agenda-manage", args=[forum.slug, meeting.pk]) + "#agenda")


@login_required
def agenda_publish(request, slug, pk):
    """A lead checks the email every member will get (GET), then publishes the agenda (POST from that page)."""
    forum, meeting = _lead_meeting(request, slug, pk)
    if request.method == "POST":
        seen = request.POST.get("seen")
        if not seen:  # only from the check page, so nobody publishes without seeing what is sent
            return redirect("forums:agenda-publish", slug=forum.slug, pk=meeting.pk)
        _attempt(
            request,
            lambda: agenda.agenda_publish(actor=request.user, meeting=meeting, seen=seen),
            _("The agenda has been published and emailed to the forum's members"),
        )
        return redirect("forums:agenda-manage", slug=forum.slug, pk=meeting.pk)
    preview = agenda.agenda_publish_preview(meeting)
    problem = None
    if not preview["items"]:
        problem = _("Put at least one item on the agenda before publishing it.")
    elif meeting.cancelled_at:
        problem = _("The meeting has been cancelled.")
    return render(
        request,
        "forums/publish_check.html",
        {
            "forum": forum,
            "meeting": meeting,
            "preview": preview,
            "problem": problem,
            "kind": "agenda",
            "back": reverse("forums:agenda-manage", args=[forum.slug, meeting.pk]),
        },
    )


@login_required
def record_manage(request, slug, pk):
    """A lead's record of a meeting: each item's notes, response and actions; publishing the feedback."""
    forum, meeting = _lead_meeting(request, slug, pk)
    return render(
        request,
        "forums/record_manage.html",
        {
            "forum": forum,
            "meeting": meeting,
            "items": issue_log.record_items_for(user=request.user, meeting=meeting),
            "here": request.path,
        },
    )


def _not_yet(request, forum, item, back: str):
    """Said before any typing: the outcome and actions are recorded once the meeting has started."""
    return render(
        request, "forums/record_not_yet.html", {"forum": forum, "item": item, "meeting": item.meeting, "back": back}
    )


@login_required
def record_item(request, slug, pk, item_pk):
    """A lead records one item's discussion notes and the council's response."""
    forum, meeting = _lead_meeting(request, slug, pk)
    item = selectors.item_get_for(user=request.user, forum=forum, pk=item_pk)
    if item.meeting_id != meeting.pk:
        raise Http404
    if not agenda.can_record_yet(item):
        return _not_yet(request, forum, item, reverse("forums:record-manage", args=[forum.slug, meeting.pk]))
    form = RecordItemForm(
        request.POST or None, initial={"notes": item.notes, "council_response": item.council_response}
    )
    saved = submitted(
        request,
        form,
        lambda data: agenda.item_record(
            actor=request.user, item=item, notes=data["notes"], council_response=data["council_response"]
        ),
        error_field="notes",
    )
    if saved:
        messages.success(request, _("The outcome of “%(title)s” has been recorded") % {"title": item.title})
        return redirect(reverse("forums:record-manage", args=[forum.slug, meeting.pk]) + f"#item-{item.pk}")
    return render(request, "forums/record_item.html", {"form": form, "forum": forum, "meeting": meeting, "item": item})


@login_required
def record_publish(request, slug, pk):
    """A lead checks what publishing the record sends and does (GET), then publishes it (POST from that page)."""
    forum, meeting = _lead_meeting(request, slug, pk)
    if request.method == "POST":
        if request.POST.get("checked") != "yes":
            return redirect("forums:record-publish", slug=forum.slug, pk=meeting.pk)
        _attempt(
            request,
            lambda: agenda.record_publish(actor=request.user, meeting=meeting),
            _("The record has been published and members have been sent what the council did"),
        )
        return redirect("forums:record-manage", slug=forum.slug, pk=meeting.pk)
    problem = None
    if meeting.record_published_at:
        problem = _("The record of this meeting has already been published.")
    elif not meeting.has_started:
        problem = _("You can publish the record once the meeting has started.")
    return render(
        request,
        "forums/publish_check.html",
        {
            "forum": forum,
            "meeting": meeting,
            "preview": agenda.record_publish_preview(meeting),
            "problem": problem,
            "kind": "record",
            "back": reverse("forums:record-manage", args=[forum.slug, meeting.pk]),
        },
    )


@login_required
def action_edit(request, slug, pk, action_pk=None):
    """A lead adds or changes an action on an item."""
    forum, item = _lead_item(request, slug, pk)
    action = None
    if action_pk is not None:
        action = item.actions.filter(pk=action_pk).first()
        if action is None:
            raise Http404
    if not agenda.can_record_yet(item):
        return _not_yet(request, forum, item, _next(request, _item_url(forum, item)))
    organisations, people = issue_log.action_owner_options(user=request.user, forum=forum)
    form = ActionForm(request.POST or None, instance=action, organisations=organisations, people=people)
    saved = submitted(
        request, form, lambda data: agenda.action_save(actor=request.user, item=item, data=data, action=action)
    )
    if saved:
        messages.success(request, _("The action has been saved"))
        return redirect(_next(request, _item_url(forum, item)))
    return render(
        request,
        "forums/item_action.html",
        {"form": form, "forum": forum, "item": item, "action": action, "back": _next(request, _item_url(forum, item))},
    )


# --- issue log -------------------------------------------------------------------------------------------------


def _issue_log_criteria(request, forum):
    filters = issue_log.issue_log_filters(user=request.user, forum=forum, selected_meeting=request.GET.get("meeting"))
    form = IssueLogFilterForm(request.GET or None, filters=filters)
    criteria = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, criteria


@login_required
def issue_log_page(request, slug):
    """Every item of the forum's history, filtered and searched, 25 to a page."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    form, criteria = _issue_log_criteria(request, forum)
    items = issue_log.issue_log_for(user=request.user, forum=forum, **criteria).only(*issue_log.LIST_FIELDS)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "forums/issue_log.html",
        {
            "forum": forum,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(criteria),
        },
    )


@login_required
def issue_log_csv(request, slug, fmt="csv"):
    """The issue log, as filtered, as a CSV or XLSX file."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    _form, criteria = _issue_log_criteria(request, forum)
    rows = issue_log.issue_log_csv_rows(user=request.user, forum=forum, **criteria)
    return table_response(rows, f"{forum.slug}-issue-log", fmt, sheet=_("Issue log"))


# --- papers ----------------------------------------------------------------------------------------------------


@login_required
def paper_add(request, slug, pk):
    """A lead adds a paper to a meeting."""
    forum, meeting = _lead_meeting(request, slug, pk)
    form = PaperForm(request.POST or None, request.FILES or None)
    saved = submitted(
        request,
        form,
        lambda data: agenda.paper_add(actor=request.user, meeting=meeting, title=data["title"], upload=data["upload"]),
        error_field="upload",
    )
    if saved:
        messages.success(request, _("“%(title)s” has been added to the meeting's papers") % {"title": saved.title})
        return redirect("forums:agenda-manage", slug=forum.slug, pk=meeting.pk)
    return render(request, "forums/paper_add.html", {"form": form, "forum": forum, "meeting": meeting})


@login_required
def paper_download(request, slug, pk, paper_pk):
    """A meeting paper, to the forum's members and leads only, always as a download."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    meeting = selectors.meeting_get_for(user=request.user, forum=forum, pk=pk)
    paper = meeting.papers.filter(pk=paper_pk).first()
    if paper is None:
        raise Http404
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=uploads.paper_download_name(paper), content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
