"""Order managers see the report (`manage.py seed_reference_data`). Granted when the group is created; a
group that exists is left alone.
"""
GROUP_PERMISSIONS = {
    "Order managers": ["view_report"],
}
