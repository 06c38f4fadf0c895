"""Keeping the ASC-WDS workplace references (LOCALESTID) that an imported ASC-WDS file uses.

ASC-WDS links a training or staff row to a workplace of the workplace file uploaded with it by LOCALESTID. A file
exported from ASC-WDS therefore tells us the provider's references: a LOCALESTID that names one of the provider's
locations becomes that location's reference; the one LOCALESTID of a provider with at most one location and no
reference yet becomes the provider's. References already kept are never overwritten.
"""

from django.core.exceptions import ValidationError

from carenetwork.organisations.services import location_save, organisation_update


def workplaces_learn(*, actor, organisation, local_ids: set[str]) -> None:
    """Keep the workplace references a file used that the provider did not have yet."""
    local_ids = {value for value in local_ids if value}
    if not local_ids:
        return
    locations = list(organisation.locations.filter(is_active=True))
    known = {location.ascwds_workplace_id for location in locations} | {organisation.ascwds_workplace_id}
    by_name = {location.name.lower(): location for location in locations}
    unknown = []
    for local_id in sorted(local_ids - known):
        location = by_name.get(local_id.lower())
        if location is None or location.ascwds_workplace_id:
            unknown.append(local_id)
            continue
        try:
            location_save(
                actor=actor,
                organisation=organisation,
                location=location,
                data={"ascwds_workplace_id": local_id},
                check=False,
            )
        except ValidationError:  # a location whose other details no longer pass: leave it for its admin
            continue
    has_references = organisation.ascwds_workplace_id or any(location.ascwds_workplace_id for location in locations)
    if len(unknown) == 1 and len(locations) <= 1 and not has_references:
        try:
            organisation_update(
                actor=actor, organisation=organisation, data={"ascwds_workplace_id": unknown[0]}, check=False
            )
        except ValidationError:
            return
