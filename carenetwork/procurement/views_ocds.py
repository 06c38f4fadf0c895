"""The board as open data (OCDS 1.1), public and without signing in: one opportunity's release package, and every
published opportunity's releases as a paged release package.

The paged list follows OCDS's own convention for an API (the pagination extension, as Contracts Finder and Find a
Tender serve theirs): each page is a release package, valid against the release package schema, holding all the
releases of `PAGE_SIZE` opportunities, with `links.next` and `links.prev`. A list of package addresses would be
valid against no schema of the standard. Before anything is published the first page has no releases, which the
schema (at least one release) does not allow: it is still served, so that the address a harvester keeps works.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from carenetwork.procurement import ocds

PAGE_SIZE = 100


def _json(data: dict, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def package(request, pk: int):
    """A published opportunity's release package (404 for a draft: it is not published)."""
    opportunity = get_object_or_404(ocds.published_opportunities(), pk=pk)
    uri = request.build_absolute_uri(reverse("procurement:ocds-package", args=[pk]))
    return _json(ocds.release_package(opportunity, uri=uri), f"{ocds.ocid_for(opportunity)}.json")


@require_GET
def package_list(request):
    """Every published opportunity's releases, `PAGE_SIZE` opportunities a page, oldest first; `?page=N`."""
    paginator = Paginator(ocds.published_opportunities(), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as missing:
        raise Http404 from missing
    base = request.build_absolute_uri(reverse("procurement:ocds-list"))
    links = {}
    if page.has_next():
        links["next"] = f"{base}?page={page.next_page_number()}"
    if page.has_previous():
        links["prev"] = f"{base}?page={page.previous_page_number()}"
    releases = [release for opportunity in page for release in ocds.releases_for(opportunity)]
    data = ocds.package_of(releases, uri=f"{base}?page={page.number}", links=links)
    return _json(data, f"releases-page-{page.number}.json")
