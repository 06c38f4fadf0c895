"""Tables of sums kept as change rows: a writer appends its difference as a new row and never updates a shared one,
so writers never wait on one another; a reader adds up a key's rows; `sums_compact` folds each key's rows back
into one now and then.
"""

from collections.abc import Iterable, Mapping

from django.db import models, transaction
from django.db.models import Count, Q

CHUNK = 500


def sums_append(model: type[models.Model], changes: Mapping[tuple, Mapping], keys: Iterable[str]) -> int:
    """Append a row per key whose change is not all zeros ({key values: {sum name: change}}); how many."""
    keys = tuple(keys)
    rows = [
        model(**dict(zip(keys, key, strict=True)), **change) for key, change in changes.items() if any(change.values())
    ]
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def sums_compact(model: type[models.Model], keys: Iterable[str], sums: Iterable[str]) -> int:
    """Fold the rows of each key that has more than one into one (how many rows went); a few queries a few hundred
    keys.

    The rows of those keys are taken FOR UPDATE as this transaction sees them, deleted, and their sums written
    back, in one transaction: rows that writers add meanwhile are not seen, so stay to be added, and a second
    compaction at once skips the rows the first deleted, so no row is ever counted twice.
    """
    keys, sums = tuple(keys), tuple(sums)
    repeated = list(model.objects.values_list(*keys).annotate(n=Count("pk")).filter(n__gt=1).values_list(*keys))
    folded = 0
    for start in range(0, len(repeated), CHUNK):
        chosen = Q()
        for key in repeated[start : start + CHUNK]:
            chosen |= Q(**dict(zip(keys, key, strict=True)))
        found = list(model.objects.filter(chosen).select_for_update().values_list("pk", *keys, *sums))
        totals: dict[tuple, dict] = {}
        for row in found:
            key, values = row[1 : 1 + len(keys)], row[1 + len(keys) :]
            total = totals.setdefault(key, dict.fromkeys(sums, 0))
            for name, value in zip(sums, values, strict=True):
                total[name] += value
        ids = [row[0] for row in found]
        for first in range(0, len(ids), 2000):
            model.objects.filter(pk__in=ids[first : first + 2000]).delete()
        folded += len(found) - sums_append(model, totals, keys)
    return folded
