"""No migration takes a long lock on a table that already holds data.

A migration runs while the site is up (deploy/README.md, "Upgrading"): a statement that rewrites or scans a big
table under PostgreSQL's ACCESS EXCLUSIVE lock, or builds an index under a SHARE lock, stops every page that
touches that table for as long as it runs, and queues every later query behind it. This walks every migration of
the project's apps as PostgreSQL would run it (the SQL `sqlmigrate` prints) and fails on a risky statement on a
table that existed before the migration. A table created earlier in the same migration is empty: anything on it
is harmless. What the walk cannot see, a data migration's Python, is named one by one below.

How to make a change safely on a big table (and then no entry below is needed): an index with
`django.contrib.postgres.operations.AddIndexConcurrently` in a non-atomic migration; a check or foreign key
added NOT VALID and validated in a later migration (`VALIDATE CONSTRAINT` takes only a SHARE UPDATE EXCLUSIVE
lock); a new column nullable, or with a constant default, and without a database CHECK; a backfill in batches
outside the schema change's transaction. Each entry below gives the review behind it.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.apps import apps as installed_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.db.migrations.state import ProjectState


@dataclass(frozen=True)
class Finding:
    app: str
    migration: str
    table: str  # "RunPython" for a data migration, whose tables the SQL does not show
    risk: str


# Reviewed and judged safe: (app, migration, table) -> why. Volumes are the benchmark's council volume
# (carenetwork/portal/volume.py: 1,000 organisations, 3,000 locations, 5,000 people, 50,000 staff, 1,000,000
# training records) and region volume (ten times that). Every migration here came before the first release
# (2026-12-05), so on every council's database each ran on tables created by the same first `migrate`, empty;
# the reasons also say why each would be tolerable on a database at volume. A new entry needs a reason as good.
ALLOWED = {
    # Seeds the toolkit's questions into tables created earlier in this same migration.
    ("assessment", "0001_initial", "RunPython"): "seeds the toolkit's own tables created in the same migration",
    # assessment_question: the toolkit's questions, a few dozen per version. assessment_round: a council's rounds
    # plus providers' own checklist rounds (at most one a provider a day): thousands at most. Each scan is a
    # fraction of a second at that size.
    ("assessment", "0002_question_key_provider_checklist", "assessment_question"): (
        "ADD COLUMN with a CHECK and a UNIQUE constraint: scans/indexes the toolkit's few dozen questions"
    ),
    ("assessment", "0002_question_key_provider_checklist", "assessment_round"): (
        "foreign key, CHECK and unique index on rounds: a council's self-assessment rounds, thousands at most"
    ),
    ("assessment", "0002_question_key_provider_checklist", "RunPython"): (
        "numbers the few dozen questions and seeds tool 2's questions"
    ),
    # Two unrelated seeds of small lookup tables (forums, sectors, service types, job roles, training categories).
    ("forums", "0002_seed_forums", "RunPython"): "seeds the standing forums (a handful of rows)",
    ("organisations", "0002_seed_taxonomies", "RunPython"): "seeds sectors and service types (dozens of rows)",
    ("records", "0002_seed_taxonomies", "RunPython"): "seeds job roles and training categories (dozens of rows)",
    # market_marketsettings is one row (the council's settings).
    ("market", "0002_capacity_returns", "market_marketsettings"): "ADD COLUMN with a CHECK on a one-row table",
    # Reads locations and returns (ACCESS SHARE only: pages keep working) and writes the new figure tables.
    ("market", "0004_build_sub_market_figures", "RunPython"): (
        "reads locations and capacity returns, writes only the figure tables 0003 created"
    ),
    # organisations_organisation: 1,000 rows at council volume, 28,000 for all of England.
    ("organisations", "0003_ascwds_workplace_and_provider_codes", "organisations_organisation"): (
        "ADD COLUMN with a CHECK (>= 0): one scan of the organisations, milliseconds at 28,000 rows"
    ),
    # records_trainingcover: one row per staff member and training category that applies; about ten times the
    # staff (500,000 at council volume). This is the one that would hurt on a full database: the foreign key
    # scan, two index builds and the UPDATE of every row run in one transaction holding ACCESS EXCLUSIVE.
    ("records", "0003_cover_job_role", "records_trainingcover"): (
        "pre-release only: column with a foreign key and an index on a table that was still empty"
    ),
    ("records", "0003_cover_job_role", "RunPython"): "pre-release only: copies job roles into the empty cover table",
    # records_trainingrecord: 1,000,000 rows at council volume. The CHECK scan and the UPDATEs ran on an empty table.
    ("records", "0004_training_record_as_ascwds_keeps_it", "records_trainingrecord"): (
        "pre-release only: CHECK constraint on the training records before any council had one"
    ),
    ("records", "0004_training_record_as_ascwds_keeps_it", "RunPython"): (
        "pre-release only: marks the records without an expiry, before any council had one"
    ),
    # Staff (50,000) and cover (about 500,000 rows) at council volume: each build blocks writes to the table for
    # seconds; harmless on the empty tables of the first install.
    ("records", "0006_provider_page_indexes", "records_staffmember"): "pre-release only: index built on empty staff",
    ("records", "0006_provider_page_indexes", "records_trainingcover"): "pre-release only: two indexes on empty cover",
    # training_interest: 50,000 at council volume; the ADD COLUMN's CHECK scans it once.
    ("training", "0002_delegate_records_and_late_charges", "training_interest"): (
        "pre-release only: ADD COLUMN with a CHECK (>= 0) on interests"
    ),
    # Reads runs and bookings (ACCESS SHARE) and fills the two tables created earlier in this migration.
    ("training", "0005_programme_sums", "RunPython"): "fills the programme tables created in the same migration",
}

ACCESS_EXCLUSIVE_SCAN = "scans every row under ACCESS EXCLUSIVE (no reads or writes meanwhile)"
REWRITE = "rewrites the table under ACCESS EXCLUSIVE (no reads or writes meanwhile)"
INDEX_BUILD = "builds an index under a SHARE lock (no writes meanwhile): use AddIndexConcurrently"

NAME = r'"?([A-Za-z0-9_]+)"?'
ALTER_TABLE = re.compile(rf"\bALTER TABLE (?:ONLY |IF EXISTS )*{NAME}(.*)", re.IGNORECASE | re.DOTALL)
CREATE_INDEX = re.compile(
    rf"\bCREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?{NAME} ON (?:ONLY )?{NAME}", re.IGNORECASE
)
DATA_CHANGE = re.compile(rf"\b(?:UPDATE|DELETE FROM) (?:ONLY )?{NAME}", re.IGNORECASE)
WHOLE_TABLE = re.compile(rf"\b(?:LOCK TABLE|VACUUM FULL|CLUSTER|REINDEX TABLE) {NAME}", re.IGNORECASE)
# A constant default is only stored in the catalogue (PostgreSQL 11 and later); anything else, such as now() or
# gen_random_uuid(), may be volatile and is written into every row.
DEFAULT = re.compile(r"\bDEFAULT\s", re.IGNORECASE)
CONSTANT_DEFAULT = re.compile(
    r"\bDEFAULT\s+(?:'(?:[^']|'')*'|-?[0-9.]+|true|false|null)(?:::[a-z ]+)?(?=[\s,)]|$)", re.IGNORECASE
)
# Inside an ALTER TABLE: each action that scans, rewrites or indexes the whole table.
ALTER_RISKS = [
    (re.compile(r'\bALTER COLUMN "?\w+"? (?:SET DATA )?TYPE\b', re.IGNORECASE), "ALTER COLUMN TYPE " + REWRITE),
    (re.compile(r"\bSET NOT NULL\b", re.IGNORECASE), "SET NOT NULL " + ACCESS_EXCLUSIVE_SCAN),
    (
        re.compile(r"\bADD (?:CONSTRAINT \S+ )?(?:CHECK|FOREIGN KEY)\b(?!.*\bNOT VALID\b)", re.IGNORECASE | re.DOTALL),
        "ADD CONSTRAINT CHECK/FOREIGN KEY without NOT VALID " + ACCESS_EXCLUSIVE_SCAN,
    ),
    (
        re.compile(r"\bADD (?:CONSTRAINT \S+ )?(?:UNIQUE|PRIMARY KEY)\b(?! USING INDEX)", re.IGNORECASE),
        "ADD CONSTRAINT UNIQUE/PRIMARY KEY builds its index under ACCESS EXCLUSIVE",
    ),
    (
        re.compile(r"\bADD COLUMN\b[^;]*\b(?:CHECK|REFERENCES)\b", re.IGNORECASE),
        "ADD COLUMN with a CHECK or REFERENCES " + ACCESS_EXCLUSIVE_SCAN,
    ),
    (
        re.compile(r"\bADD COLUMN\b[^;]*\b(?:UNIQUE|PRIMARY KEY)\b", re.IGNORECASE),
        "ADD COLUMN with UNIQUE builds its index under ACCESS EXCLUSIVE",
    ),
    (
        re.compile(r"\bADD COLUMN\b[^;]*(?:\bGENERATED\b|\bserial\b|\bbigserial\b)", re.IGNORECASE),
        "ADD COLUMN generated or serial " + REWRITE,
    ),
]


def statement_risks(statement: str) -> list[tuple[str, str]]:
    """The (table, risk) pairs of one SQL statement, whatever the table; the caller keeps those on old tables."""
    risks = []
    for match in CREATE_INDEX.finditer(statement):
        risks.append((match.group(2), "CREATE INDEX without CONCURRENTLY " + INDEX_BUILD))
    for match in DATA_CHANGE.finditer(statement):
        risks.append((match.group(1), "UPDATE/DELETE of existing rows in the migration's transaction"))
    for match in WHOLE_TABLE.finditer(statement):
        risks.append((match.group(1), "locks or rewrites the whole table"))
    # One string may hold several statements (Django follows ADD COLUMN ... REFERENCES with SET CONSTRAINTS).
    for part in statement.split(";"):
        match = ALTER_TABLE.search(part)
        if not match:
            continue
        table, actions = match.group(1), match.group(2)
        risks.extend((table, risk) for pattern, risk in ALTER_RISKS if pattern.search(actions))
        defaults = len(DEFAULT.findall(actions))
        if re.search(r"\bADD COLUMN\b", actions, re.IGNORECASE) and defaults > len(CONSTANT_DEFAULT.findall(actions)):
            risks.append((table, "ADD COLUMN with a function as default " + REWRITE))
    return risks


def tables_of(state: ProjectState) -> set[str]:
    return {
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def project_app_labels() -> set[str]:
    return {config.label for config in installed_apps.get_app_configs() if config.name.startswith("carenetwork.")}


def migration_findings() -> list[Finding]:
    """Apply every migration in order to an in-memory project state, collecting the SQL instead of running it."""
    loader = MigrationLoader(connection, replace_migrations=True)
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan.extend(node for node in loader.graph.forwards_plan(leaf) if node not in plan)
    ours = project_app_labels()
    state = ProjectState(real_apps=loader.unmigrated_apps)
    findings = []
    for node in plan:
        migration = loader.graph.nodes[node]
        if migration.app_label not in ours:
            # Other apps' migrations only move the state on: their SQL is not ours to review, and some of it
            # looks up constraints in the (already migrated) test database, which no longer has them.
            state = migration.mutate_state(state, preserve=False)
            continue
        before = tables_of(state)
        with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
            state = migration.apply(state, editor, collect_sql=True)
        for statement in editor.collected_sql:
            for table, risk in statement_risks(statement):
                if table in before:
                    findings.append(Finding(migration.app_label, migration.name, table, risk))
        if any(isinstance(operation, RunPython) for operation in migration.operations):
            findings.append(Finding(migration.app_label, migration.name, "RunPython", "data migration in Python"))
    return findings


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the locks are PostgreSQL's, and so is the SQL walked (run with DATABASE_URL=postgres://...)",
)


@pytest.fixture(scope="module")
def findings(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return migration_findings()


@needs_postgresql
def test_no_migration_takes_a_long_lock_on_a_table_that_already_existed(findings):
    unreviewed = sorted(
        f"{f.app} {f.migration} on {f.table}: {f.risk}"
        for f in findings
        if (f.app, f.migration, f.table) not in ALLOWED
    )
    assert not unreviewed, "Risky statements on existing tables (see this module's docstring):\n" + "\n".join(
        unreviewed
    )


@needs_postgresql
def test_every_allowed_entry_still_matches_a_finding(findings):
    """The list is kept exact: an entry nothing needs would hide a future risky statement on the same table."""
    found = {(f.app, f.migration, f.table) for f in findings}
    assert set(ALLOWED) - found == set()


def test_the_rules_tell_risky_statements_from_safe_ones():
    risky = [
        'CREATE INDEX "i" ON "t" ("a");',
        'CREATE UNIQUE INDEX "i" ON "t" ("a") WHERE "b" IS NOT NULL;',
        'ALTER TABLE "t" ALTER COLUMN "a" TYPE bigint USING "a"::bigint;',
        'ALTER TABLE "t" ALTER COLUMN "a" SET NOT NULL;',
        'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("a" > 0);',
        'ALTER TABLE "t" ADD CONSTRAINT "f" FOREIGN KEY ("u_id") REFERENCES "u" ("id") DEFERRABLE INITIALLY DEFERRED;',
        'ALTER TABLE "t" ADD CONSTRAINT "q" UNIQUE ("a", "b");',
        'ALTER TABLE "t" ADD COLUMN "n" smallint DEFAULT 0 NOT NULL CHECK ("n" >= 0);',
        'ALTER TABLE "t" ADD COLUMN "u_id" bigint NULL CONSTRAINT "f" REFERENCES "u"("id"); '
        'SET CONSTRAINTS "f" IMMEDIATE;',
        'ALTER TABLE "t" ADD COLUMN "at" timestamp with time zone DEFAULT now() NOT NULL;',
        "UPDATE t SET a = 1;",
    ]
    for statement in risky:
        assert "t" in {table for table, _ in statement_risks(statement)}, statement
    safe = [
        'CREATE INDEX CONCURRENTLY "i" ON "t" ("a");',
        'ALTER TABLE "t" ADD COLUMN "via" varchar(255) DEFAULT \'\' NOT NULL;',
        'ALTER TABLE "t" ALTER COLUMN "via" DROP DEFAULT;',
        'ALTER TABLE "t" ADD COLUMN "d" date NULL;',
        'ALTER TABLE "t" ALTER COLUMN "d" DROP NOT NULL;',
        'ALTER TABLE "t" DROP CONSTRAINT "c";',
        'ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("a" > 0) NOT VALID;',
        'ALTER TABLE "t" VALIDATE CONSTRAINT "c";',
        'ALTER TABLE "t" DROP COLUMN "x" CASCADE;',
        'CREATE TABLE "t" ("id" bigint NOT NULL PRIMARY KEY, "n" integer NOT NULL CHECK ("n" >= 0));',
    ]
    for statement in safe:
        assert statement_risks(statement) == [], statement


ROOT = Path(__file__).resolve().parents[2]


def manage_sh_migrate(tmp_path, database: dict, *, lock_timeout: str) -> subprocess.CompletedProcess:
    """deploy/manage.sh migrate as an upgrade runs it, on the test database."""
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    environment = tmp_path / "environment"
    environment.write_text(
        f"DJANGO_SETTINGS_MODULE=config.settings.test\nDATABASE_URL={url}\nMIGRATE_LOCK_TIMEOUT={lock_timeout}\n"
    )
    inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    inherited.update({"CARENETWORK_ENVIRONMENT": str(environment), "CARENETWORK_PYTHON": sys.executable})
    # A generous limit: on a slow machine Django alone takes seconds to start. Without the lock timeout the
    # command would wait for the lock for ever, and this limit would fail the test.
    return subprocess.run(
        ["sh", str(ROOT / "deploy" / "manage.sh"), "migrate", "--noinput"],
        cwd="/",
        env=inherited,
        capture_output=True,
        text=True,
        timeout=180,
    )


@needs_postgresql
def test_migrate_through_manage_sh_gives_up_on_a_lock_instead_of_queueing_behind_it(
    tmp_path, django_db_setup, django_db_blocker
):
    database = connection.settings_dict
    done = manage_sh_migrate(tmp_path, database, lock_timeout="1s")
    assert done.returncode == 0, done.stdout + done.stderr
    # A long transaction holding the table that every migrate reads first.
    with (
        django_db_blocker.unblock(),
        psycopg.connect(
            dbname=database["NAME"],
            user=database["USER"],
            password=database["PASSWORD"] or None,
            host=database["HOST"],
            port=database["PORT"] or None,
        ) as holder,
    ):
        holder.execute("LOCK TABLE django_migrations IN ACCESS EXCLUSIVE MODE")
        blocked = manage_sh_migrate(tmp_path, database, lock_timeout="1s")
        holder.rollback()
    assert blocked.returncode != 0
    assert "lock timeout" in blocked.stderr, blocked.stderr[-2000:]
