"""Checking meeting papers: type by name and by content (magic bytes), and size."""

import codecs
import os
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PAPER_MAX_BYTES = 20 * 1024 * 1024


def _is_text(head: bytes) -> bool:
    if any(b < 9 or 13 < b < 32 and b != 27 for b in head):
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _zip_names(upload) -> list[str] | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                names.append("mimetype:" + archive.read("mimetype")[:100].decode("ascii", "replace"))
            return names
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    finally:
        upload.seek(0)


def _ooxml(folder: str):
    def check(head, upload):
        names = _zip_names(upload) if head.startswith(b"PK\x03\x04") else None
        return bool(names) and "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


def _odt(head, upload):
    names = _zip_names(upload) if head.startswith(b"PK\x03\x04") else None
    return bool(names) and "mimetype:application/vnd.oasis.opendocument.text" in names


PAPER_TYPES = {
    ".pdf": ("application/pdf", lambda head, upload: head.startswith(b"%PDF-")),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ooxml("word/")),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ooxml("xl/")),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ooxml("ppt/")),
    ".odt": ("application/vnd.oasis.opendocument.text", _odt),
    ".csv": ("text/csv", lambda head, upload: _is_text(head) and not head.startswith(b"%PDF")),
    ".txt": ("text/plain", lambda head, upload: _is_text(head) and not head.startswith(b"%PDF")),
}


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
