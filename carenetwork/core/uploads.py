"""Upload rules every capability shares: what a file is, checked by its content (magic bytes), not its name.

`FILE_TYPES` maps an extension to its content type and a check `(head, upload) -> bool`, where `head` is the
file's first 8 KB. Forums use it for meeting papers, records for staff and training imports.
"""

import codecs
import zipfile


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


FILE_TYPES = {
    ".pdf": ("application/pdf", lambda head, upload: head.startswith(b"%PDF-")),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ooxml("word/")),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ooxml("xl/")),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ooxml("ppt/")),
    ".odt": ("application/vnd.oasis.opendocument.text", _odt),
    ".csv": ("text/csv", lambda head, upload: _is_text(head) and not head.startswith(b"%PDF")),
    ".txt": ("text/plain", lambda head, upload: _is_text(head) and not head.startswith(b"%PDF")),
}


def looks_like(extension: str, head: bytes, upload) -> bool:
    """Whether the file's content is what its extension says (an extension FILE_TYPES knows)."""
    return FILE_TYPES[extension][1](head, upload)
