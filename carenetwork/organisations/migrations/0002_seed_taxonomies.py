"""Seed the provider sectors and the service types (the ASC-WDS MAINSERVICE codes)."""

from django.db import migrations

SECTORS = [
    ("residential-care", "Residential care"),
    ("nursing-care", "Nursing care"),
    ("home-care", "Home care"),
    ("learning-disability", "Learning disability services"),
    ("voluntary-community", "Voluntary and community sector"),
    ("supported-living", "Supported living"),
    ("day-services", "Day services"),
]

# (ASC-WDS bulk-upload code, name, residential) from Skills for Care's ASC-WDS services table.
SERVICE_TYPES = [
    (1, 'Care home services with nursing', True),
    (2, 'Care home services without nursing', True),
    (5, 'Other adult residential care service', True),
    (6, 'Day care and day services', False),
    (7, 'Other adult day care service', False),
    (8, 'Domiciliary care services', False),
    (10, 'Domestic services and home help', False),
    (12, 'Other adult domiciliary care service', False),
    (13, 'Carers support', False),
    (14, 'Short breaks, respite care', False),
    (15, 'Community support and outreach', False),
    (16, 'Social work and care management', False),
    (17, 'Shared lives', False),
    (18, 'Disability adaptations, assistive technology services', False),
    (19, 'Occupational, employment-related services', False),
    (20, 'Information and advice services', False),
    (21, 'Other adult community care service', False),
    (52, 'Other service (not healthcare)', False),
    (53, 'Sheltered housing', False),
    (54, 'Extra care housing services', False),
    (55, 'Supported living services', False),
    (60, 'Specialist college services', False),
    (61, 'Community based services for people with a learning disability', False),
    (62, 'Community based services for people with mental health needs', False),
    (63, 'Community based services for people who misuse substances', False),
    (64, 'Community healthcare services', False),
    (66, 'Hospice services', False),
    (67, 'Long-term conditions services', False),
    (68, 'Hospital services for people with mental health needs, learning disabilities, problems with substance misuse', False),
    (69, 'Rehabilitation services', False),
    (70, 'Residential substance misuse treatment, rehabilitation services', True),
    (71, 'Other service (healthcare)', False),
    (72, 'Head office services', False),
    (73, 'Live-in care', False),
    (74, 'Nurses agency', False),
    (75, "Any children's, young people's service", False),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("organisations", "Sector")
    ServiceType = apps.get_model("organisations", "ServiceType")
    for position, (slug, name) in enumerate(SECTORS):
        Sector.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for code, name, residential in SERVICE_TYPES:
        ServiceType.objects.get_or_create(ascwds_code=code, defaults={"name": name, "is_residential": residential})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
