"""Checking and writing training records from an ASC-WDS training file or the Care Network training template.

Every rule of the ASC-WDS training file (bulk_upload_spec.md, section 3) is checked here, plus ours: the person must
be on this provider's staff register, completion cannot be in the future, and a record the provider already has
(same person, category and completion date) is skipped with a warning rather than added twice.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from carenetwork.records.cover import cover_refresh
from carenetwork.records.imports import values
from carenetwork.records.imports.bulk import bulk_insert
from carenetwork.records.imports.layouts import ASCWDS, Recognised
from carenetwork.records.imports.report import Report
from carenetwork.records.imports.values import Invalid
from carenetwork.records.imports.workplaces import workplaces_learn
from carenetwork.records.models import (
    ExternalTrainingProvider,
    ImportRun,
    StaffMember,
    TrainingCategory,
    TrainingRecord,
)
from carenetwork.records.rules import expiry_date

NEVER = "never"
OTHER_PROVIDER = 999
Record = TrainingRecord

# ASC-WDS codes (bulk_upload_spec.md, section 3).
ACCREDITED_CODES = {"1": Record.Accredited.YES, "0": Record.Accredited.NO, "999": Record.Accredited.DONT_KNOW}
DELIVERED_BY_CODES = {"1": Record.DeliveredBy.IN_HOUSE, "2": Record.DeliveredBy.EXTERNAL}
HOW_DELIVERED_CODES = {"1": Record.HowDelivered.FACE_TO_FACE, "2": Record.HowDelivered.E_LEARNING}
# The template's words, as well as the codes.
ACCREDITED_WORDS = {
    **ACCREDITED_CODES,
    "yes": Record.Accredited.YES,
    "no": Record.Accredited.NO,
    "don't know": Record.Accredited.DONT_KNOW,
    "dont know": Record.Accredited.DONT_KNOW,
}
DELIVERED_BY_WORDS = {
    **DELIVERED_BY_CODES,
    "in-house": Record.DeliveredBy.IN_HOUSE,
    "in house": Record.DeliveredBy.IN_HOUSE,
    "in-house staff": Record.DeliveredBy.IN_HOUSE,
    "external": Record.DeliveredBy.EXTERNAL,
    "external provider": Record.DeliveredBy.EXTERNAL,
}
HOW_DELIVERED_WORDS = {
    **HOW_DELIVERED_CODES,
    "face to face": Record.HowDelivered.FACE_TO_FACE,
    "face-to-face": Record.HowDelivered.FACE_TO_FACE,
    "e-learning": Record.HowDelivered.E_LEARNING,
    "elearning": Record.HowDelivered.E_LEARNING,
    "online": Record.HowDelivered.E_LEARNING,
}
NEVER_WORDS = {"does not expire", "never", "none"}


def staff_by_reference(organisation) -> tuple[dict[str, int], dict[str, int]]:
    """The register's people by reference, exactly and ignoring case (where that is still unambiguous)."""
    exact = dict(
        StaffMember.objects.filter(organisation=organisation).exclude(reference="").values_list("reference", "pk")
    )
    folded: dict[str, int | None] = {}
    for reference, pk in exact.items():
        key = reference.lower()
        folded[key] = None if key in folded else pk
    return exact, {k: v for k, v in folded.items() if v is not None}


class TrainingImporter:
    """Checks rows one by one, keeping what it needs to look up in memory; writes the valid rows in batches."""

    def __init__(self, *, organisation, recognised: Recognised, report: Report):
        self.organisation = organisation
        self.local_ids: set[str] = set()
        self.layout = recognised.layout
        self.positions = recognised.positions
        self.ascwds = self.layout.code == ASCWDS
        self.report = report
        self.today = timezone.localdate()
        self.staff, self.staff_folded = staff_by_reference(organisation)
        categories = list(TrainingCategory.objects.values_list("pk", "code", "name", "refresh_months", "is_active"))
        self.categories_by_code = {c[1]: c for c in categories if c[1] is not None}
        self.categories_by_name = {c[2].lower(): c for c in categories}
        providers = list(ExternalTrainingProvider.objects.values_list("code", "name"))
        self.providers = dict(providers)
        self.providers_by_name = {name.lower(): code for code, name in providers}
        self.existing = set(
            TrainingRecord.objects.filter(staff__organisation=organisation).values_list(
                "staff_id", "category_id", "completed_on"
            )
        )
        self.seen: dict[tuple, int] = {}
        self.skipped = 0
        fields = set(self.layout.columns.values())
        self.readers = [(name, reader) for name, reader in self.READERS if name in fields]

    # Reading a row

    def check(self, number: int, cells: list[str]) -> dict | None:
        """The record a row holds, or None when it has errors (reported) or repeats a record (warned)."""
        row = {f: (cells[i] if i < len(cells) else "") for f, i in self.positions.items()}
        errors_before = self.report.errors
        found = {}
        for name, reader in self.readers:
            try:
                found[name] = reader(self, row.get(name, ""), found, number)
            except Invalid as problem:
                self.report.error(number, self.layout.heading(name), str(problem))
                found[name] = None
        if self.report.errors > errors_before:
            return None
        record = self._record(found, number)
        key = (record["staff_id"], record["category_id"], record["completed_on"])
        if key in self.existing or key in self.seen:
            self.skipped += 1
            column = self.layout.heading("completed")
            if key in self.seen:
                message = _("the same person, category and date completed are on row %(row)s: this row is skipped")
                self.report.warning(number, column, message % {"row": self.seen[key]})
            else:
                message = _("this person already has a %(category)s record completed on %(date)s: this row is skipped")
                self.report.warning(
                    number,
                    column,
                    message
                    % {"category": found["category"][2], "date": f"{key[2]:%d/%m/%Y}" if key[2] else _("no date")},
                )
            return None
        self.seen[key] = number
        return record

    def _local_id(self, value, found, number):
        if not value:
            raise Invalid(_("enter your workplace's LOCALESTID, as in your ASC-WDS workplace file"))
        self.local_ids.add(values.text(value, 50))
        return value

    def _worker(self, value, found, number):
        if not value:
            if self.ascwds:
                raise Invalid(_("enter the person's UNIQUEWORKERID, as on your staff register"))
            raise Invalid(_("enter the person's reference, as on your staff register"))
        values.text(value, 50)
        staff_id = self.staff.get(value) or self.staff_folded.get(value.lower())
        if staff_id is None:
            raise Invalid(
                _("nobody on your staff register has the reference %(value)s: add them or import your staff file first")
                % {"value": value}
            )
        return staff_id

    def _category(self, value, found, number):
        if not value:
            if self.ascwds:
                raise Invalid(
                    _("enter the ASC-WDS training category code, a number such as 20 for safeguarding adults")
                )
            raise Invalid(_("enter the training category, by its name or its ASC-WDS code"))
        if values.INTEGER.match(value):
            category = self.categories_by_code.get(int(value))
            if category is None:
                raise Invalid(_("%(value)s is not an ASC-WDS training category code") % {"value": value})
        elif self.ascwds:
            raise Invalid(_("enter the ASC-WDS training category code, a number such as 20 for safeguarding adults"))
        else:
            category = self.categories_by_name.get(value.lower())
            if category is None:
                raise Invalid(_("there is no training category called %(value)s") % {"value": value})
        if not category[4]:
            raise Invalid(_("the category %(name)s is no longer in use: choose another") % {"name": category[2]})
        return category

    def _training_name(self, value, found, number):
        return values.text(value, 120)

    def _accredited(self, value, found, number):
        if not value:
            return ""  # the file says nothing: nor do we
        if self.ascwds:
            return values.choice(value, ACCREDITED_CODES, _lazy("enter 1 for yes, 0 for no or 999 for don't know"))
        return values.choice(value, ACCREDITED_WORDS, _lazy("enter Yes, No or Don't know"))

    def _delivered_by(self, value, found, number):
        if not value:
            return ""
        if self.ascwds:
            return values.choice(
                value, DELIVERED_BY_CODES, _lazy("enter 1 for in-house staff or 2 for an external provider")
            )
        return values.choice(value, DELIVERED_BY_WORDS, _lazy("enter In-house staff or External provider"))

    def _provider(self, value, found, number):
        if not value:
            return None
        delivered_by = found.get("delivered_by")
        if self.ascwds and delivered_by != Record.DeliveredBy.EXTERNAL:
            message = _("PROVIDERNAME is only used when WHODELIVERED is 2 (an external provider): it was left out")
            self.report.warning(number, self.layout.heading("provider"), message)
            return None
        if delivered_by == Record.DeliveredBy.IN_HOUSE:
            message = _(
                "a training provider is only kept for training delivered by an external provider: it was left out"
            )
            self.report.warning(number, self.layout.heading("provider"), message)
            return None
        if values.INTEGER.match(value):
            code = int(value)
            if code not in self.providers:
                raise Invalid(_("%(value)s is not an ASC-WDS training provider code") % {"value": value})
            return code, "" if code == OTHER_PROVIDER else self.providers[code]
        if self.ascwds:
            raise Invalid(_("enter the ASC-WDS training provider code, a number such as 999 for another provider"))
        name = values.text(value, 200)
        return self.providers_by_name.get(name.lower()), name

    def _how_delivered(self, value, found, number):
        if not value:
            return ""
        if self.ascwds:
            return values.choice(value, HOW_DELIVERED_CODES, _lazy("enter 1 for face to face or 2 for e-learning"))
        return values.choice(value, HOW_DELIVERED_WORDS, _lazy("enter Face to face or E-learning"))

    def _validity(self, value, found, number):
        if not value:
            return None
        if value.lower() == "none":
            return NEVER
        months = int(value) if values.INTEGER.match(value) else None
        if months is None or not 1 <= months <= 999:
            raise Invalid(_("enter a number of months from 1 to 999, or none if the training does not expire"))
        return months

    def _completed(self, value, found, number):
        if not value:
            return None  # ASC-WDS keeps training with no completion date; so do we ("no date", never in date)
        completed = values.date(value)
        if completed > self.today:
            raise Invalid(_("the date completed cannot be in the future"))
        return completed

    def _expires(self, value, found, number):
        if not self.ascwds and value.lower() in NEVER_WORDS:
            return NEVER
        expires = values.date(value)
        completed = found.get("completed")
        if expires and completed and expires <= completed:
            # ASC-WDS rejects an expiry on or before the completion date (its error 1030).
            raise Invalid(_("the expiry date must be after the date completed"))
        return expires

    def _notes(self, value, found, number):
        return values.text(value, 1000)

    READERS = [
        ("local_id", _local_id),
        ("worker", _worker),
        ("category", _category),
        ("training_name", _training_name),
        ("accredited", _accredited),
        ("delivered_by", _delivered_by),
        ("provider", _provider),
        ("how_delivered", _how_delivered),
        ("validity", _validity),
        ("completed", _completed),
        ("expires", _expires),
        ("notes", _notes),
    ]

    def _record(self, found: dict, number: int) -> dict:
        """What the row says, as it says it: an expiry only where the file gives one (or VALIDITY months, from
        which ASC-WDS works out the date and stores it); the category's refresh period is applied when reading."""
        category, completed = found["category"], found["completed"]
        validity, expires = found.get("validity"), found.get("expires")
        does_not_expire = validity == NEVER or expires == NEVER
        given = None if expires in (None, NEVER) else expires
        from_validity = expiry_date(completed, validity) if isinstance(validity, int) and completed else None
        expires_on = given or from_validity
        overridden = given is not None
        if given is not None and validity == NEVER:
            message = _(
                "VALIDITY says the training does not expire, but EXPIRYDATE gives a date: both are kept and the "
                "date is used"
            )
            self.report.warning(number, self.layout.heading("expires"), message)
        elif given is not None and from_validity is not None and given != from_validity:
            message = _(
                "EXPIRYDATE is not DATECOMPLETED plus VALIDITY months less one day (%(date)s): EXPIRYDATE is used"
            )
            self.report.warning(number, self.layout.heading("expires"), message % {"date": f"{from_validity:%d/%m/%Y}"})
        provider_code, provider_name = found.get("provider") or (None, "")
        return {
            "staff_id": found["worker"],
            "category_id": category[0],
            "training_name": found.get("training_name", ""),
            "completed_on": completed,
            "expires_on": expires_on,
            "does_not_expire": does_not_expire,
            "expiry_overridden": overridden,
            "accredited": found.get("accredited") or "",
            "delivered_by": found.get("delivered_by", ""),
            "provider_code": provider_code,
            "provider_name": provider_name,
            "how_delivered": found.get("how_delivered", ""),
            "validity_months": validity if isinstance(validity, int) else None,
            "notes": found.get("notes", ""),
        }

    def summary(self) -> dict:
        return {"skipped": self.skipped}

    # Writing

    def write(self, records: list[dict], *, run: ImportRun, actor) -> dict:
        """Add the records (see bulk.py for why not bulk_create), then bring everyone's cover up to date in one go."""
        created = bulk_insert(
            TrainingRecord,
            records,
            source=Record.Source.IMPORTED,
            import_run_id=run.pk,
            created_by_id=actor.pk if actor else None,
        )
        cover_refresh({fields["staff_id"] for fields in records})
        workplaces_learn(actor=actor, organisation=self.organisation, local_ids=self.local_ids)
        return {"created": created}
