"""Checking and writing a staff register from the Care Network staff template or the ASC-WDS staff file.

People are matched by their reference (the ASC-WDS UNIQUEWORKERID): a new reference adds a person, a known one
updates them. The template is the whole truth about a person (an empty cell clears the value); the ASC-WDS file
gives only the six columns we keep (LOCALESTID, UNIQUEWORKERID, STATUS, DISPLAYID, STARTDATE, MAINJOBROLE), and an
empty cell there leaves the value as it was.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from carenetwork.organisations.models import Membership
from carenetwork.records.cover import cover_follow_staff
from carenetwork.records.figures import figures_refresh
from carenetwork.records.imports import values
from carenetwork.records.imports.layouts import ASCWDS, Recognised
from carenetwork.records.imports.report import Report
from carenetwork.records.imports.values import Invalid
from carenetwork.records.imports.workplaces import workplaces_learn
from carenetwork.records.models import ImportRun, JobRole, StaffMember

BATCH = 1000
FIELDS = ["name", "job_role_id", "location_id", "start_date", "leaving_date", "email", "user_id"]
STATUSES = {s.lower(): s for s in ("NEW", "UPDATE", "DELETE", "NOCHANGE", "UNCHECKED")}


class StaffImporter:
    """Checks rows one by one against the register held in memory; adds and updates people in batches."""

    def __init__(self, *, organisation, recognised: Recognised, report: Report):
        self.organisation = organisation
        self.local_ids: set[str] = set()
        self.layout = recognised.layout
        self.positions = recognised.positions
        self.ascwds = self.layout.code == ASCWDS
        self.report = report
        self.today = timezone.localdate()
        people = StaffMember.objects.filter(organisation=organisation, personal_data_removed_at__isnull=True)
        self.existing = {p["reference"]: p for p in people.exclude(reference="").values("pk", "reference", *FIELDS)}
        self.folded = {}
        for reference in self.existing:
            self.folded.setdefault(reference.lower(), reference)
        roles = list(JobRole.objects.values_list("pk", "code", "name", "is_active"))
        self.roles_by_code = {r[1]: r for r in roles if r[1] is not None}
        self.roles_by_name = {r[2].lower(): r for r in roles}
        active = list(organisation.locations.filter(is_active=True).values_list("pk", "name", "ascwds_workplace_id"))
        self.locations = {name.lower(): pk for pk, name, _ref in active}
        # An ASC-WDS file names the workplace by its reference (LOCALESTID); older exports of ours by its name.
        self.workplaces = {ref: pk for pk, _name, ref in active if ref}
        self.accounts = {
            email.lower(): pk
            for pk, email in Membership.objects.active()
            .filter(organisation=organisation)
            .values_list("user_id", "user__email")
        }
        self.seen: dict[str, int] = {}
        self.counts = {"to_create": 0, "to_update": 0, "unchanged": 0, "skipped": 0}
        fields = set(self.layout.columns.values())
        self.readers = [(name, reader) for name, reader in self.READERS if name in fields]

    def check(self, number: int, cells: list[str]) -> dict | None:
        """What to do with the person a row describes, or None when there is nothing to do or it has errors."""
        row = {f: (cells[i] if i < len(cells) else "") for f, i in self.positions.items()}
        errors_before = self.report.errors
        found = {}
        for name, reader in self.readers:
            try:
                found[name] = reader(self, row.get(name, ""), found, number)
            except Invalid as problem:
                self.report.error(number, self.layout.heading(name), str(problem))
                found[name] = None
        reference = found.get("reference")
        if reference:
            key = reference.lower()
            if key in self.seen:
                message = _("the reference %(value)s is also on row %(row)s: give each person their own reference")
                self.report.error(
                    number, self.layout.heading("reference"), message % {"value": reference, "row": self.seen[key]}
                )
            else:
                self.seen[key] = number
        if self.report.errors > errors_before:
            return None
        existing = self.existing.get(reference) or self.existing.get(self.folded.get(reference.lower(), ""))
        changes = self._ascwds_changes(found, existing, number) if self.ascwds else self._template_changes(found)
        if changes is None or self.report.errors > errors_before:
            return None
        return self._action(changes, existing, number)

    # Reading cells

    def _local_id(self, value, found, number):
        if not value:
            raise Invalid(_("enter your workplace's LOCALESTID, as in your ASC-WDS workplace file"))
        self.local_ids.add(values.text(value, 50))
        return value

    def _reference(self, value, found, number):
        if not value:
            if self.ascwds:
                raise Invalid(_("enter the person's UNIQUEWORKERID"))
            raise Invalid(_("enter the person's reference, such as their ASC-WDS unique worker ID"))
        return values.text(value, 50)

    def _status(self, value, found, number):
        return values.choice(value, STATUSES, _lazy("enter NEW, UPDATE, DELETE, NOCHANGE or UNCHECKED"))

    def _name(self, value, found, number):
        if not value and not self.ascwds:
            raise Invalid(_("enter the person's full name"))
        return values.text(value, 50 if self.ascwds else 150)

    def _job_role(self, value, found, number):
        if not value:
            if not self.ascwds:
                raise Invalid(_("enter the person's job role, by its name or its ASC-WDS code"))
            return None
        if values.INTEGER.match(value):
            role = self.roles_by_code.get(int(value))
            if role is None:
                raise Invalid(_("%(value)s is not an ASC-WDS job role code") % {"value": value})
        elif self.ascwds:
            raise Invalid(_("enter the ASC-WDS job role code, a number such as 8 for care worker"))
        else:
            role = self.roles_by_name.get(value.lower())
            if role is None:
                raise Invalid(_("there is no job role called %(value)s") % {"value": value})
        if not role[3]:
            raise Invalid(_("the job role %(name)s is no longer in use: choose another") % {"name": role[2]})
        return role[0]

    def _location(self, value, found, number):
        if not value:
            return None
        pk = self.locations.get(value.lower())
        if pk is None:
            raise Invalid(
                _("you have no location called %(value)s: use the name of one of your locations") % {"value": value}
            )
        return pk

    def _start_date(self, value, found, number):
        start = values.date(value)
        if self.ascwds and start and start > self.today:
            raise Invalid(_("the start date cannot be in the future"))
        return start

    def _leaving_date(self, value, found, number):
        leaving = values.date(value)
        start = found.get("start_date")
        if leaving and start and leaving < start:
            raise Invalid(_("the leaving date must be the same as or after the start date"))
        return leaving

    def _email(self, value, found, number):
        return values.email(values.text(value, 254))

    READERS = [
        ("local_id", _local_id),
        ("reference", _reference),
        ("status", _status),
        ("name", _name),
        ("job_role", _job_role),
        ("location", _location),
        ("start_date", _start_date),
        ("leaving_date", _leaving_date),
        ("email", _email),
    ]

    # Deciding what to do

    def _template_changes(self, found: dict) -> dict:
        email = found["email"] if "email" in found else ""
        return {
            "reference": found["reference"],
            "name": found["name"],
            "job_role_id": found["job_role"],
            "location_id": found.get("location"),
            "start_date": found.get("start_date"),
            "leaving_date": found.get("leaving_date"),
            "email": email,
            "user_id": self.accounts.get(email.lower()) if email else None,
        }

    def _ascwds_changes(self, found: dict, existing: dict | None, number: int) -> dict | None:
        status, heading = found["status"], self.layout.heading("status")
        if status == "DELETE":
            if existing is None:
                self.report.warning(
                    number, heading, _("nobody on your staff register has this UNIQUEWORKERID: row skipped")
                )
                self.counts["skipped"] += 1
                return None
            if existing["leaving_date"] is None:
                message = _("STATUS is DELETE: this person is marked as having left today")
                self.report.warning(number, heading, message)
            return {"leaving_date": existing["leaving_date"] or max(self.today, existing["start_date"] or self.today)}
        if status == "NOCHANGE" and existing is not None:
            return {}
        if status == "NEW" and existing is not None:
            self.report.warning(
                number, heading, _("STATUS is NEW, but this person is already on your register: they are updated")
            )
        if status == "UPDATE" and existing is None:
            self.report.warning(
                number, heading, _("STATUS is UPDATE, but this person is not on your register yet: they are added")
            )
        changes = {"reference": found["reference"]}
        if found["name"]:
            changes["name"] = found["name"]
        elif existing is None:
            self.report.error(
                number, self.layout.heading("name"), _("enter the person's name in DISPLAYID to add them")
            )
        if found["job_role"]:
            changes["job_role_id"] = found["job_role"]
        elif existing is None:
            self.report.error(
                number, self.layout.heading("job_role"), _("enter the person's MAINJOBROLE code to add them")
            )
        if found["start_date"]:
            changes["start_date"] = found["start_date"]
        location = self.workplaces.get(found["local_id"]) or self.locations.get(found["local_id"].lower())
        if location:
            changes["location_id"] = location
        return changes

    def _action(self, changes: dict, existing: dict | None, number: int) -> dict | None:
        merged = {**(existing or {}), **changes}
        start, leaving = merged.get("start_date"), merged.get("leaving_date")
        if start and leaving and leaving < start:
            heading = self.layout.heading("start_date")
            self.report.error(
                number,
                heading,
                _("this person left on %(date)s, before this start date") % {"date": f"{leaving:%d/%m/%Y}"},
            )
            return None
        if existing is None:
            self.counts["to_create"] += 1
            return {"create": {f: merged.get(f) for f in ("reference", *FIELDS)}}
        different = {f: v for f, v in changes.items() if f != "reference" and existing.get(f) != v}
        if not different:
            self.counts["unchanged"] += 1
            return None
        self.counts["to_update"] += 1
        return {"update": existing["pk"], "fields": {f: merged.get(f) for f in FIELDS}, "changed": sorted(different)}

    def summary(self) -> dict:
        return dict(self.counts)

    # Writing

    def write(self, actions: list[dict], *, run: ImportRun, actor) -> dict:
        """Add the new people and update the others, in batches."""
        now = timezone.now()
        created = [
            StaffMember(organisation=self.organisation, **{**a["create"], "email": a["create"]["email"] or ""})
            for a in actions
            if "create" in a
        ]
        updated = [StaffMember(pk=a["update"], modified_at=now, **a["fields"]) for a in actions if "update" in a]
        changed = sorted({f for a in actions if "update" in a for f in a["changed"]})
        StaffMember.objects.bulk_create(created, batch_size=BATCH)
        if updated:
            StaffMember.objects.bulk_update(updated, [*changed, "modified_at", "user_id"], batch_size=BATCH)
            if "job_role_id" in changed:
                cover_follow_staff(a["update"] for a in actions if "job_role_id" in a.get("changed", ()))
        figures_refresh([self.organisation.pk])
        if self.ascwds:
            workplaces_learn(actor=actor, organisation=self.organisation, local_ids=self.local_ids)
        return {"created": len(created), "updated": len(updated)}
