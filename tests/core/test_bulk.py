"""`bulk_load`: one transaction, with PostgreSQL's row-by-row foreign key checks off inside it and only inside it."""

import pytest
from django.db import connection, transaction

from carenetwork.core.bulk import bulk_load
from carenetwork.organisations.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def _replication_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


def test_a_failure_inside_rolls_the_whole_load_back():
    with pytest.raises(RuntimeError), bulk_load():
        Organisation.objects.create(name="Loaded then rolled back", kind=Organisation.Kind.PROVIDER)
        raise RuntimeError
    assert not Organisation.objects.filter(name="Loaded then rolled back").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_foreign_key_triggers_are_off_inside_the_load_only():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    with bulk_load():
        assert connection.in_atomic_block
        assert _replication_role() == ("replica" if superuser else "origin")
    assert _replication_role() == "origin"
    with transaction.atomic():  # the next transaction checks its keys again
        assert _replication_role() == "origin"
