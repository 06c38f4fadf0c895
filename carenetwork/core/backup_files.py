"""The backup drill's uploaded files: archive a folder to tar (each file's sha256 taken from the bytes archived),
unpack it into a new folder, and compare every file there with what was archived."""

import hashlib
import tarfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class FilesCheck:
    expected: dict[str, str]  # relative path -> sha256, as archived
    found: dict[str, str]  # relative path -> sha256, as restored

    @property
    def problems(self) -> list[str]:
        missing = sorted(set(self.expected) - set(self.found))
        extra = sorted(set(self.found) - set(self.expected))
        changed = sorted(p for p in set(self.expected) & set(self.found) if self.expected[p] != self.found[p])
        return (
            [f"file missing from the restored copy: {p}" for p in missing]
            + [f"file only in the restored copy: {p}" for p in extra]
            + [f"file differs (sha256): {p}" for p in changed]
        )


class _Hashing:
    """A file object that hashes what is read from it: the digest is of the bytes that went into the archive."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        return data


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()) if root.is_dir() else []


def files_archive(root: Path, archive: Path) -> dict[str, str]:
    """Archive every file under `root` into a tar file; returns each file's sha256 by relative path."""
    digests = {}
    with tarfile.open(archive, "w") as tar:
        for path in media_files(root):
            relative = path.relative_to(root).as_posix()
            try:
                info = tar.gettarinfo(path, arcname=relative)
                with path.open("rb") as file:
                    hashing = _Hashing(file)
                    tar.addfile(info, hashing)
            except FileNotFoundError:  # deleted since it was listed (the retention job, say): not in the backup
                continue
            digests[relative] = hashing.digest.hexdigest()
    return digests


def files_restore(archive: Path, folder: Path) -> None:
    """Unpack the archive into a new folder (the "data" filter refuses absolute paths and links out of it)."""
    folder.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")


def files_digests(root: Path) -> dict[str, str]:
    digests = {}
    for path in media_files(root):
        digest = hashlib.sha256()
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        digests[path.relative_to(root).as_posix()] = digest.hexdigest()
    return digests


def files_compare(expected: dict[str, str], folder: Path) -> FilesCheck:
    return FilesCheck(expected=expected, found=files_digests(folder))
