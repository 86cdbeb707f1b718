"""Dependencies point one way: `paymentlinks` sits above `orders` and `notifications`, and no app of
ours imports it (the order's JSON, the messages and the timeline ask orders/payment_links.py)."""
from tests.config.test_dependency_direction import ROOT, imported_names, imports_by_module, modules_of, our_apps


def test_no_app_of_ours_imports_paymentlinks():
    importing = {
        module for app in sorted(our_apps() - {"paymentlinks"}) for module, apps in imports_by_module(app).items()
        if "paymentlinks" in apps
    }
    assert importing == set()


def test_paymentlinks_uses_only_apps_below_it():
    used = set().union(*imports_by_module("paymentlinks").values())
    assert used <= {"orders", "outbox", "api", "notifications"}


def test_paymentlinks_sends_its_email_through_the_public_side_of_notifications():
    """The email with the link is a kind of message it registers (notifications.app_kinds) and writes
    with notifications.services; it reaches into nothing else of notifications."""
    names = {
        name for path in modules_of("paymentlinks") for name in imported_names(path)
        if name.split(".")[0] == "notifications"
    }
    public = {"notifications", "notifications.services", "notifications.app_kinds", "notifications.reasons"}
    assert names - public <= {f"{module}.{name}" for module in public for name in
                              ("AppKind", "admin_link", "register_kind", "Reason", "services")}
    assert (ROOT / "paymentlinks" / "messages.py").exists()
