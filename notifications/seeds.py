"""The purchase experience switches and the message templates a new store starts with
(`manage.py seed_reference_data`), from `defaults.py`.

A switch or a template that exists keeps what staff made of it; one that is missing (a new milestone,
channel or language, or a template staff deleted) is created from the shipped text.
"""
from .defaults import DEFAULT_SWITCHES, all_default_templates
from .models import MessageTemplate, MilestoneSetting


def seed() -> int:
    settings = set(MilestoneSetting.objects.values_list("milestone", flat=True))
    templates = set(MessageTemplate.objects.values_list("milestone", "channel", "language"))
    missing_settings = [
        MilestoneSetting(milestone=milestone, **switches)
        for milestone, switches in DEFAULT_SWITCHES.items() if milestone not in settings
    ]
    missing_templates = [
        MessageTemplate(milestone=milestone, channel=channel, language=language, **fields)
        for milestone, channel, language, fields in all_default_templates()
        if (milestone, channel, language) not in templates
    ]
    MilestoneSetting.objects.bulk_create(missing_settings, ignore_conflicts=True)
    MessageTemplate.objects.bulk_create(missing_templates, ignore_conflicts=True)
    return len(missing_settings) + len(missing_templates)
