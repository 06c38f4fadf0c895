from django_tasks import task

from carenetwork.market import reminders


@task()
def send_return_reminders() -> int:
    """Remind providers who have not made the month's capacity returns by the window's last day; the number."""
    return reminders.return_reminders_send()


@task()
def send_statement_published(version_id: int) -> int:
    """Email every active member that a version of the market position statement is out; the number emailed."""
    from carenetwork.market.statement_mail import statement_published_send

    return statement_published_send(version_id)
