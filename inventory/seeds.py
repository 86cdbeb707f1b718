"""Stock for the staff groups (`manage.py seed_reference_data`): order managers keep the counts (and import
them); dispatch reads them. Granted when the group is created; a group that exists is left alone.
"""
GROUP_PERMISSIONS = {
    "Order managers": [
        "view_stockitem", "add_stockitem", "change_stockitem", "view_stockmovement", "view_lowstockalert",
    ],
    "Dispatch": ["view_stockitem", "view_stockmovement"],
}
