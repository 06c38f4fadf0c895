from django_tasks import task

from carenetwork.market import reminders


@task()
def send_return_reminders() -> int:
    """Remind providers who have not made the month's capacity returns by the window's last day; the number."""
    return reminders.return_reminders_send()
