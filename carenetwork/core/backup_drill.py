"""The backup and restore drill: prove that a backup restores to the same data, row for row and file for file.

On PostgreSQL only. A transaction on the source (REPEATABLE READ, read-only) exports its snapshot, `pg_dump` dumps
exactly that snapshot (`--snapshot`), and the source's checksums are computed in the same transaction, so a site in
use while the drill runs shows no false differences: what is compared is what was dumped. The dump (custom format)
is restored with `pg_restore` into a new database, then every table of the public schema (Django's, third-party
and ours) is compared: its row count and a checksum of every row (the sum of a 64-bit piece of each row's md5,
computed in SQL; independent of row order, so tables without a primary key are covered too). A sequence owned
by a column must not be behind that column's largest value in the copy (unless it was in the source too), or the
next insert would fail.

Uploaded files (the default storage, when it is a `FileSystemStorage`) are archived to a tar file, each file's
sha256 taken from the bytes written to the archive; the archive is unpacked into a new folder and every file there
is hashed again. Files are not transactional: the archive is taken just after the dump, so files uploaded in
between are in the archive though no row names them yet — harmless on a restore.

The compare functions take connections and folders, so that a tampered copy can be compared again (the tests do).
Tool output and passwords: the tools are run from PATH with the connection in PG* environment variables
(`PGPASSWORD`, never the command line), and `--no-password` so that they never wait at a prompt.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from carenetwork.core.backup_compare import TableCheck, sequences_compare, tables_compare
from carenetwork.core.backup_files import FilesCheck, files_archive, files_compare, files_restore

# Every session that computes checksums prints values the same way, so that a row's text is the same in both.
SESSION_SETTINGS = {
    "TimeZone": "UTC",
    "DateStyle": "ISO, YMD",
    "IntervalStyle": "postgres",
    "extra_float_digits": "3",
    "bytea_output": "hex",
}
# Django's own OPTIONS keys; everything else in OPTIONS is a libpq keyword (sslmode, sslrootcert…).
DJANGO_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool", "prepare_threshold"}
# libpq keywords the tools read from the environment.
ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}
DATABASE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class DrillError(Exception):
    """The drill could not run (a tool failed, the target exists…); a difference found is not an error."""


@dataclass
class DrillReport:
    source: str
    restored: str
    dump_path: Path
    dump_bytes: int = 0
    database_bytes: int = 0
    tables: list[TableCheck] = field(default_factory=list)
    sequence_problems: list[str] = field(default_factory=list)
    files: FilesCheck | None = None
    files_note: str = ""
    media_root: Path | None = None
    archive_path: Path | None = None
    archive_bytes: int = 0
    restored_media: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        tables = [t.describe() for t in self.tables if not t.ok]
        return tables + self.sequence_problems + (self.files.problems if self.files else [])

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(t.source_rows or 0 for t in self.tables)

    def summary(self) -> list[str]:
        t = self.timings
        files = (
            f"{len(self.files.expected)} files, archive {megabytes(self.archive_bytes)}"
            if self.files
            else self.files_note
        )
        return [
            f"Source {self.source} ({megabytes(self.database_bytes)} on disk), restored into {self.restored}",
            f"Tables: {len(self.tables)}, rows: {self.rows}, dump {megabytes(self.dump_bytes)} ({self.dump_path})",
            f"Uploaded files: {files}",
            f"Times: dump {t.get('dump', 0):.1f} s, restore {t.get('restore', 0):.1f} s, "
            f"compare {t.get('compare', 0):.1f} s (source {t.get('checksums_source', 0):.1f} s, "
            f"copy {t.get('checksums_restored', 0):.1f} s), files {t.get('files', 0):.1f} s, "
            f"total {t.get('total', 0):.1f} s",
            "Result: the restored copy matches" if self.ok else f"Result: {len(self.problems)} differences",
        ]


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


# Connections -------------------------------------------------------------------------------------------------------


def connection_params(settings_dict: dict) -> dict:
    """libpq keywords for the database a Django `settings_dict` names (HOST, PORT, USER, PASSWORD, OPTIONS)."""
    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k not in DJANGO_OPTIONS}
    return {k: v for k, v in {**params, **options}.items() if v is not None}


def tool_environment(params: dict) -> dict:
    """The environment for pg_dump/pg_restore: the connection in PG* variables, the password never in argv.

    Other PG* variables already set (PGSSLMODE…) stay, as libpq reads them for the drill's own connections too.
    """
    env = dict(os.environ)
    env.update({ENVIRONMENT[k]: str(v) for k, v in params.items() if k in ENVIRONMENT})
    return env


def connect(params: dict, dbname: str | None = None, **kwargs) -> psycopg.Connection:
    """A connection that prints values as every other checksum session does."""
    conn = psycopg.connect(**{**params, **({"dbname": dbname} if dbname else {})}, **kwargs)
    for name, value in SESSION_SETTINGS.items():
        conn.execute("SELECT set_config(%s, %s, false)", (name, value))
    return conn


def database_exists(admin: psycopg.Connection, name: str) -> bool:
    return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def database_create(admin: psycopg.Connection, name: str, *, replace: bool = False) -> None:
    """An empty database (from template0) named `name`; an existing one is dropped only when `replace`."""
    if database_exists(admin, name):
        if not replace:
            raise DrillError(f"Database {name} already exists: name another, or replace it (--replace)")
        database_drop(admin, name)
    admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))


def database_drop(admin: psycopg.Connection, name: str) -> None:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


# Dump and restore --------------------------------------------------------------------------------------------------


def run_tool(command: list[str], env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise DrillError(f"{command[0]} is not on PATH (Debian: apt-get install postgresql-client)")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise DrillError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def dump(params: dict, path: Path, *, snapshot: str | None = None) -> None:
    """pg_dump the database in `params` to `path` (custom format), as of `snapshot` when given."""
    command = ["pg_dump", "--format=custom", "--no-password", f"--file={path}"]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    run_tool(command, tool_environment(params))


def restore(params: dict, path: Path, target: str, *, jobs: int = 1) -> None:
    """pg_restore the dump at `path` into the (empty) database `target`, stopping at the first error."""
    # Without the owners and grants: the drill checks the data, and a role that may create databases need not own
    # the source's tables to restore them.
    command = ["pg_restore", "--no-password", "--exit-on-error", "--no-owner", "--no-privileges", f"--jobs={jobs}"]
    command += [f"--dbname={target}", str(path)]
    run_tool(command, tool_environment(params))


# The drill ---------------------------------------------------------------------------------------------------------


def drill_name(source: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9_]', '_', source[:40])}_drill_{time.strftime('%Y%m%d%H%M%S')}"


def drill(
    settings_dict: dict,
    *,
    media_root: Path | None,
    folder: Path | None = None,
    target: str | None = None,
    replace: bool = False,
    keep: bool = False,
    jobs: int = 1,
    say: Callable[[str], None] = lambda line: None,
) -> DrillReport:
    """Dump, restore into a new database, compare; the drill database is dropped afterwards unless `keep`.

    `media_root` is the uploaded files' folder, or None when files are not on this file system. With `folder`,
    the dump and the files' archive are written there and kept (they are a backup); otherwise into a temporary
    folder removed at the end unless `keep`.
    """
    params = connection_params(settings_dict)
    source = params["dbname"]
    target = target or drill_name(source)
    if not DATABASE_NAME.fullmatch(target):
        raise DrillError(f"{target!r} is not a plain database name (letters, digits and _, at most 63)")
    if target == source:
        raise DrillError("The drill database cannot be the source database")
    temporary = folder is None
    folder = Path(tempfile.mkdtemp(prefix="backup-drill-")) if temporary else Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the dump and the archive hold everyone's data
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = DrillReport(source=source, restored=target, dump_path=folder / f"{source}-{stamp}.dump")
    began = time.perf_counter()
    admin = connect(params, autocommit=True)
    snapshot_conn = connect(params)  # holds the snapshot from the dump to the end of the compare
    created = False
    try:
        database_create(admin, target, replace=replace)
        created = True
        snapshot_conn.commit()  # close the transaction the session settings opened, then set the next one's mode
        snapshot_conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot_conn.read_only = True
        snapshot = snapshot_conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        report.database_bytes = snapshot_conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]

        say(f"Dumping {source} (snapshot {snapshot}) to {report.dump_path}")
        started = time.perf_counter()
        dump(params, report.dump_path, snapshot=snapshot)
        report.timings["dump"] = time.perf_counter() - started
        report.dump_bytes = report.dump_path.stat().st_size

        if media_root is not None:
            report.media_root = Path(media_root)
            report.archive_path = folder / f"{source}-{stamp}-media.tar"
            say(f"Archiving the uploaded files in {media_root} to {report.archive_path}")
            started = time.perf_counter()
            expected = files_archive(report.media_root, report.archive_path)
            report.timings["files"] = time.perf_counter() - started
            report.archive_bytes = report.archive_path.stat().st_size

        say(f"Restoring into the new database {target}")
        started = time.perf_counter()
        restore(params, report.dump_path, target, jobs=jobs)
        report.timings["restore"] = time.perf_counter() - started

        say("Comparing every table's rows and checksums")
        started = time.perf_counter()
        with connect(params, dbname=target) as restored_conn:
            report.tables = tables_compare(snapshot_conn, restored_conn, timings=report.timings)
            report.sequence_problems = sequences_compare(snapshot_conn, restored_conn)
        report.timings["compare"] = time.perf_counter() - started
        snapshot_conn.rollback()

        if media_root is not None:
            restored_media = folder / f"{target}-media"
            if restored_media.exists():
                if not replace:
                    raise DrillError(f"{restored_media} already exists: name another database, or --replace")
                shutil.rmtree(restored_media)
            report.restored_media = restored_media
            say(f"Restoring the uploaded files into {report.restored_media} and comparing them")
            started = time.perf_counter()
            files_restore(report.archive_path, report.restored_media)
            report.files = files_compare(expected, report.restored_media)
            report.timings["files"] += time.perf_counter() - started
        else:
            report.files_note = "not on this file system: not drilled (back them up with their store)"
    finally:
        snapshot_conn.close()
        try:
            if created and not keep:
                database_drop(admin, target)
        except psycopg.Error as error:  # said, without hiding what went wrong before it
            say(f"Could not drop the drill database {target}: {error}. Drop it by hand.")
        admin.close()
        if not keep:
            if report.restored_media is not None:
                shutil.rmtree(report.restored_media, ignore_errors=True)
            if temporary:
                shutil.rmtree(folder, ignore_errors=True)
    report.timings["total"] = time.perf_counter() - began
    return report
