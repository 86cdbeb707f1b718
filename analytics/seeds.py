"""The report's reference data (`manage.py seed_reference_data`): order managers see the report
(granted when the group is created; a group that exists is left alone), and the times between the
report's default pair of statuses are kept from the first night (analytics/durations.py)."""
GROUP_PERMISSIONS = {
    "Order managers": ["view_report"],
}


def seed() -> int:
    from django.utils import timezone

    from .forms import DEFAULT_FROM, DEFAULT_TO
    from .models import DurationPair

    _pair, created = DurationPair.objects.get_or_create(
        pair=f"{DEFAULT_FROM}>{DEFAULT_TO}", defaults={"asked_on": timezone.localdate()},
    )
    return int(created)
