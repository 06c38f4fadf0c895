"""Applying CQC records to the portal through the organisation services, matched by CQC ID."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenetwork.core import audit
from carenetwork.organisations import services
from carenetwork.organisations.cqc import records as r
from carenetwork.organisations.cqc.dates import DataDates
from carenetwork.organisations.cqc.formats import Parsed
from carenetwork.organisations.cqc.records import LocationRecord, ProviderRecord
from carenetwork.organisations.cqc.report import OLDER, ImportReport
from carenetwork.organisations.models import CqcDeregistration, Location, Organisation, Sector, ServiceType

LOCATION, PROVIDER = CqcDeregistration.Kind.LOCATION, CqcDeregistration.Kind.PROVIDER
# The group under which records not in the CQC API's format are counted.
NOT_CQC_FORMAT = gettext_lazy("Not in the format of CQC's API")


def authority_key(name: str) -> str:
    """A local authority's name as compared: any case, "&" for "and", punctuation and spacing ignored."""
    words = "".join(c if c.isalnum() else " " for c in name.casefold().replace("&", " and "))
    return " ".join(words.split())


class Importer:
    """What the portal already holds, read once into dictionaries, and the records applied to it."""

    def __init__(self, *, actor, local_authority: str, data_date: datetime.date, report: ImportReport):
        self.actor = actor
        self.local_authority = " ".join(local_authority.split())
        self.authority_key = authority_key(self.local_authority)
        self.data_date = data_date
        self.report = report
        report.data_date = data_date
        with_cqc_locations = Location.objects.filter(cqc_location_id__isnull=False).values("organisation_id")
        self.organisations = {
            o.pk: o
            for o in Organisation.objects.filter(Q(cqc_provider_id__isnull=False) | Q(pk__in=with_cqc_locations))
        }
        self.providers = {o.cqc_provider_id: o for o in self.organisations.values() if o.cqc_provider_id}
        self.locations = {loc.cqc_location_id: loc for loc in Location.objects.filter(cqc_location_id__isnull=False)}
        # Organisations named after one of their locations: stand-ins until a file gives the provider's name.
        self.named_after_location = {
            loc.organisation_id
            for loc in self.locations.values()
            if loc.name == self.organisations[loc.organisation_id].name
        }
        self.sectors = defaultdict(set)
        for org_id, sector_id in Organisation.sectors.through.objects.values_list("organisation_id", "sector_id"):
            if org_id in self.organisations:
                self.sectors[org_id].add(sector_id)
        self.sector_ids = dict(Sector.objects.values_list("slug", "pk"))
        self.service_types = {s.ascwds_code: s for s in ServiceType.objects.filter(ascwds_code__isnull=False)}
        self.wanted_sectors = defaultdict(set)
        self.created_orgs, self.updated_orgs, self.created_locs, self.updated_locs = set(), set(), set(), set()
        self.dates = DataDates(data_date)
        # Provider records of providers the portal does not have: added when one of their locations is.
        self.waiting_providers: dict[str, ProviderRecord] = {}

    def run(self, files: list[Parsed]) -> None:
        """Providers first, so that locations find them; then the sectors the locations imply."""
        for parsed in files:
            for reference, reason, count in parsed.unusable:
                self.report.total += count
                self.report.skip(reference, reason, count=count)
        for parsed in files:
            for provider in parsed.providers:
                self._guarded(self.import_provider, provider)
        for parsed in files:
            for location in parsed.locations:
                self._guarded(self.import_location, location)
        self.skip_providers_without_locations()
        self.add_wanted_sectors()
        self.dates.save()
        self.report.created_organisations = len(self.created_orgs)
        self.report.updated_organisations = len(self.updated_orgs - self.created_orgs)
        self.report.created_locations = len(self.created_locs)
        self.report.updated_locations = len(self.updated_locs - self.created_locs)
        self.name_changes()

    def name_changes(self) -> None:
        """List what was added and updated, organisations first."""
        report = self.report
        organisation, location = str(_("Organisation")), str(_("Location"))
        for pk in sorted(self.created_orgs, key=lambda pk: self.organisations[pk].name):
            report.listed(report.added, organisation, _reference(self.organisations[pk], "cqc_provider_id"))
        by_pk = {loc.pk: loc for loc in self.locations.values()}
        for pk in sorted(self.created_locs, key=lambda pk: by_pk[pk].name):
            report.listed(report.added, location, _reference(by_pk[pk], "cqc_location_id"))
        for pk in sorted(self.updated_orgs - self.created_orgs, key=lambda pk: self.organisations[pk].name):
            report.listed(report.updated, organisation, _reference(self.organisations[pk], "cqc_provider_id"))
        for pk in sorted(self.updated_locs - self.created_locs, key=lambda pk: by_pk[pk].name):
            report.listed(report.updated, location, _reference(by_pk[pk], "cqc_location_id"))

    def _guarded(self, method, record) -> None:
        # Records are checked before writing, so the models rejecting one means data we did not foresee:
        # stop, and let the transaction undo everything rather than leave half an import.
        try:
            method(record)
        except ValidationError as error:
            raise ValidationError(
                _("%(record)s could not be imported, so nothing was: %(problem)s")
                % {"record": record.reference, "problem": " ".join(error.messages)}
            ) from error

    # Providers ----------------------------------------------------------------------------------------------

    def import_provider(self, record: ProviderRecord) -> None:
        """Update the provider's organisation, or hold the record until one of its locations is imported."""
        self.report.total += 1
        if record.problem:
            return self.report.skip(record.reference, record.problem, group=str(NOT_CQC_FORMAT))
        if not record.social_care:
            return self._skip_not_social_care(record)
        if not record.cqc_id or not record.name:
            return self.report.skip(record.reference, _("No CQC provider ID or no name"))
        organisation = self.providers.get(record.cqc_id)
        newer = self.dates.newer(PROVIDER, record.cqc_id, organisation)
        if newer:
            return self.report.skip(record.reference, newer, group=str(OLDER))
        self.dates.note_registration(PROVIDER, record.cqc_id, deregistered=record.deregistered)
        if record.deregistered:
            return self.report.skip(
                record.reference,
                _("Deregistered with CQC: the organisation was left as it is")
                if organisation
                else _("Deregistered with CQC"),
            )
        if organisation is None:
            # An organisation is added only with a location: see skip_providers_without_locations.
            self.waiting_providers[record.cqc_id] = record
            return None
        data = self._provider_data(record, organisation)
        if data:
            self._update_organisation(organisation, {**data, "cqc_data_date": self.data_date})
        else:
            self.report.unchanged += 1
            self.dates.confirm(organisation)
        return None

    def skip_providers_without_locations(self) -> None:
        """Provider records none of whose locations was imported add no organisation: it would be empty."""
        for record in self.waiting_providers.values():
            if self.local_authority:
                reason = _("Not added: none of its locations in the file is in %(area)s") % {
                    "area": self.local_authority
                }
                self.report.skip(record.reference, reason, listed=False)
            else:
                self.report.skip(record.reference, _("Not added: none of its registered locations is in the file"))

    def _provider_data(self, record: ProviderRecord, organisation: Organisation | None) -> dict:
        """CQC's name and address replace ours; area, phone and website only fill gaps."""
        wanted = {"name": record.name, "address": record.address}
        if not r.postcode_problem(record.postcode):
            wanted["postcode"] = r.clean_postcode(record.postcode)
        gaps = {"area": record.area, "phone": record.phone, "website": _website(record.website)}
        if organisation is None:
            return {**wanted, **{k: v for k, v in gaps.items() if v}}
        changes = {k: v for k, v in wanted.items() if getattr(organisation, k) != v}
        changes.update({k: v for k, v in gaps.items() if v and not getattr(organisation, k)})
        return changes

    def _create_organisation(self, *, sectors=frozenset(), **fields) -> Organisation:
        sector_ids = sorted(self.sector_ids[s] for s in sectors if s in self.sector_ids)
        organisation = services.organisation_create(
            actor=self.actor, kind=Organisation.Kind.PROVIDER, sectors=sector_ids, **fields
        )
        self.organisations[organisation.pk] = organisation
        self.sectors[organisation.pk] = set(sector_ids)
        if organisation.cqc_provider_id:
            self.providers[organisation.cqc_provider_id] = organisation
        self.created_orgs.add(organisation.pk)
        return organisation

    def _update_organisation(self, organisation: Organisation, data: dict) -> None:
        services.organisation_update(actor=self.actor, organisation=organisation, data=dict(data), check=False)
        if "sectors" in data:
            self.sectors[organisation.pk] = set(data["sectors"])
        if "name" in data:
            self.named_after_location.discard(organisation.pk)
        self.updated_orgs.add(organisation.pk)

    def add_wanted_sectors(self) -> None:
        """Give each provider the sectors its locations imply, keeping the ones it already has."""
        for org_id, slugs in self.wanted_sectors.items():
            have = self.sectors[org_id]
            wanted = {self.sector_ids[s] for s in slugs if s in self.sector_ids}
            if wanted - have:
                self._update_organisation(self.organisations[org_id], {"sectors": sorted(have | wanted)})

    # Locations ----------------------------------------------------------------------------------------------

    def import_location(self, record: LocationRecord) -> None:
        """Add or update a location under its provider; a deregistered one is made inactive."""
        self.report.total += 1
        if record.problem:
            return self.report.skip(record.reference, record.problem, group=str(NOT_CQC_FORMAT))
        if not record.social_care:
            return self._skip_not_social_care(record)
        if self.local_authority and authority_key(record.local_authority) != self.authority_key:
            if record.deregistered and record.cqc_id and not self.dates.newer(LOCATION, record.cqc_id, None):
                # Remembered wherever it is, so that older data imported for every area does not bring it back.
                self.dates.note_registration(LOCATION, record.cqc_id, deregistered=True)
            return self.report.skip(
                record.reference, _("Outside %(area)s") % {"area": self.local_authority}, listed=False
            )
        if not record.cqc_id:
            reason, group = self._location_problem(record, None)
            return self.report.skip(record.reference, reason, group=group)
        location = self.locations.get(record.cqc_id)
        newer = self.dates.newer(LOCATION, record.cqc_id, location)
        if newer:
            return self.report.skip(record.reference, newer, group=str(OLDER))
        self.dates.note_registration(LOCATION, record.cqc_id, deregistered=record.deregistered)
        if record.deregistered:
            return self._deregister(record, location)
        problem = self._location_problem(record, location)
        if problem:
            reason, group = problem
            return self.report.skip(record.reference, reason, group=group)
        organisation = self._provider_for(record, location)
        self.wanted_sectors[organisation.pk] |= record.sectors
        data = self._location_data(record, location)
        if location is None:
            self._create_location(organisation, record, data)
        elif data or location.organisation_id != organisation.pk:
            self._update_location(location, organisation, {**data, "cqc_data_date": self.data_date})
        else:
            self.report.unchanged += 1
            self.dates.confirm(location)
        return None

    def _location_problem(self, record: LocationRecord, location: Location | None) -> tuple[str, str] | None:
        """(reason, group) when the record cannot be imported: the group counts alike problems together."""
        if not record.cqc_id:
            group = _("Not a CQC location ID")
            return (
                (_("“%(id)s” is not a CQC location ID") % {"id": record.raw_id}, group)
                if record.raw_id
                else (_("No CQC location ID"), group)
            )
        if not record.name:
            return _("No name"), ""
        if location is None and record.postcode is None:
            return _("Not in the portal yet, and this file has no address to add it with"), ""
        problem = r.postcode_problem(record.postcode) if record.postcode is not None else None
        group = _("No postcode, or not a valid UK postcode")
        if problem == "missing":
            return _("No postcode"), group
        if problem == "invalid":
            return _("“%(postcode)s” is not a valid UK postcode") % {"postcode": record.postcode}, group
        return None

    def _provider_for(self, record: LocationRecord, location: Location | None) -> Organisation:
        """The location's provider: matched by CQC provider ID, adopted, or added under the best name we have."""
        current = self.organisations[location.organisation_id] if location else None
        provider_id = record.provider_id
        changes = {}
        if current and (provider_id is None or current.cqc_provider_id == provider_id):
            organisation = current
        elif current and not current.cqc_provider_id and provider_id not in self.providers:
            # An organisation made without a CQC provider ID (by hand, or from the care directory CSV)
            # is the registered provider of this location: record its ID rather than start another.
            organisation, changes["cqc_provider_id"] = current, provider_id
            self.providers[provider_id] = current
            waiting = self.waiting_providers.pop(provider_id, None)
            if waiting:
                changes.update(self._provider_data(waiting, current), cqc_data_date=self.data_date)
        elif provider_id in self.providers:
            organisation = self.providers[provider_id]
        elif provider_id in self.waiting_providers:
            waiting = self.waiting_providers.pop(provider_id)
            return self._create_organisation(
                cqc_provider_id=provider_id,
                cqc_data_date=self.data_date,
                sectors=record.sectors,
                **self._provider_data(waiting, None),
            )
        else:
            organisation = self._create_organisation(
                cqc_provider_id=provider_id,
                name=record.provider_name or record.name,
                area=record.area or "",
                sectors=record.sectors,
                cqc_data_date=self.data_date if record.provider_name else None,
            )
            if not record.provider_name:
                self.named_after_location.add(organisation.pk)
            return organisation
        if record.provider_name and organisation.pk in self.named_after_location:
            held = organisation.cqc_data_date
            if not held or held <= self.data_date:
                changes.update(name=record.provider_name, cqc_data_date=self.data_date)
        if changes:
            self._update_organisation(organisation, changes)
        return organisation

    def _location_data(self, record: LocationRecord, location: Location | None) -> dict:
        """The fields to set: all of them for a new location, only those that differ for an existing one."""
        wanted = {"name": record.name}
        wanted.update({k: getattr(record, k) for k in ("address", "town") if getattr(record, k) is not None})
        if record.postcode is not None:
            wanted["postcode"] = r.clean_postcode(record.postcode)
        if record.rating is not None:
            wanted["cqc_rating"] = record.rating
        if record.service_code in self.service_types:
            wanted["service_type"] = self.service_types[record.service_code]
        if record.capacity is not None:
            wanted.update(capacity=record.capacity, capacity_unit=Location.CapacityUnit.BEDS)
        if record.local_authority.strip():
            wanted["local_authority"] = r.clip(record.local_authority, "area")
        if record.area and (location is None or not location.area):
            # Only fills a gap: the council may have put the location in one of its own localities.
            wanted["area"] = record.area
        if location is None:
            return {**wanted, "cqc_data_date": self.data_date}
        changes = {k: v for k, v in wanted.items() if _current(location, k) != _current_value(v)}
        return {**changes, "cqc_data_date": self.data_date} if changes else {}

    def _create_location(self, organisation: Organisation, record: LocationRecord, data: dict) -> None:
        location = services.location_save(
            actor=self.actor,
            organisation=organisation,
            location=None,
            data={**data, "cqc_location_id": record.cqc_id},
            check=False,
        )
        self.locations[record.cqc_id] = location
        self.created_locs.add(location.pk)

    def _update_location(self, location: Location, organisation: Organisation, data: dict) -> None:
        current = self.organisations[location.organisation_id]
        moved = current.pk != organisation.pk
        if moved:
            data = {**data, "organisation": organisation}
        services.location_save(actor=self.actor, organisation=current, location=location, data=data, check=False)
        if moved:
            audit.record(
                actor=self.actor,
                action="location.moved",
                obj=location,
                organisation=organisation,
                changes={"organisation": [str(current), str(organisation)]},
            )
        self.updated_locs.add(location.pk)

    def _deregister(self, record: LocationRecord, location: Location | None) -> None:
        if location is None:
            self.report.skip(record.reference, _("Deregistered with CQC"))
        elif location.is_active:
            self._update_location(
                location,
                self.organisations[location.organisation_id],
                {"is_active": False, "cqc_data_date": self.data_date},
            )
        else:
            self.report.unchanged += 1
            self.dates.confirm(location)

    def _skip_not_social_care(self, record) -> None:
        reason = (
            _("Not adult social care (%(kind)s)") % {"kind": record.kind_label}
            if record.kind_label
            else _("Not adult social care")
        )
        self.report.skip(record.reference, reason, listed=False)


def _reference(row, id_field: str) -> str:
    cqc_id = getattr(row, id_field)
    return f"{row.name} ({cqc_id})" if cqc_id else row.name


def _current(location: Location, field: str):
    return location.service_type_id if field == "service_type" else getattr(location, field)


def _current_value(value):
    return value.pk if isinstance(value, ServiceType) else value


def _website(value: str) -> str:
    """CQC gives websites without a scheme ("www.example.org.uk"); ours need one."""
    if not value:
        return ""
    url = value if "://" in value else f"https://{value}"
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url if len(url) <= 200 else ""
