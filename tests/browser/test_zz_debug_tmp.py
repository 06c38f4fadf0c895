from datetime import timedelta
from django.utils import timezone
from tests.browser.pages import sign_in, submit
from tests.browser.conftest import MOBILE
from tests.procurement.factories import opportunity_for
from carenetwork.procurement.models import Bid

def test_debug(new_context, provider, council_officer):
    today = timezone.localdate()
    o = opportunity_for(lots=1, tender_deadline=today - timedelta(days=1), questions_deadline=today - timedelta(days=10))
    bid = Bid.objects.create(lot=o.lots.get(), organisation=provider, outcome="unsuccessful", score=60)
    p = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in(p, council_officer)
    p.goto(f"/procurement/bids/{bid.pk}/feedback/")
    submit(p, "Send the feedback")
    bid.refresh_from_db()
    print(repr(bid.feedback), bid.feedback_sent_at, p.url)
    assert False
