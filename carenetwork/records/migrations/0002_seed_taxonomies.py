"""Seed the ASC-WDS training categories, job roles and training providers, and sensible mandatory training.

Idempotent: the browser tests run it again after each flush of the database.
"""

from django.db import migrations

from carenetwork.records.ascwds import JOB_ROLES, TRAINING_CATEGORIES, TRAINING_PROVIDERS

# Refresh periods in months; categories not listed are renewed every three years.
YEARLY = {1, 5, 6, 7, 10, 13, 15, 45}
ONCE = {11, 12, 18, 21, 25, 28, 31, 32, 35, 36, 37, 39, 40, 41, 46, 47, 48, 49, 50, 51}

# MAINJOBROLE codes of roles that provide care directly.
CARE_ROLES = {4, 5, 7, 8, 9, 16, 23, 34, 37, 38, 43, 45, 52}

CARE_SECTORS = [
    "residential-care",
    "nursing-care",
    "home-care",
    "learning-disability",
    "supported-living",
    "day-services",
]
# Every role in a care sector: safeguarding, fire, infection control, health and safety, mental capacity,
# Oliver McGowan (e-learning), data protection, equality and diversity.
EVERY_ROLE = [20, 6, 10, 9, 14, 41, 26, 23]
# Care-providing roles in every care sector: moving and assisting, medication, first aid, dignity, duty of care.
CARE_ROLE = [15, 13, 7, 22, 34]
# Care-providing roles, by sector.
SECTOR_CARE_ROLE = {
    "residential-care": [2, 8, 16, 17],
    "nursing-care": [2, 8, 16, 17],
    "home-care": [2, 8],
    "learning-disability": [19, 12, 32, 27],
    "supported-living": [19, 12, 32],
    "day-services": [39],
}
VOLUNTARY_EVERY_ROLE = [20, 9, 26, 23]


def seed(apps, schema_editor):
    TrainingCategory = apps.get_model("records", "TrainingCategory")
    JobRole = apps.get_model("records", "JobRole")
    ExternalTrainingProvider = apps.get_model("records", "ExternalTrainingProvider")
    MandatoryTraining = apps.get_model("records", "MandatoryTraining")
    Sector = apps.get_model("organisations", "Sector")

    categories = {}
    for code, name, group in TRAINING_CATEGORIES:
        months = None if code in ONCE else 12 if code in YEARLY else 36
        categories[code] = TrainingCategory.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "refresh_months": months}
        )[0]
    roles = {
        code: JobRole.objects.get_or_create(code=code, defaults={"name": name, "provides_care": code in CARE_ROLES})[0]
        for code, name in JOB_ROLES
    }
    for code, name in TRAINING_PROVIDERS:
        ExternalTrainingProvider.objects.get_or_create(code=code, defaults={"name": name})
    if MandatoryTraining.objects.filter(organisation__isnull=True).exists():
        return  # seeded already (the browser tests seed again after each flush)

    rules = []
    sectors = {s.slug: s for s in Sector.objects.all()}
    for slug in CARE_SECTORS:
        if slug not in sectors:
            continue
        sector = sectors[slug]
        rules += [MandatoryTraining(sector=sector, category=categories[c]) for c in EVERY_ROLE]
        for role in (roles[r] for r in sorted(CARE_ROLES)):
            rules += [
                MandatoryTraining(sector=sector, job_role=role, category=categories[c])
                for c in CARE_ROLE + SECTOR_CARE_ROLE[slug]
            ]
    if "voluntary-community" in sectors:
        rules += [
            MandatoryTraining(sector=sectors["voluntary-community"], category=categories[c])
            for c in VOLUNTARY_EVERY_ROLE
        ]
    MandatoryTraining.objects.bulk_create(rules)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial"), ("organisations", "0002_seed_taxonomies")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
