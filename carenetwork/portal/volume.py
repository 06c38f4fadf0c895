"""Synthetic data at benchmark volume: organisations and people, then each registered capability's volume."""

from carenetwork.core.registry import capabilities
from carenetwork.organisations.volume import generate_volume

VOLUMES = {
    "council": {"organisations": 1000, "locations": 3000, "people": 5000},
    "region": {"organisations": 10000, "locations": 30000, "people": 50000},
    # England: about 28,000 providers, each with three locations and five portal people on average, as above.
    "national": {"organisations": 28000, "locations": 84000, "people": 140000},
}


def volume_ensure(volume: str, stdout=None) -> dict:
    """Top up every part of the synthetic data to the volume's figures; return the organisations' generation."""
    generation = generate_volume(**VOLUMES[volume], stdout=stdout)
    for capability in capabilities():
        if capability.volume:
            capability.volume(volume, stdout=stdout)
    return generation
