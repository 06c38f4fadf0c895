"""The file layouts we import, recognised from the header row.

The ASC-WDS layouts are Skills for Care's bulk upload files (see ../shared/data/ascwds/bulk_upload_spec.md); the
templates are Care Network's own, simpler files. Headings and the words in template cells are file vocabulary,
not interface text: they stay in English so that a file means the same whatever language the person reads.
"""

import re
from dataclasses import dataclass, field

from carenetwork.records.models import ImportRun

TRAINING = ImportRun.Kind.TRAINING
STAFF = ImportRun.Kind.STAFF
ASCWDS = "ascwds"
TEMPLATE = "template"

ASCWDS_TRAINING_HEADER = [
    "LOCALESTID",
    "UNIQUEWORKERID",
    "CATEGORY",
    "TRAININGNAME",
    "ACCREDITED",
    "WHODELIVERED",
    "PROVIDERNAME",
    "HOWDELIVERED",
    "VALIDITY",
    "DATECOMPLETED",
    "EXPIRYDATE",
    "NOTES",
]
TRAINING_TEMPLATE_HEADER = [
    "Staff reference",
    "Staff name",
    "Category",
    "Training name",
    "Date completed",
    "Expiry date",
    "Accredited",
    "Delivered by",
    "Training provider",
    "How delivered",
    "Notes",
]
STAFF_TEMPLATE_HEADER = ["Name", "Reference", "Job role", "Location", "Start date", "Leaving date", "Email"]


def normalise(heading: str) -> str:
    """A heading without case, spaces or punctuation: 'Date completed' and 'DATE_COMPLETED' are the same."""
    return re.sub(r"[^a-z0-9]", "", heading.lower())


@dataclass(frozen=True, eq=False)
class Layout:
    """A file layout: which heading holds which field, and which fields must have a column."""

    kind: str
    code: str
    name: str
    columns: dict[str, str]  # heading as we write it -> field
    required: frozenset[str]
    # The ASC-WDS staff file has 44 columns; we read six of them and ignore the rest without a word.
    ignore_others: bool = False
    by_heading: dict[str, str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "by_heading", {normalise(h): f for h, f in self.columns.items()})

    def heading(self, field_name: str) -> str:
        """The heading of a field as the person's file names it."""
        return next(h for h, f in self.columns.items() if f == field_name)


ASCWDS_TRAINING = Layout(
    kind=TRAINING,
    code=ASCWDS,
    name="ASC-WDS training file",
    columns={
        "LOCALESTID": "local_id",
        "UNIQUEWORKERID": "worker",
        "CATEGORY": "category",
        "TRAININGNAME": "training_name",
        "ACCREDITED": "accredited",
        "WHODELIVERED": "delivered_by",
        "PROVIDERNAME": "provider",
        "HOWDELIVERED": "how_delivered",
        "VALIDITY": "validity",
        "DATECOMPLETED": "completed",
        "EXPIRYDATE": "expires",
        "NOTES": "notes",
    },
    required=frozenset({"local_id", "worker", "category", "completed"}),
)
# The layout before 2024: DESCRIPTION where TRAININGNAME is now, and no delivery or validity columns.
ASCWDS_TRAINING_2019 = Layout(
    kind=TRAINING,
    code=ASCWDS,
    name="ASC-WDS training file (layout before 2024)",
    columns={
        "LOCALESTID": "local_id",
        "UNIQUEWORKERID": "worker",
        "CATEGORY": "category",
        "DESCRIPTION": "training_name",
        "DATECOMPLETED": "completed",
        "EXPIRYDATE": "expires",
        "ACCREDITED": "accredited",
        "NOTES": "notes",
    },
    required=frozenset({"local_id", "worker", "category", "training_name", "completed"}),
)
TRAINING_TEMPLATE = Layout(
    kind=TRAINING,
    code=TEMPLATE,
    name="Care Network training template",
    columns=dict(
        zip(
            TRAINING_TEMPLATE_HEADER,
            [
                "worker",
                "staff_name",
                "category",
                "training_name",
                "completed",
                "expires",
                "accredited",
                "delivered_by",
                "provider",
                "how_delivered",
                "notes",
            ],
            strict=True,
        )
    ),
    required=frozenset({"worker", "category", "completed"}),
)
ASCWDS_STAFF = Layout(
    kind=STAFF,
    code=ASCWDS,
    name="ASC-WDS staff file",
    columns={
        "LOCALESTID": "local_id",
        "UNIQUEWORKERID": "reference",
        "STATUS": "status",
        "DISPLAYID": "name",
        "STARTDATE": "start_date",
        "MAINJOBROLE": "job_role",
    },
    required=frozenset({"local_id", "reference", "status", "name", "start_date", "job_role"}),
    ignore_others=True,
)
STAFF_TEMPLATE = Layout(
    kind=STAFF,
    code=TEMPLATE,
    name="Care Network staff template",
    columns=dict(
        zip(
            STAFF_TEMPLATE_HEADER,
            ["name", "reference", "job_role", "location", "start_date", "leaving_date", "email"],
            strict=True,
        )
    ),
    required=frozenset({"name", "reference", "job_role"}),
)
# The training layouts come first: an ASC-WDS training file also has LOCALESTID and UNIQUEWORKERID.
LAYOUTS = [ASCWDS_TRAINING, ASCWDS_TRAINING_2019, ASCWDS_STAFF, TRAINING_TEMPLATE, STAFF_TEMPLATE]
# What gives a layout away even when a required column is missing.
SIGNATURES = {
    ASCWDS_TRAINING: {"localestid", "uniqueworkerid", "category", "trainingname"},
    ASCWDS_TRAINING_2019: {"localestid", "uniqueworkerid", "category", "description"},
    ASCWDS_STAFF: {"localestid", "uniqueworkerid", "status", "displayid"},
    TRAINING_TEMPLATE: {"staffreference", "category"},
    STAFF_TEMPLATE: {"name", "reference", "jobrole"},
}


@dataclass
class Recognised:
    """The layout a header row matches, where each field is, and what is wrong with the header."""

    layout: Layout
    positions: dict[str, int]
    missing: list[str]
    unknown: list[str]


def recognise(header: list[str]) -> Recognised | None:
    """The layout of a file from its header row, or None when it looks like none of ours."""
    headings = [normalise(h) for h in header]
    present = set(headings)
    for layout in LAYOUTS:
        if not SIGNATURES[layout] <= present:
            continue
        positions, unknown = {}, []
        for index, heading in enumerate(headings):
            field_name = layout.by_heading.get(heading)
            if field_name and field_name not in positions:
                positions[field_name] = index
            elif heading and not field_name and not layout.ignore_others:
                unknown.append(header[index])
        missing = [h for h, f in layout.columns.items() if f in layout.required and f not in positions]
        return Recognised(layout, positions, missing, unknown)
    return None
