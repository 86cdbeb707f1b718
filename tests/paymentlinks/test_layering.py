"""Dependencies point one way: `paymentlinks` sits above `orders`, and no app of ours imports it
(the order's JSON, the messages and the timeline ask orders/payment_links.py)."""
from tests.config.test_dependency_direction import imports_by_module, our_apps


def test_no_app_of_ours_imports_paymentlinks():
    importing = {
        module for app in sorted(our_apps() - {"paymentlinks"}) for module, apps in imports_by_module(app).items()
        if "paymentlinks" in apps
    }
    assert importing == set()


def test_paymentlinks_uses_only_apps_below_it():
    used = set().union(*imports_by_module("paymentlinks").values())
    assert used <= {"orders", "outbox", "api"}
