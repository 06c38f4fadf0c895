"""The procurement rules, case by case: the regime and thresholds by date, the notices above and below threshold,
pre-qualification, reservation, lots, tender periods, conditions of participation, payment, the Provider Selection
Regime, evaluation, and the toolkit's checklist. Pure: no database."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from carenetwork.procurement import checklist, rules
from carenetwork.procurement.rules import Procurement

ACT_DAY = date(2026, 12, 1)  # well inside the Procurement Act, after the reservation order and the 2026 thresholds
PCR_DAY = date(2024, 6, 1)  # a procurement started under the Public Contracts Regulations 2015


def advice(p: Procurement) -> dict[str, rules.Advice]:
    given = rules.advise(p)
    assert len({a.key for a in given}) == len(given), "one piece of advice per key"
    return {a.key: a for a in given}


def act_p(**fields) -> Procurement:
    return Procurement(start=fields.pop("start", ACT_DAY), **fields)


# --- Regime and thresholds ------------------------------------------------------------------------------------------


def test_regime_changes_on_24_february_2025():
    assert rules.regime_for(date(2025, 2, 23)) == rules.PCR2015
    assert rules.regime_for(date(2025, 2, 24)) == rules.PA2023
    assert rules.ACT_COMMENCEMENT == date(2025, 2, 24)


def test_regime_advice_comes_first_and_says_why():
    act = rules.advise(act_p(start=date(2025, 2, 24), value=D("100000")))[0]
    assert (act.key, act.level) == ("regime", "info")
    assert "Procurement Act 2023" in act.rule and "24 February 2025" in act.text
    pcr = rules.advise(Procurement(start=date(2025, 2, 23), value=D("100000")))[0]
    assert pcr.key == "regime" and pcr.rule.startswith("Public Contracts Regulations 2015")
    assert "old rules" in pcr.text and "23 February 2025" in pcr.text


def test_thresholds_change_on_1_january_2026():
    before, after = rules.thresholds_on(date(2025, 12, 31)), rules.thresholds_on(date(2026, 1, 1))
    assert before.goods_and_services == D("214904") and after.goods_and_services == D("207720")
    assert before.light_touch == after.light_touch == D("663540")
    assert before.notifiable_below == after.notifiable_below == D("30000")
    assert before.includes_vat and after.includes_vat
    assert rules.thresholds_on(date(2024, 1, 1)).goods_and_services == D("214904")


def test_thresholds_are_dated_and_sourced():
    days = [t.effective_from for t in rules.THRESHOLDS]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert all(t.source.startswith("https://www.") for t in rules.THRESHOLDS)
    assert rules.thresholds_on(date(2026, 1, 1)).source == "https://www.legislation.gov.uk/uksi/2025/1200"


def test_no_thresholds_before_the_first_held_is_a_clear_error():
    with pytest.raises(rules.ThresholdsMissing, match="1 January 2000"):
        rules.thresholds_on(date(2000, 1, 1))
    old = Procurement(start=date(2000, 1, 1), value=D("700000"))
    assert rules.is_above_threshold(old) is None
    got = advice(old)
    assert "threshold-unknown" in got and "threshold" not in got
    assert got["threshold-unknown"].rule == "Public Contracts Regulations 2015, reg 5"


def test_exactly_the_light_touch_threshold_is_above_it():
    assert rules.is_above_threshold(act_p(value=D("663540"))) is True
    assert rules.is_above_threshold(act_p(value=D("663539.99"))) is False
    assert rules.is_above_threshold(act_p()) is None
    at = advice(act_p(value=D("663540")))["threshold"]
    assert at.title == "At or above the threshold" and "£663,540" in at.text and "Schedule 1" in at.rule
    below = advice(act_p(value=D("663539.99")))["threshold"]
    assert below.title == "Below the threshold" and "£663,539.99" in below.text


def test_ordinary_services_use_the_goods_and_services_threshold_of_the_start_date():
    services = {"light_touch": False, "value": D("207720")}
    assert rules.is_above_threshold(act_p(start=date(2026, 1, 1), **services)) is True
    assert rules.is_above_threshold(act_p(start=date(2025, 12, 31), **services)) is False
    assert rules.is_above_threshold(act_p(start=date(2026, 1, 1), light_touch=False, value=D("207719.99"))) is False
    assert (
        "goods and services threshold of £207,720"
        in advice(act_p(start=date(2026, 1, 1), **services))["threshold"].text
    )


def test_30000_exactly_is_notifiable():
    assert rules.is_notifiable(act_p(value=D("30000"))) is True
    assert rules.is_notifiable(act_p(value=D("29999.99"))) is False
    assert rules.is_notifiable(act_p(value=D("700000"))) is False  # above threshold: not a below-threshold contract
    assert rules.is_notifiable(act_p()) is None
    assert advice(act_p(value=D("30000")))["notifiable"].rule == "Procurement Act 2023, s87"
    assert "below-notifiable" in advice(act_p(value=D("29999.99")))


def test_missing_value_gives_one_prompt_and_no_value_advice():
    got = advice(act_p(reserved_sme_vcse=True, prequalification=True))
    assert got["value-missing"].level == "info" and "including VAT" in got["value-missing"].text
    value_keys = {"threshold", "notifiable", "notice-uk4", "notice-below-threshold", "no-prequalification",
                  "prequalification-not-allowed", "reservation-allowed", "reservation-not-allowed"}  # fmt: skip
    assert not value_keys & set(got)
    assert "s12(4) (above threshold) and s86 (below threshold)" in got["sme-barriers"].rule


def test_annual_value_as_entered_or_spread_over_the_years():
    assert rules.annual_value_of(act_p(value=D("900000"), annual_value=D("100000"))) == D("100000")
    assert rules.annual_value_of(act_p(value=D("900000"), duration_years=3)) == D("300000")
    assert rules.annual_value_of(act_p(value=D("900000"), duration_years=D("0.5"))) == D("900000")
    assert rules.annual_value_of(act_p(value=D("900000"))) == D("900000")
    assert rules.annual_value_of(act_p()) is None


# --- Notices and procedure under the Act ----------------------------------------------------------------------------


def test_above_threshold_light_touch_notices():
    got = advice(act_p(value=D("800000")))
    assert got["notice-uk4"].level == "required" and got["notice-uk4"].rule == "Procurement Act 2023, s21(1)"
    assert "Central Digital Platform (Find a Tender)" in got["notice-uk4"].text
    assert got["notice-uk6"].rule == "Procurement Act 2023, s50"
    assert got["notice-uk7"].rule == "Procurement Act 2023, s53" and "within 120 days" in got["notice-uk7"].text
    assert got["tender-period-proportionate"].rule == "Procurement Act 2023, s54"
    assert got["tender-period-proportionate"].level == "info" and "consortia" in got["tender-period-proportionate"].text
    assert got["standstill-voluntary"].rule == "Procurement Act 2023, s51"
    assert "s52" in got["kpis-light-touch"].rule and "s71" in got["kpis-light-touch"].rule
    assert not {"notice-below-threshold", "no-prequalification", "standstill", "tender-period-minimum"} & set(got)
    assert got["notice-uk4"].url == "https://www.legislation.gov.uk/ukpga/2023/54/section/21"


def test_above_threshold_ordinary_services_have_30_days_standstill_and_minimum_periods():
    got = advice(act_p(value=D("300000"), light_touch=False))
    assert "within 30 days" in got["notice-uk7"].text
    assert got["standstill"].level == "required" and got["standstill"].rule == "Procurement Act 2023, s51"
    assert got["tender-period-minimum"].level == "required"
    assert "standstill-voluntary" not in got and "kpis-light-touch" not in got


def test_below_threshold_notifiable_notices():
    got = advice(act_p(value=D("100000")))
    notice = got["notice-below-threshold"]
    assert notice.level == "required" and notice.rule == "Procurement Act 2023, s87"
    assert "before advertising it anywhere else" in notice.text
    assert got["notice-uk7-below"].rule == "Procurement Act 2023, s87"
    assert "notice-uk4" not in got and "notice-uk6" not in got


def test_under_30000_no_notice_duties():
    got = advice(act_p(value=D("29999.99")))
    assert got["below-notifiable"].level == "info" and "no duty to publish notices" in got["below-notifiable"].text
    assert "notice-below-threshold" not in got and "notice-uk7-below" not in got


def test_no_prequalification_below_threshold():
    assert advice(act_p(value=D("100000")))["no-prequalification"].rule == "Procurement Act 2023, s85"
    got = advice(act_p(value=D("100000"), prequalification=True))
    assert got["prequalification-not-allowed"].level == "warning"
    assert got["prequalification-not-allowed"].rule == "Procurement Act 2023, s85(1)"
    assert "no-prequalification" not in got
    assert "prequalification-not-allowed" in advice(act_p(value=D("10000"), prequalification=True))  # any value


def test_prequalification_allowed_above_threshold():
    got = advice(act_p(value=D("800000"), prequalification=True))
    assert "prequalification-not-allowed" not in got and "no-prequalification" not in got


def test_sme_barriers_duty_by_value():
    assert advice(act_p(value=D("100000")))["sme-barriers"].rule == "Procurement Act 2023, s86"
    assert advice(act_p(value=D("800000")))["sme-barriers"].rule == "Procurement Act 2023, s12(4)"


# --- Under the Public Contracts Regulations 2015 --------------------------------------------------------------------


def test_pcr_below_threshold_contracts_finder_and_no_pqq():
    got = advice(Procurement(start=PCR_DAY, value=D("100000"), prequalification=True))
    assert got["pcr-contracts-finder"].rule == "Public Contracts Regulations 2015, regs 110 and 112"
    assert got["prequalification-not-allowed"].rule == "Public Contracts Regulations 2015, reg 111"
    assert "notice-below-threshold" not in got and "sme-barriers" not in got


def test_pcr_above_threshold_light_touch_notices():
    got = advice(Procurement(start=PCR_DAY, value=D("700000")))
    assert got["pcr-notices"].level == "required" and got["pcr-notices"].rule.startswith(
        "Public Contracts Regulations 2015, reg 75"
    )
    assert "notice-uk4" not in got


# --- Grants ---------------------------------------------------------------------------------------------------------


def test_grant_is_not_a_public_contract_but_keeps_good_practice():
    got = advice(act_p(value=D("800000"), funding_route="grant", reserved_local=True))
    assert got["grant-route"].level == "info" and "Subsidy Control Act 2022" in got["grant-route"].rule
    assert "not a public contract" in got["grant-route"].title
    assert not {"threshold", "notice-uk4", "notice-below-threshold", "reservation-not-allowed", "sme-barriers"} & set(
        got
    )
    assert (
        got["payment-30-days"].level == "guidance"
        and got["payment-30-days"].rule == "Market Shaping Toolkit, question 16"
    )
    assert got["lots-reason-missing"].level == "guidance" and "social-value-missing" in got


# --- Reservation ----------------------------------------------------------------------------------------------------


def test_reservation_not_before_4_february_2026():
    early = advice(act_p(start=date(2026, 2, 3), value=D("100000"), reserved_sme_vcse=True))
    assert (
        early["reservation-not-allowed"].level == "warning"
        and "4 February 2026" in early["reservation-not-allowed"].text
    )
    assert "SI 2026/94" in early["reservation-not-allowed"].rule
    on_the_day = advice(act_p(start=date(2026, 2, 4), value=D("100000"), reserved_sme_vcse=True))
    allowed = on_the_day["reservation-allowed"]
    assert allowed.level == "info" and "SMEs and VCSEs" in allowed.text and "tender notice" in allowed.text
    assert "reservation-not-allowed" not in on_the_day
    assert rules.RESERVATION_FROM == date(2026, 2, 4)


def test_reservation_local_may_include_bordering_areas():
    got = advice(act_p(value=D("100000"), reserved_local=True, reserved_uk=True))["reservation-allowed"]
    assert "bordering counties or London boroughs" in got.text and "the UK" in got.text
    assert "Local Government (Exclusion of Non-commercial Considerations) (England) Order 2026" in got.rule


def test_reservation_not_above_threshold():
    got = advice(act_p(value=D("663540"), reserved_local=True))["reservation-not-allowed"]
    assert "only below the threshold" in got.text and "s32 and s33" in got.rule


def test_reservation_not_under_the_2015_regulations():
    got = advice(Procurement(start=PCR_DAY, value=D("100000"), reserved_uk=True))["reservation-not-allowed"]
    assert "2015 Regulations" in got.text and "s17(5)(e)" in got.rule


# --- Lots -----------------------------------------------------------------------------------------------------------


def test_lots_reason_required_above_threshold():
    got = advice(act_p(value=D("800000")))["lots-reason-missing"]
    assert got.level == "required" and got.rule == "Procurement Act 2023, s18" and "tender notice" in got.text
    assert "lots-reason-missing" not in advice(act_p(value=D("800000"), no_lots_reason="One service, one home"))


def test_lots_reason_good_practice_below_threshold():
    got = advice(act_p(value=D("100000")))["lots-reason-missing"]
    assert got.level == "guidance" and "Market Shaping Toolkit, question 4" in got.rule and "s86" in got.rule


def test_lots_divided_is_information():
    got = advice(act_p(value=D("800000"), lots=3))
    assert got["lots-divided"].level == "info" and got["lots-divided"].title == "Divided into 3 lots"
    assert got["lots-divided"].rule.startswith("Procurement Act 2023, s18") and "lots-reason-missing" not in got


def test_lots_under_the_2015_regulations():
    ordinary = advice(Procurement(start=PCR_DAY, value=D("300000"), light_touch=False))["lots-reason-missing"]
    assert ordinary.level == "required" and ordinary.rule == "Public Contracts Regulations 2015, reg 46(1)"
    light_touch = advice(Procurement(start=PCR_DAY, value=D("700000")))["lots-reason-missing"]
    assert light_touch.level == "guidance"


# --- Tender period and dates ----------------------------------------------------------------------------------------


def period(days: int, **fields) -> Procurement:
    published = date(2026, 11, 2)
    return act_p(tender_published=published, tender_deadline=published + timedelta(days=days), **fields)


def test_24_days_is_short_25_is_not():
    short = advice(period(24, value=D("100000")))["tender-period-short"]
    assert short.level == "warning" and "Only 24 days" in short.text and "consortia" in short.text
    assert short.rule == "Procurement Act 2023, s86; Market Shaping Toolkit, question 5 (adequate tendering periods)"
    assert "tender-period-short" not in advice(period(25, value=D("100000")))
    assert rules.TENDER_PERIOD_MIN_DAYS == 25


def test_short_period_above_threshold_cites_s54():
    assert advice(period(10, value=D("800000")))["tender-period-short"].rule.startswith("Procurement Act 2023, s54")


def test_dates_in_the_wrong_order():
    got = advice(period(-1, value=D("100000")))
    assert "tender-deadline-before-published" in got and "tender-period-short" not in got
    published, deadline = date(2026, 11, 2), date(2026, 12, 14)
    wrong = advice(
        act_p(
            tender_published=published, tender_deadline=deadline, questions_deadline=deadline + timedelta(days=1),
            award_date=deadline - timedelta(days=1), contract_start=deadline - timedelta(days=2),
        )
    )  # fmt: skip
    for key in ("questions-after-deadline", "award-before-deadline", "start-before-award"):
        assert wrong[key].level == "warning" and wrong[key].rule
    right = advice(
        act_p(
            tender_published=published, questions_deadline=deadline - timedelta(days=7), tender_deadline=deadline,
            award_date=deadline + timedelta(days=30), contract_start=deadline + timedelta(days=60),
        )
    )  # fmt: skip
    assert not [k for k in right if "before" in k or "after" in k]


# --- Conditions of participation ------------------------------------------------------------------------------------


def test_turnover_twice_the_yearly_value_is_the_limit_under_the_act():
    base = {"value": D("800000"), "annual_value": D("200000")}
    assert "turnover-disproportionate" not in advice(act_p(minimum_turnover=D("400000"), **base))
    got = advice(act_p(minimum_turnover=D("400000.01"), **base))["turnover-disproportionate"]
    assert got.level == "warning" and got.rule.startswith("Procurement Act 2023, s22")
    assert "guidance, not law" in got.rule and "guidance, not law" in got.text
    below = advice(act_p(value=D("100000"), minimum_turnover=D("250000")))["turnover-disproportionate"]
    assert below.rule.startswith("Procurement Act 2023, s86")


def test_turnover_under_the_2015_regulations_is_law():
    base = {"start": PCR_DAY, "value": D("100000")}
    assert "turnover-disproportionate" not in advice(Procurement(minimum_turnover=D("200000"), **base))
    got = advice(Procurement(minimum_turnover=D("200000.01"), **base))["turnover-disproportionate"]
    assert got.rule == "Public Contracts Regulations 2015, reg 58(9)" and "must not exceed" in got.text
    spread = advice(Procurement(start=PCR_DAY, value=D("1000000"), duration_years=5, minimum_turnover=D("500000")))
    assert "within the limit" in spread["turnover-disproportionate"].text  # over 2x a year, under 2x the contract


def test_insurance_over_5_million_for_a_small_contract():
    base = {"value": D("800000"), "annual_value": D("999999")}
    assert "insurance-disproportionate" not in advice(act_p(insurance_required=D("5000000"), **base))
    got = advice(act_p(insurance_required=D("5000001"), **base))["insurance-disproportionate"]
    assert got.level == "warning" and got.rule.startswith("Procurement Act 2023, s22")
    assert "Employers' Liability (Compulsory Insurance) Regulations 1998" in got.rule
    big = {"value": D("3000000"), "annual_value": D("1000000")}
    assert "insurance-disproportionate" not in advice(act_p(insurance_required=D("10000000"), **big))


# --- Payment --------------------------------------------------------------------------------------------------------


def test_payment_above_threshold_with_the_councils_payment_reports():
    got = advice(act_p(value=D("800000")))
    assert got["payment-30-days"].rule.startswith("Procurement Act 2023, s68 and s73")
    assert "30 days" in got["payment-30-days"].text and "supply chain" in got["payment-30-days"].text
    assert got["payments-compliance-notice"].rule == "Procurement Act 2023, s69"
    assert "1 January 2026" in got["payments-compliance-notice"].text
    assert (
        got["payments-over-30k"].rule == "Procurement Act 2023, s70" and "1 April 2026" in got["payments-over-30k"].text
    )
    assert rules.PAYMENTS_COMPLIANCE_FROM == date(2026, 1, 1) and rules.PAYMENTS_OVER_30K_FROM == date(2026, 4, 1)


def test_payment_below_threshold_and_under_the_2015_regulations():
    below = advice(act_p(value=D("100000")))
    assert below["payment-30-days"].rule.startswith("Procurement Act 2023, s88")
    assert "payments-compliance-notice" not in below and "payments-over-30k" not in below
    pcr = advice(Procurement(start=PCR_DAY, value=D("100000")))["payment-30-days"]
    assert pcr.rule == "Public Contracts Regulations 2015, reg 113"


# --- Provider Selection Regime and evaluation -----------------------------------------------------------------------


def test_health_led_procurement_is_flagged_not_decided():
    got = advice(act_p(value=D("100000"), health_led=True))["psr-mixed"]
    assert got.level == "warning" and "not social care" in got.text and "legal advice" in got.text
    assert got.rule == "Health Care Services (Provider Selection Regime) Regulations 2023"
    assert "psr-mixed" not in advice(act_p(value=D("100000")))


def test_social_value_weight():
    for weight in (None, 0):
        got = advice(act_p(value=D("100000"), social_value_weight=weight))["social-value-missing"]
        assert got.level == "guidance" and "s19" in got.rule and "question 11" in got.rule
    assert "social-value-missing" not in advice(act_p(value=D("100000"), social_value_weight=10))


def test_price_weight_over_60():
    assert "price-weight-high" not in advice(act_p(value=D("100000"), price_weight=60))
    got = advice(act_p(value=D("100000"), price_weight=61))["price-weight-high"]
    assert got.level == "guidance" and "61%" in got.text and "questions 12 and 13" in got.rule
    assert "abnormally low" in got.text


# --- Every piece of advice ------------------------------------------------------------------------------------------

CASES = [
    Procurement(start=date(2026, 12, 1)),
    Procurement(start=date(2000, 1, 1), value=D("1")),
    Procurement(start=date(2025, 2, 23), value=D("700000"), light_touch=False, prequalification=True),
    act_p(value=D("800000"), lots=1, price_weight=90, minimum_turnover=D("9000000"), insurance_required=D("1e7")),
    act_p(value=D("50000"), funding_route="grant", health_led=True, reserved_uk=True, price_weight=80),
    act_p(
        value=D("100000"), reserved_local=True, prequalification=True, tender_published=date(2026, 12, 10),
        tender_deadline=date(2026, 12, 1), questions_deadline=date(2026, 12, 20), award_date=date(2026, 11, 1),
        contract_start=date(2026, 10, 1), duration_years=0,
    ),
]  # fmt: skip


@pytest.mark.parametrize("p", CASES)
def test_every_advice_cites_its_rule_and_is_in_order(p):
    given = rules.advise(p)
    assert given[0].key == "regime"
    levels = [rules.LEVELS.index(a.level) for a in given[1:]]
    assert levels == sorted(levels)
    for a in given:
        assert a.rule.strip() and a.title.strip() and a.text.strip() and a.level in rules.LEVELS
        assert a.url == "" or a.url.startswith(("https://www.legislation.gov.uk/", "https://www.gov.uk/"))
        assert "{" not in a.title + a.text, a.key  # every placeholder filled


@pytest.mark.parametrize(
    "start", [date(1999, 1, 1), date(2025, 2, 23), date(2025, 2, 24), date(2026, 2, 4), date(2040, 1, 1)]
)
def test_advise_never_raises_on_a_procurement_with_only_its_start(start):
    given = rules.advise(Procurement(start=start))
    assert given[0].key == "regime" and all(a.rule for a in given)


# --- The journey in the issue ---------------------------------------------------------------------------------------


def test_journey_a_400000_home_care_contract_in_three_lots_reserved_for_smes():
    got = advice(act_p(value=D("400000"), lots=3, reserved_sme_vcse=True, social_value_weight=20, price_weight=40))
    assert "Procurement Act 2023" in got["regime"].text
    assert got["threshold"].title == "Below the threshold" and "£663,540" in got["threshold"].text
    assert got["notifiable"].rule == "Procurement Act 2023, s87"
    assert got["notice-below-threshold"].level == "required"
    assert got["no-prequalification"].rule == "Procurement Act 2023, s85"
    assert got["sme-barriers"].rule == "Procurement Act 2023, s86"
    assert got["reservation-allowed"].level == "info" and "SMEs and VCSEs" in got["reservation-allowed"].text
    assert got["lots-divided"].title == "Divided into 3 lots"
    absent = {"notice-uk4", "lots-reason-missing", "reservation-not-allowed", "prequalification-not-allowed",
              "social-value-missing", "price-weight-high", "payments-compliance-notice"}  # fmt: skip
    assert not absent & set(got)


# --- The toolkit's checklist ----------------------------------------------------------------------------------------


def test_checklist_has_the_toolkits_sixteen_questions_by_stage():
    everything = checklist.checklist()
    assert [q.number for q in everything] == list(range(1, 17))
    assert [q.number for q in checklist.checklist("pre-tender")] == [1, 2, 3, 4, 5, 6]
    assert [q.number for q in checklist.checklist("tendering")] == [7, 8, 9, 10, 11, 12, 13]
    assert [q.number for q in checklist.checklist("post-contract")] == [14, 15, 16]
    with pytest.raises(ValueError):
        checklist.checklist("afterwards")


def test_checklist_is_brought_up_to_date():
    texts = [f"{q.question} {q.why}" for q in checklist.checklist()]
    assert not [t for t in texts if "EU " in t or "European" in t]
    assert all(str(q.question).endswith("?") and str(q.why) for q in checklist.checklist())
    q6 = checklist.checklist("pre-tender")[5]
    assert "Central Digital Platform" in str(q6.question) and "s87" in q6.rule
    assert "30 days" in str(checklist.checklist("post-contract")[2].why)


def test_notices_say_when_from_the_procurements_own_dates():
    above = advice(
        act_p(value=D("900000"), tender_published=date(2027, 1, 11), contract_start=date(2027, 6, 1), light_touch=True)
    )
    assert "For this procurement: on 11 January 2027, when the tender is published." in above["notice-uk4"].text
    assert "(1 June 2027), publish it by 29 September 2027." in above["notice-uk7"].text  # 120 days, light touch
    ordinary = advice(act_p(value=D("900000"), contract_start=date(2027, 6, 1), light_touch=False))
    assert "publish it by 1 July 2027." in ordinary["notice-uk7"].text  # 30 days
    below = advice(act_p(value=D("400000"), tender_published=date(2027, 1, 11)))
    assert "on 11 January 2027" in below["notice-below-threshold"].text
    assert "For this procurement" not in advice(act_p(value=D("900000")))["notice-uk4"].text
