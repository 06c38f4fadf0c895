"""API endpoints of the council's reports (area "market"): the skills gap, training compliance per sector, area or
provider and one provider's, the programme report and the commissioning priorities. For council staff and council
tokens only, by the same predicates as the HTML pages; a provider's token gets 403 (the reports are no secret).

Each gives the rows and columns of the page's CSV download, as objects with named fields, counted by the same
functions. Counts only: nothing here names a member of staff, and a provider's counts of fewer than three people
are hidden as the pages hide them.
"""

from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from carenetwork.api.common import QuerySerializer
from carenetwork.api.models import Area
from carenetwork.core.access import MAX_ID, require
from carenetwork.organisations.selectors import organisation_names_for
from carenetwork.records import skills

# The counting and the privacy rule are the HTML pages' own, so that the API and the files never differ.
from carenetwork.records.compliance import (
    compliance_counts,
    compliance_provider_get,
    compliance_providers,
    is_small,
    provider_category_counts,
)
from carenetwork.records.forms_council import BY_AREA, BY_CHOICES, BY_PROVIDER, BY_SECTOR
from carenetwork.records.permissions import can_view_compliance
from carenetwork.training import demand, report
from carenetwork.training.models import Evaluation
from carenetwork.training.permissions import can_view_programme

# Rows --------------------------------------------------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    """Where the staff who need a training category stand, as the CSV's columns."""

    required = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Staff who need it ('Required of')."))
    in_date = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("In date and not expiring soon."))
    expiring = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Expiring within the window."))
    expired = serializers.IntegerField(allow_null=True)
    missing = serializers.IntegerField(allow_null=True)
    share_in_date = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Per cent in date (expiring soon included); null when none need it.")
    )


def counts_data(c, *, hidden: bool = False) -> dict:
    if hidden:
        return {"hidden": True, **dict.fromkeys(CountsSerializer._declared_fields)}
    return {
        "hidden": False,
        "required": c.required,
        "in_date": c.in_date,
        "expiring": c.expiring,
        "expired": c.expired,
        "missing": c.missing,
        "share_in_date": c.share_in_date,
    }


HIDDEN_HELP = gettext_lazy(
    "True when the counts are about fewer than 3 people at one provider: they would identify them, so every count "
    "is null."
)


class SkillsGapRowSerializer(CountsSerializer):
    category = serializers.IntegerField(help_text=gettext_lazy("The training category's id."))
    category_name = serializers.CharField()
    lacking = serializers.IntegerField(help_text=gettext_lazy("Staff lacking it: missing or expired."))
    share_lacking = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Per cent lacking it."))


class ComplianceRowSerializer(CountsSerializer):
    group = serializers.CharField(help_text=gettext_lazy("The sector, area or provider the line is for."))
    organisation = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The provider's id, when comparing providers.")
    )
    category = serializers.IntegerField(help_text=gettext_lazy("The training category's id."))
    category_name = serializers.CharField()
    hidden = serializers.BooleanField(help_text=HIDDEN_HELP)


class ProviderComplianceRowSerializer(CountsSerializer):
    category_name = serializers.CharField()
    hidden = serializers.BooleanField(help_text=HIDDEN_HELP)


def _question_means_serializer():
    fields = {
        q: serializers.DecimalField(
            max_digits=3,
            decimal_places=1,
            allow_null=True,
            help_text=str(Evaluation._meta.get_field(q).verbose_name),
        )
        for q in Evaluation.QUESTIONS
    }
    return type("QuestionMeansSerializer", (serializers.Serializer,), fields)


class ProgrammeRowSerializer(serializers.Serializer):
    """A quarter of the financial year (1 to 4), or the whole year (0), as the CSV's line."""

    financial_year = serializers.CharField()
    quarter = serializers.IntegerField(help_text=gettext_lazy("1 to 4; 0 for the whole year."))
    quarter_label = serializers.CharField()
    starts = serializers.DateField()
    ends = serializers.DateField()
    places_offered = serializers.IntegerField()
    places_filled = serializers.IntegerField(help_text=gettext_lazy("Places taken or with interest."))
    share_filled = serializers.IntegerField(allow_null=True)
    runs = serializers.IntegerField()
    runs_confirmed = serializers.IntegerField()
    runs_rescued = serializers.IntegerField(help_text=gettext_lazy("Of the confirmed, rescued by partners."))
    runs_cancelled = serializers.IntegerField()
    runs_undecided = serializers.IntegerField()
    audience = serializers.IntegerField(help_text=gettext_lazy("Target-audience providers."))
    purchasing = serializers.IntegerField(help_text=gettext_lazy("Providers purchasing."))
    share_purchasing = serializers.IntegerField(allow_null=True)
    spend = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=gettext_lazy("Spend brokered (£)."))
    places_booked = serializers.IntegerField()
    places_compared = serializers.IntegerField(help_text=gettext_lazy("Places compared with the usual price."))
    average_saving = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text=gettext_lazy("Average saving per place against the usual price (£)."),
    )
    evaluations = serializers.IntegerField()
    mean_score = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    question_means = _question_means_serializer()()


class PriorityRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    category = serializers.IntegerField(help_text=gettext_lazy("The training category's id."))
    category_name = serializers.CharField()
    combined = serializers.IntegerField(help_text=gettext_lazy("Combined need: survey plus skills gap."))
    demand = serializers.IntegerField(help_text=gettext_lazy("Staff needing it (survey)."))
    gap = serializers.IntegerField(help_text=gettext_lazy("Staff lacking it (skills gap)."))
    upcoming_runs = serializers.IntegerField()
    places_left = serializers.IntegerField(help_text=gettext_lazy("Places left on the upcoming runs."))


# Filters: the pages' choices; a value they do not offer is an error.


class SkillsQuery(QuerySerializer):
    sector = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    area = serializers.ChoiceField(choices=[], required=False, allow_blank=True)

    def __init__(self, *args, choices: skills.FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["sector"].choices = [s.slug for s in choices.sectors if s.is_active]
        self.fields["area"].choices = choices.areas

    def criteria(self) -> dict:
        data = self.validated_data
        return {"sector": self.choices.sector_by_slug(data.get("sector") or ""), "area": data.get("area") or None}


class ComplianceQuery(SkillsQuery):
    by = serializers.ChoiceField(choices=[c for c, _label in BY_CHOICES], required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    category = serializers.ChoiceField(choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [c.pk for c in self.choices.categories]

    def criteria(self) -> dict:
        data = self.validated_data
        return {
            **super().criteria(),
            "by": data.get("by") or BY_SECTOR,
            "q": data.get("q") or "",
            "category_id": data.get("category") or None,
        }


SECTOR = OpenApiParameter("sector", str, description="A sector's slug, e.g. `home-care`.")
AREA = OpenApiParameter("area", str, description="A providers' area.")


def _validated(query: serializers.Serializer, request) -> dict:
    query.is_valid(raise_exception=True)
    return query.criteria()


def _checked_id(pk: int) -> int:
    if pk > MAX_ID:
        raise Http404
    return pk


# Views -------------------------------------------------------------------------------------------------------------


class CouncilReport(generics.ListAPIView):
    """A report's rows, a page at a time; council staff and council tokens only."""

    area = Area.MARKET

    def allowed(self, user) -> bool:
        return can_view_compliance(user)

    def get_queryset(self):
        require(self.allowed(self.request.user))
        return self.rows()


class SkillsGap(CouncilReport):
    """The skills gap: every mandatory training category with the staff lacking it, the largest first."""

    serializer_class = SkillsGapRowSerializer

    def rows(self) -> list[dict]:
        choices = skills.filter_choices()
        criteria = _validated(SkillsQuery(data=self.request.query_params, choices=choices), self.request)
        today, window = skills.as_of()
        rows = skills.skills_gap(
            sector_id=getattr(criteria["sector"], "pk", None), area=criteria["area"], today=today, window_days=window
        )
        names = choices.category_names()
        return [
            {
                "category": r.category_id,
                "category_name": names.get(r.category_id, ""),
                **counts_data(r.counts),
                "lacking": r.counts.gap,
                "share_lacking": r.counts.gap_share,
            }
            for r in rows
        ]

    @extend_schema(operation_id="council_skills_gap_list", parameters=[SECTOR, AREA])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Compliance(CouncilReport):
    """Training compliance: a line per sector, area or provider and training category (every provider)."""

    serializer_class = ComplianceRowSerializer

    def rows(self) -> list[dict]:
        choices = skills.filter_choices()
        criteria = _validated(ComplianceQuery(data=self.request.query_params, choices=choices), self.request)
        today, window = skills.as_of()
        by = criteria["by"]
        searched = by == BY_PROVIDER and criteria["q"]
        ids = list(compliance_providers(criteria).values_list("pk", flat=True)) if searched else None
        counts = compliance_counts(criteria, today, window, ids)
        names = choices.category_names()
        if by == BY_PROVIDER:
            labels = organisation_names_for(user=self.request.user, pks={k[1] for k in counts})
        elif by == BY_AREA:
            labels = {k[1]: k[1] or _("No area recorded") for k in counts}
        else:
            labels = {s.pk: s.name for s in choices.sectors}
        rows = [
            {
                "group": labels.get(group, ""),
                "organisation": group if by == BY_PROVIDER else None,
                "category": category_id,
                "category_name": names.get(category_id, ""),
                **counts_data(c, hidden=by == BY_PROVIDER and is_small(c)),
            }
            for (category_id, group), c in counts.items()
        ]
        return sorted(rows, key=lambda r: (str(r["group"]), str(r["category_name"])))

    @extend_schema(
        operation_id="council_compliance_list",
        parameters=[
            OpenApiParameter(
                "by",
                str,
                enum=[c for c, _label in BY_CHOICES],
                description="Compare sectors (the default), areas or providers.",
            ),
            OpenApiParameter("q", str, description="When comparing providers: all or part of the name."),
            SECTOR,
            AREA,
            OpenApiParameter("category", int, description="A mandatory training category's id."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProviderCompliance(CouncilReport):
    """One active provider's mandatory training by category, counts only: for a quality visit."""

    serializer_class = ProviderComplianceRowSerializer

    def rows(self) -> list[dict]:
        organisation = compliance_provider_get(_checked_id(self.kwargs["pk"]))
        today, window = skills.as_of()
        return [
            {"category_name": name, **counts_data(c, hidden=is_small(c))}
            for name, c in provider_category_counts(organisation, today, window)
        ]

    @extend_schema(
        operation_id="council_compliance_provider_list",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The provider's id.")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProgrammeYearQuery(QuerySerializer):
    year = serializers.ChoiceField(choices=[], required=False, allow_blank=True)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years


class ProgrammeReport(CouncilReport):
    """The programme by quarter of a financial year, and the year's totals (the last line)."""

    serializer_class = ProgrammeRowSerializer

    def allowed(self, user) -> bool:
        return can_view_programme(user)

    def rows(self) -> list[dict]:
        today = timezone.localdate()
        query = ProgrammeYearQuery(data=self.request.query_params, years=report.year_choices(today))
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or report.financial_year_of(today)
        result = report.programme_report(year=year)
        label = report.financial_year_label(result.year)
        return [
            {
                "financial_year": label,
                "quarter": q.number,
                "quarter_label": q.short_label,
                "starts": q.starts,
                "ends": q.ends,
                **{
                    name: getattr(q, name)
                    for name in ProgrammeRowSerializer._declared_fields
                    if name not in ("financial_year", "quarter", "quarter_label", "starts", "ends", "question_means")
                },
                "question_means": dict(q.question_means),
            }
            for q in [*result.quarters, result.total]
        ]

    @extend_schema(
        operation_id="council_programme_report_list",
        parameters=[
            OpenApiParameter(
                "year",
                int,
                description="The financial year, by the year it starts in April; the current one if not given.",
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Priorities(CouncilReport):
    """What to commission next: categories ranked by survey demand plus the skills gap, with what is commissioned."""

    serializer_class = PriorityRowSerializer

    def allowed(self, user) -> bool:
        return can_view_programme(user)

    def rows(self) -> list[dict]:
        choices = skills.filter_choices()
        query = SkillsQuery(data=self.request.query_params, choices=choices)
        query.fields.pop("area")
        sector = _validated(query, self.request)["sector"]
        result = demand.priorities(sector=sector)
        return [
            {
                "rank": i,
                "category": n.category_id,
                "category_name": n.name,
                "combined": n.combined,
                "demand": n.demand,
                "gap": n.gap,
                "upcoming_runs": n.upcoming_runs,
                "places_left": n.places_left,
            }
            for i, n in enumerate(result.needs, start=1)
        ]

    @extend_schema(operation_id="council_priorities_list", parameters=[SECTOR])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("council/skills-gap/", SkillsGap.as_view(), name="council-skills-gap-list"),
    path("council/compliance/", Compliance.as_view(), name="council-compliance-list"),
    path("council/compliance/<int:pk>/", ProviderCompliance.as_view(), name="council-provider-compliance-list"),
    path("council/programme-report/", ProgrammeReport.as_view(), name="council-programme-report-list"),
    path("council/priorities/", Priorities.as_view(), name="council-priorities-list"),
]
