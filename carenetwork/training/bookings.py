"""Naming the people who take an organisation's booked places, and substituting them until the cut-off."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.organisations.models import Organisation
from carenetwork.training import permissions
from carenetwork.training.interests import locked_run
from carenetwork.training.models import Delegate, Interest


def substitution_closed_reason(interest: Interest, *, now=None) -> str | None:
    """Why delegates can no longer be named or changed, or None."""
    now = now or timezone.now()
    if interest.status != Interest.Status.BOOKED:
        return _("People are named once places are booked.")
    if interest.run.booking_cutoff <= now or interest.run.has_started:
        return _("The cut-off for changing who goes has passed.")
    return None


@transaction.atomic
def delegates_set(*, actor, interest: Interest, staff=(), names=()) -> list[Delegate]:
    """Name who takes the booked places: people on the provider's staff register (or, for a partner, names).

    People already named keep their place; the rest are substitutions. No more people than places.
    """
    locked_run(interest.run)
    interest = (
        Interest.objects.select_for_update(of=("self",)).select_related("run", "organisation").get(pk=interest.pk)
    )
    require(permissions.can_manage_interest(actor, interest))
    closed = substitution_closed_reason(interest)
    if closed:
        raise ValidationError(closed)
    staff = list(staff)
    names = [n.strip() for n in names if n and n.strip()]
    partner = interest.organisation.kind == Organisation.Kind.PARTNER
    if (partner and staff) or (not partner and names):
        raise ValidationError(_("Choose people from your staff register"))
    for person in staff:
        if person.organisation_id != interest.organisation_id or person.personal_data_removed_at:
            raise ValidationError({"staff": _("Choose people from your own staff register")})
        if person.leaving_date and person.leaving_date <= timezone.localdate():
            raise ValidationError({"staff": _("%(name)s has left: choose someone else") % {"name": person.name}})
    chosen = len(staff) + len(names)
    if chosen > interest.places:
        message = _("You have %(n)s places: choose no more than %(n)s people") % {"n": interest.places}
        raise ValidationError({"names" if partner else "staff": message})
    current = list(interest.delegates.all())
    before = len(current)
    if partner:
        interest.delegates.all().delete()
        Delegate.objects.bulk_create([Delegate(interest=interest, name=n[:150]) for n in names])
    else:
        wanted = {p.pk for p in staff}
        interest.delegates.exclude(staff_id__in=wanted).delete()
        kept = {d.staff_id for d in current if d.staff_id in wanted}
        Delegate.objects.bulk_create([Delegate(interest=interest, staff=p) for p in staff if p.pk not in kept])
    # Names are personal data: the trail counts people, it does not name them.
    audit.record(
        actor=actor,
        action="delegates.changed",
        obj=interest,
        organisation=interest.organisation,
        changes={"delegates": [before, chosen]},
    )
    return list(interest.delegates.select_related("staff"))
