"""The catalogue and courses: browsing runs and courses, proposing and changing courses, and the council's review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenetwork.core.access import PAGE_SIZE, query_without_page, require
from carenetwork.core.forms_errors import submitted
from carenetwork.organisations.selectors import organisation_get_for
from carenetwork.training import catalogue, courses, permissions, selectors
from carenetwork.training.forms_courses import CatalogueFilterForm, CourseFilterForm, CourseForm, ReviewForm
from carenetwork.training.models import Course


@login_required
def catalogue_list(request):
    """Upcoming runs the person may see, filtered by category, sector, dates, area, delivery mode and price."""
    require(permissions.can_browse_catalogue(request.user))
    form = CatalogueFilterForm(request.GET or None, filters=catalogue.catalogue_filters())
    criteria = form.criteria() if form.is_bound else {}
    runs = catalogue.run_catalogue_for(user=request.user, **criteria)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/courses/catalogue.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
def course_list(request):
    """Approved courses, searchable by title and filtered by category and delivery mode."""
    require(permissions.can_browse_catalogue(request.user))
    form = CourseFilterForm(request.GET or None)
    criteria = form.criteria() if form.is_bound else {}
    found = catalogue.course_list_for(
        user=request.user,
        search=criteria.get("q", ""),
        category=criteria.get("category"),
        delivery_mode=criteria.get("delivery_mode", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/courses/course_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
def course_detail(request, pk):
    """A course: what it covers, its upcoming runs and, for its provider and the council, its latest runs."""
    course = selectors.course_get_for(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "training/courses/course_detail.html",
        {
            "course": course,
            "categories": course.categories.order_by("name"),
            "runs": catalogue.course_runs_for(user=user, course=course),
            "past_runs": catalogue.course_past_runs_for(user=user, course=course),
            "can_view_evaluations": permissions.can_view_evaluations(user, course),
            "can_change": permissions.can_propose_course(user, course.provider),
            "can_review": permissions.can_review_courses(user),
            "can_add_run": permissions.can_manage_runs(user) and course.is_published,
        },
    )


@login_required
def course_add(request, pk):
    """A training provider proposes a course; it waits for the council's review."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_propose_course(request.user, organisation))
    form = CourseForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda data: courses.course_save(actor=request.user, provider=organisation, course=None, data=data),
    )
    if saved:
        messages.success(request, _("%(title)s has been sent to the council for review") % {"title": saved.title})
        return redirect("training:provider-courses", pk=organisation.pk)
    return render(request, "training/courses/course_edit.html", {"form": form, "organisation": organisation})


@login_required
def course_edit(request, pk):
    """A training provider changes a course; a returned course goes back for review."""
    course = selectors.course_get_for(user=request.user, pk=pk)
    require(permissions.can_propose_course(request.user, course.provider))
    initial = {field: getattr(course, field) for field in courses.COURSE_FIELDS if field != "categories"}
    initial["categories"] = list(course.categories.values_list("pk", flat=True))
    form = CourseForm(request.POST or None, initial=initial)
    saved = submitted(
        request,
        form,
        lambda data: courses.course_save(actor=request.user, provider=course.provider, course=course, data=data),
    )
    if saved:
        if saved.status == Course.Status.SUBMITTED:
            text = _("%(title)s has been saved and sent to the council for review")
        else:
            text = _("%(title)s has been saved")
        messages.success(request, text % {"title": saved.title})
        return redirect("training:course-detail", pk=saved.pk)
    return render(
        request,
        "training/courses/course_edit.html",
        {"form": form, "organisation": course.provider, "course": course},
    )


@login_required
def provider_courses(request, pk):
    """A training provider's own courses, whatever their status, and its runs that have not finished."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_propose_course(request.user, organisation))
    runs = catalogue.provider_runs_for(user=request.user, organisation=organisation)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/courses/provider_courses.html",
        {
            "organisation": organisation,
            "courses": catalogue.provider_courses_for(user=request.user, organisation=organisation),
            "page": page,
            "query": query_without_page(request),
        },
    )


@login_required
def review_queue(request):
    """Courses waiting for the council's review, oldest first."""
    require(permissions.can_review_courses(request.user))
    page = Paginator(catalogue.review_queue_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/courses/review_queue.html", {"page": page, "query": query_without_page(request)})


@login_required
def course_review(request, pk):
    """A council officer approves a course, returns it with comments, or withdraws it."""
    course = selectors.course_get_for(user=request.user, pk=pk)
    require(permissions.can_review_courses(request.user))
    form = ReviewForm(request.POST or None, course=course)
    saved = submitted(
        request,
        form,
        lambda data: courses.course_review(
            actor=request.user, course=course, decision=data["decision"], comments=data["comments"]
        ),
    )
    if saved:
        done = {
            Course.Status.APPROVED: _("%(title)s has been approved and is in the catalogue"),
            Course.Status.RETURNED: _("%(title)s has been returned to %(provider)s with your comments"),
            Course.Status.WITHDRAWN: _("%(title)s has been withdrawn from the catalogue"),
        }
        messages.success(request, done[saved.status] % {"title": saved.title, "provider": saved.provider.name})
        return redirect("training:course-review-queue")
    return render(
        request,
        "training/courses/course_review.html",
        {
            "form": form,
            "course": course,
            "categories": course.categories.order_by("name"),
            "upcoming_runs": catalogue.course_runs_for(user=request.user, course=course).count(),
        },
    )
