"""Background work for the brokerage: deciding runs at their deadlines, and reminders before courses."""

from django_tasks import task

from carenetwork.training import decisions, reminders


@task()
def decide_course_runs() -> int:
    """Decide every run whose interest or partner deadline has passed; the number decided."""
    return len(decisions.decide_due())


@task()
def send_course_reminders() -> int:
    """Remind organisations with places on a course a few days before it; the number reminded."""
    return reminders.course_reminders_send()


@task()
def compact_programme_figures() -> int:
    """Fold the programme report's change rows into one row per key (asked for after each change to them)."""
    from carenetwork.training.programme_figures import programme_compact

    return programme_compact()
