"""Readable, unique addresses for records named by people."""

from django.utils.text import slugify


def unique_slug(model, name: str, *, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """A slug from the name, not reserved and not used by another row of the model ("name", "name-2"…)."""
    base = slugify(name)[:40] or fallback
    if base in reserved:
        base = f"{base}-{fallback}"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
