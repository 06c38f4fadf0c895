"""The directory in the Open Referral UK profile of HSDS 3.0: read-only JSON, open to anyone without a key or a
sign-in, with `Access-Control-Allow-Origin: *` on every answer (the profile's openness and security rules).

Lists are paged in the database (a count and one query a page, plus one for the page's sectors where they are
nested), so the queries a page makes stay the same however big the directory grows.
"""

import functools
import math

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from carenetwork.api.openreferral import mapping, params, queries
from carenetwork.api.openreferral.ids import Kind, pk_from
from carenetwork.api.openreferral.params import BadParameter

METHODS = "GET, HEAD, OPTIONS"
CACHE = "public, max-age=300"  # open data: caches may keep it five minutes


class NotFound(Exception):
    """Nothing public has this id."""


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(status: int, message: str) -> JsonResponse:
    return _json({"status": status, "error": message}, status=status)


def endpoint(view):
    """Answer GET and HEAD with the view's JSON, OPTIONS with what is allowed, anything else with 405; the view's
    NotFound and BadParameter become 404 and 400. Every answer is open to any origin. No CSRF check: nothing here
    changes anything, and a refused POST should say 405, not 403."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = METHODS
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, f"{request.method} is not allowed here: this API is read-only ({METHODS})")
        else:
            try:
                response = _json(view(request, *args, **kwargs))
                response["Cache-Control"] = CACHE
            except BadParameter as error:
                response = _error(400, str(error))
            except NotFound:
                response = _error(404, "There is nothing with this id in this directory")
        response["Allow"] = METHODS
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _page(request, total: int, fetch) -> dict:
    """The profile's page envelope around `fetch(offset, limit)`, the records of one page; a page past the last is
    empty (and asks the database for nothing more)."""
    page, per_page = params.paging(request)
    offset = (page - 1) * per_page
    contents = fetch(offset, per_page) if offset < total else []
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _queryset_page(request, found, to_record) -> dict:
    return _page(request, found.count(), lambda offset, limit: [to_record(o) for o in found[offset : offset + limit]])


def _pk(kind: Kind, value: str) -> int:
    pk = pk_from(kind, value.lower())
    if pk is None:
        raise NotFound
    return pk


@endpoint
def root(request):
    """What this API is: the HSDS version and the profile it follows."""
    return {"version": mapping.HSDS_VERSION, "profile": mapping.PROFILE_URL, "openapi_url": mapping.OPENAPI_URL}


# Services and services at locations -------------------------------------------------------------------------------


def _filtered_services(request, *, at_location: bool = False):
    """The services the list's filters ask for."""
    found = queries.services()
    text = params.search(request)
    if text:
        found = queries.service_search(found, text)
    term = params.hsds_id(request, "taxonomy_term_id", Kind.SERVICE_TYPE_TERM, Kind.SECTOR_TERM)
    if term is not None:
        kind, pk = term
        found = (
            queries.with_service_type(found, pk) if kind == Kind.SERVICE_TYPE_TERM else queries.with_sector(found, pk)
        )
    taxonomy = params.hsds_id(request, "taxonomy_id", Kind.TAXONOMY)
    if taxonomy is not None:
        pk = taxonomy[1]
        if pk == mapping.SERVICE_TYPES:
            found = queries.with_service_type(found, None)
        elif pk == mapping.SECTORS:
            found = queries.with_sector(found, None)
        else:
            found = found.none()
    organisation = params.hsds_id(request, "organization_id", Kind.ORGANIZATION)
    if organisation is not None:
        found = found.filter(organisation_id=organisation[1])
    if at_location:
        postcode = params.postcode(request)
        # We hold no coordinates: a proximity is checked but the postcode (or its district) is the whole filter.
        params.proximity(request, postcode_given=bool(postcode))
        if postcode:
            found = queries.at_postcode(found, postcode)
    if params.unsupported_filters(request):
        found = found.none()
    return found


def _service_location(kind: Kind, id: str):
    """The location behind a service's or a service at location's id, with its organization nested (404 when it is
    not public)."""
    location = queries.services().filter(pk=_pk(kind, id)).first()
    if location is None:
        raise NotFound
    links = queries.sector_links([location.organisation_id]).get(location.organisation_id, [])
    return location, mapping.organization_nested(location.organisation, links)


@endpoint
def service_list(request):
    return _queryset_page(request, _filtered_services(request), mapping.service)


@endpoint
def service_detail(request, id):
    location, organization = _service_location(Kind.SERVICE, id)
    return mapping.service_full(location, organization)


@endpoint
def service_at_location_list(request):
    return _queryset_page(request, _filtered_services(request, at_location=True), mapping.service_at_location)


@endpoint
def service_at_location_detail(request, id):
    location, organization = _service_location(Kind.SERVICE_AT_LOCATION, id)
    return mapping.service_at_location_full(location, organization)


# Organizations ---------------------------------------------------------------------------------------------------


@endpoint
def organization_list(request):
    found = queries.organisations()
    text = params.search(request)
    if text:
        found = queries.organisation_search(found, text)
    return _queryset_page(request, found, mapping.organization)


@endpoint
def organization_detail(request, id):
    organisation = queries.organisations().filter(pk=_pk(Kind.ORGANIZATION, id)).first()
    if organisation is None:
        raise NotFound
    links = queries.sector_links([organisation.pk]).get(organisation.pk, [])
    locations = list(queries.services().filter(organisation_id=organisation.pk))
    return mapping.organization_full(organisation, links, locations)


# Taxonomies and their terms --------------------------------------------------------------------------------------


def _terms(taxonomy_pk: int) -> tuple:
    """A taxonomy's terms as a queryset and the mapping that publishes one."""
    if taxonomy_pk == mapping.SERVICE_TYPES:
        return queries.service_types(), mapping.service_type_term
    return queries.sectors(), mapping.sector_term


@endpoint
def taxonomy_list(request):
    keys = sorted(mapping.TAXONOMIES)
    return _page(
        request, len(keys), lambda offset, limit: [mapping.taxonomy(pk) for pk in keys[offset : offset + limit]]
    )


@endpoint
def taxonomy_detail(request, id):
    pk = _pk(Kind.TAXONOMY, id)
    if pk not in mapping.TAXONOMIES:
        raise NotFound
    found, to_record = _terms(pk)
    return mapping.taxonomy(pk, [to_record(term) for term in found])


@endpoint
def taxonomy_term_list(request):
    """The terms of both taxonomies, service types first, paged across the two (a count of each, then one query for
    each taxonomy the page reaches)."""
    keys = sorted(mapping.TAXONOMIES)
    taxonomy = params.hsds_id(request, "taxonomy_id", Kind.TAXONOMY)
    if taxonomy is not None:
        keys = [key for key in keys if key == taxonomy[1]]
    parts = [_terms(key) for key in keys]
    counts = [found.count() for found, _ in parts]

    def fetch(offset: int, limit: int) -> list[dict]:
        records = []
        for (found, to_record), count in zip(parts, counts, strict=True):
            if limit > 0 and offset < count:
                chosen = list(found[offset : offset + limit])
                records += [to_record(term) for term in chosen]
                limit -= len(chosen)
            offset = max(0, offset - count)
        return records

    return _page(request, sum(counts), fetch)


@endpoint
def taxonomy_term_detail(request, id):
    value = id.lower()
    service_type = pk_from(Kind.SERVICE_TYPE_TERM, value)
    if service_type is not None:
        term = queries.service_types().filter(pk=service_type).first()
        if term is not None:
            return mapping.service_type_term(term)
    sector = pk_from(Kind.SECTOR_TERM, value)
    if sector is not None:
        term = queries.sectors().filter(pk=sector).first()
        if term is not None:
            return mapping.sector_term(term)
    raise NotFound


@endpoint
def not_found(request, path=""):
    """Anything else under /openreferral/: a JSON 404, still open to any origin."""
    raise NotFound
