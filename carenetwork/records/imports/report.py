"""The errors and warnings of one import: counted exactly, the first few thousand kept on the run for its page,
and every one written to a CSV report file beside the uploaded file."""

import csv
import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from carenetwork.records.imports.parsing import escape
from carenetwork.records.models import ImportRun

ERROR = "error"
WARNING = "warning"
STORED_MESSAGES = 2000


def report_file_name(run: ImportRun) -> str:
    """Where the full report of a run is kept: beside its uploaded file."""
    return f"{run.file.name}.report.csv"


class Report:
    """Messages by row and column, in the order they were found."""

    def __init__(self):
        self.messages: list[dict] = []
        self.errors = 0
        self.warnings = 0
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer)
        self._csv.writerow([_("Row"), _("Column"), _("Type"), _("Problem")])

    def add(self, level: str, row: int, column: str, message: str) -> None:
        if level == ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.messages) < STORED_MESSAGES:
            self.messages.append({"row": row, "column": column, "level": level, "message": message})
        self._csv.writerow([row, escape(column), _("Error") if level == ERROR else _("Warning"), escape(message)])

    def error(self, row: int, column: str, message: str) -> None:
        self.add(ERROR, row, column, message)

    def warning(self, row: int, column: str, message: str) -> None:
        self.add(WARNING, row, column, message)

    @property
    def truncated(self) -> bool:
        return self.errors + self.warnings > len(self.messages)

    def as_json(self, **summary) -> dict:
        """What the run's page shows: the summary figures and the first messages."""
        return {**summary, "messages": self.messages, "truncated": self.truncated}

    def save_file(self, run: ImportRun) -> None:
        """Write every message to the run's report file, replacing any earlier report."""
        storage = run.file.storage
        name = report_file_name(run)
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(self._buffer.getvalue().encode("utf-8-sig")))
