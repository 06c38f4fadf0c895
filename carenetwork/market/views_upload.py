"""The capacity returns upload: a provider admin's template to download, and the filled-in file to upload, saved
all or nothing (returns_upload)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carenetwork.core.access import require
from carenetwork.core.csv import csv_response
from carenetwork.market import permissions, returns, returns_upload
from carenetwork.market.forms_upload import ReturnsUploadForm
from carenetwork.market.models import CapacityReturn


def _organisations(request) -> list:
    organisations = permissions.return_organisations(request.user)
    require(bool(organisations))
    return organisations


@login_required
def returns_template(request):
    """The CSV template: a row per location, pre-filled from the latest returns."""
    organisations = _organisations(request)
    month = returns.this_month()
    return csv_response(returns_upload.template_rows(organisations, month), f"capacity-returns-{month:%Y-%m}.csv")


@login_required
def returns_upload_page(request):
    """Upload this month's returns for many locations in one file; a report of every problem, or all saved."""
    organisations = _organisations(request)
    posted = request.method == "POST"
    form = ReturnsUploadForm(request.POST if posted else None, request.FILES if posted else None)
    checked = None
    if posted and form.is_valid():
        checked = returns_upload.upload_save(
            actor=request.user, organisations=organisations, file=form.cleaned_data["upload"]
        )
        if not checked.problems:
            messages.success(request, returns_upload.saved_message(checked))
            return redirect("market:returns")
        for problem in checked.file_problems:
            form.add_error("upload", str(problem))
        if checked.row_problems:
            n = len(checked.row_problems)
            form.add_error(
                "upload",
                ngettext(
                    "The file has %(n)s problem: nothing has been saved. Correct it and upload the file again",
                    "The file has %(n)s problems: nothing has been saved. Correct them and upload the file again",
                    n,
                )
                % {"n": f"{n:,}"},
            )
    return render(
        request,
        "market/returns_upload.html",
        {
            "form": form,
            "month": returns.this_month(),
            "problems": checked.row_problems if checked else [],
            "columns": [
                (name, str(CapacityReturn._meta.get_field(name).verbose_name)) for name in returns_upload.FIGURES
            ],
            "several": len(organisations) > 1,
            "title": _("Upload a spreadsheet of this month's returns"),
        },
    )
