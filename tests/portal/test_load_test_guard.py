"""manage.py load_test adds people, organisations and places that stay: it refuses any database but the topology's
own (scripts/topology), unless told."""

import pytest
from django.core.management import CommandError, call_command

from carenetwork.accounts.models import User


@pytest.mark.django_db
def test_the_load_test_refuses_a_database_that_is_not_the_topologys():
    with pytest.raises(CommandError, match="runs on the topology's own database"):
        call_command("load_test", url="https://localhost:1", cafile="/nonexistent.pem", people=2)
    assert not User.objects.exists()
