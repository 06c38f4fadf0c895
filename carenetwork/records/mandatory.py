"""Which training categories are mandatory for whom.

The council sets rules per sector (and optionally job role); a provider adds its own rules. A rule without a job
role applies to every role. A person's mandatory set is the union of the council's rules for every sector their
organisation works in and their organisation's own rules, matching their job role or every role.
"""

from dataclasses import dataclass, field

from django.db.models import Q, Subquery

from carenetwork.organisations.models import Organisation
from carenetwork.records.models import MandatoryTraining


@dataclass
class MandatorySet:
    """The categories an organisation requires: of every role, and of particular roles."""

    every_role: set[int] = field(default_factory=set)
    by_role: dict[int, set[int]] = field(default_factory=dict)

    def for_role(self, job_role_id: int) -> set[int]:
        """The category ids mandatory for someone in this job role."""
        return self.every_role | self.by_role.get(job_role_id, set())

    @property
    def all_categories(self) -> set[int]:
        """Every category mandatory for at least one role."""
        return self.every_role.union(*self.by_role.values())

    def role_groups(self) -> list[tuple[list[int], set[int]]]:
        """(job roles, the categories they need beyond every role's), one entry for each different set of them."""
        groups: dict[frozenset[int], list[int]] = {}
        for role, categories in sorted(self.by_role.items()):
            if extra := categories - self.every_role:
                groups.setdefault(frozenset(extra), []).append(role)
        return [(roles, set(extra)) for extra, roles in groups.items()]

    def only(self, category_ids: set[int]) -> "MandatorySet":
        """The same rules limited to these categories (the matrix's chosen columns)."""
        return MandatorySet(
            every_role=self.every_role & category_ids,
            by_role={role: ids & category_ids for role, ids in self.by_role.items()},
        )


def mandatory_set(organisation) -> MandatorySet:
    """The organisation's mandatory training, from the council's sector rules and its own (one query)."""
    result = MandatorySet()
    sectors = Organisation.sectors.through.objects.filter(organisation_id=organisation.pk).values("sector_id")
    # Unordered: the rules' default order, by their categories' names, would cost a join.
    rules = (
        MandatoryTraining.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True, sector_id__in=Subquery(sectors))
        )
        .order_by()
        .values_list("job_role_id", "category_id")
    )
    for job_role_id, category_id in rules:
        if job_role_id is None:
            result.every_role.add(category_id)
        else:
            result.by_role.setdefault(job_role_id, set()).add(category_id)
    return result
