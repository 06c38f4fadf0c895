"""Run pages (being built)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


run_edit = run_detail = run_ics = interest_edit = interest_withdraw = run_decide = _todo
my_bookings = booking_detail = booking_cancel = _todo
