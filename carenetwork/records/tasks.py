"""Background work for records, all daily: training reminders, the removal of leavers' personal data, and moving
the compliance figures to the new day."""

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


@task()
def roll_compliance_figures() -> int:
    """Move the council's compliance figures to today: the part of people whose training expired or came within
    the reminder window, or whose leaving date passed, since the figures' day."""
    from carenetwork.records.figures import figures_roll, market_compact

    moved = figures_roll()
    market_compact()
    return moved


@task()
def compact_market_figures() -> int:
    """Fold the market's change rows into one row per key (asked for after each change to the figures)."""
    from carenetwork.records.figures import market_compact

    return market_compact()
