"""Background work for records: training reminders and the removal of leavers' personal data, both daily."""

from django_tasks import task

from carenetwork.records import reminders, retention


@task()
def send_training_reminders() -> dict:
    """Email provider admins and staff about training expiring soon or expired, once per expiry date."""
    return reminders.training_reminders_send()


@task()
def remove_leavers_data() -> int:
    """Remove the personal data of leavers past the council's retention period."""
    return retention.leavers_data_remove()
