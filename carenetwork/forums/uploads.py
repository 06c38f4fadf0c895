"""Checking meeting papers: type by name and by content (magic bytes), and size."""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carenetwork.core.uploads import FILE_TYPES

PAPER_MAX_BYTES = 20 * 1024 * 1024

# Meeting papers may be any type the shared upload rules know.
PAPER_TYPES = FILE_TYPES


def paper_content_type(upload) -> str:
    """The paper's type, checked by its name and by its content; ValidationError for anything else."""
    if upload is None:
        raise ValidationError({"upload": _("Choose a file")})
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError({"upload": _("The file must be smaller than 20 MB")})
    if upload.size == 0:
        raise ValidationError({"upload": _("The file is empty")})
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in PAPER_TYPES:
        raise ValidationError({"upload": _("The file must be a PDF, DOCX, XLSX, PPTX, ODT, CSV or TXT")})
    content_type, looks_right = PAPER_TYPES[extension]
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not looks_right(head, upload):
        raise ValidationError({"upload": _("The file's content is not a %(kind)s") % {"kind": extension[1:].upper()}})
    return content_type


def paper_download_name(paper) -> str:
    """The name a paper downloads as: its stored name without the random prefix."""
    name = os.path.basename(paper.file.name)
    return name.split("-", 1)[1] if "-" in name else name
