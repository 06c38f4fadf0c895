"""Pure arithmetic on providers' scores: the distribution, the mean, and whether enough providers have answered for
the council to see them (no database)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_PROVIDERS = 5  # fewer than this and a score could point at the provider who gave it
SCORES = range(0, 6)


@dataclass(frozen=True)
class Summary:
    """Providers' scores of one method: how many answered, how many gave each score 0–5, and the mean (1 place)."""

    count: int
    distribution: tuple[int, ...]
    mean: Decimal | None

    @property
    def shown(self) -> bool:
        return self.count >= MIN_PROVIDERS

    def gap(self, own: int | None) -> Decimal | None:
        """Providers' mean less the council's own score: negative when providers see the council less well."""
        if own is None or self.mean is None or not self.shown:
            return None
        return self.mean - own


def summarise(counts: dict[int, int]) -> Summary:
    """A summary from {score: number of providers who gave it}."""
    distribution = tuple(int(counts.get(s, 0)) for s in SCORES)
    count = sum(distribution)
    if not count:
        return Summary(0, distribution, None)
    total = sum(s * n for s, n in zip(SCORES, distribution, strict=True))
    mean = (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Summary(count, distribution, mean)
