"""Dependencies point one way (README, *Architecture*), read from the source with `ast`: an import
that breaks the layering fails here, whether or not a test runs the code that has it.

Every import counts, also those inside functions and `import_module("...")` calls. `config`, the
project package, is not an app: the modules of it that apps use (schedule registration, the client
address behind proxies, the read-only admin base) import no app themselves.

Where an app above `orders` is still named by `orders` (a `reverse("timeline:...")`), the test
that reads URL names says which module.
"""
import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"config", "tests", "bench"}
# The apps below everything: they import nothing of ours.
LEAVES = {"carriers", "billing", "storefronts", "outbox", "safehttp"}
# What `orders` may use: the leaves and the API toolkit, which itself imports no app.
BELOW_ORDERS = LEAVES | {"api"}


def our_apps() -> set[str]:
    return {
        path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in NOT_APPS
    }


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    """The absolute module names `path` imports (relative imports stay inside its package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # may name a module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


@cache
def imports_by_module(package: str) -> dict[str, set[str]]:
    """{module path: the apps of ours it imports}, for every module of `package` (but itself)."""
    apps = our_apps()
    found = {}
    for path in modules_of(package):
        imported = {name.split(".")[0] for name in imported_names(path)} & apps - {package}
        if imported:
            found[str(path.relative_to(ROOT))] = imported
    return found


def test_the_imports_are_found():
    assert {"api", "orders", "carriers", "storefronts", "timeline", "notifications"} <= our_apps()
    assert "carriers" in imports_by_module("orders")["orders/services/moves.py"]  # from carriers.models import Carrier
    assert "orders" in imports_by_module("timeline")["timeline/views.py"]


def test_the_api_toolkit_imports_no_app_but_the_schedule_registration():
    """Every app registers its periodic schedules through the leaf `outbox.schedules`; the toolkit
    too (the purge of expired Idempotency-Keys). It imports nothing else of ours."""
    apps = our_apps() - {"api"}
    used = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_names(path) if name.split(".")[0] in apps)
        for path in modules_of("api")
    }
    # `from outbox import schedules` reads as "outbox" and "outbox.schedules".
    beyond = {
        module: [name for name in names if name != "outbox" and not name.startswith("outbox.schedules")]
        for module, names in used.items()
    }
    assert {module: names for module, names in beyond.items() if names} == {}
    assert "outbox.schedules" in used["api/schedules.py"]


def test_orders_imports_only_the_leaves_and_the_api_toolkit():
    above = {module: apps - BELOW_ORDERS for module, apps in imports_by_module("orders").items()}
    assert {module: apps for module, apps in above.items() if apps} == {}


def test_orders_reverses_no_address_of_an_app_above_it():
    """`reverse("timeline:order")` in orders would tie it to the timeline as much as an import."""
    above = our_apps() - BELOW_ORDERS - {"orders"}
    named = {}
    for path in modules_of("orders"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                namespace, colon, name = node.value.partition(":")
                if colon and namespace in above and name.replace("-", "_").isidentifier():
                    named.setdefault(str(path.relative_to(ROOT)), set()).add(node.value)
    assert named == {}


def test_no_app_reaches_into_the_orders_admin():
    """The apps above orders show amounts and people with `orders.display`, not orders' admin modules."""
    reaching = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_names(path) if name.startswith("orders.admin"))
        for app in sorted(our_apps() - {"orders"}) for path in modules_of(app)
    }
    assert {module: names for module, names in reaching.items() if names} == {}


def test_the_leaves_import_nothing_of_ours():
    leaves = LEAVES & our_apps()
    assert leaves >= {"carriers", "billing", "storefronts", "safehttp"}
    assert {leaf: imports_by_module(leaf) for leaf in sorted(leaves) if imports_by_module(leaf)} == {}


def test_the_timeline_writes_push_subscriptions_through_the_notifications_service():
    models = {
        str(path.relative_to(ROOT)) for path in modules_of("timeline")
        if any(name.startswith("notifications.models") for name in imported_names(path))
    }
    assert models == set()
    assert "notifications.services" in imported_names(ROOT / "timeline" / "views.py")


def test_the_project_modules_apps_use_import_no_app():
    used = set()
    for app in our_apps():
        for path in modules_of(app):
            used.update(name for name in imported_names(path) if name.split(".")[0] == "config")
    assert used  # the apps do use some (config.schedules, config.proxies, config.admin)
    apps = our_apps()
    offending = {}
    for name in sorted(used):
        path = ROOT / (name.replace(".", "/") + ".py")
        if not path.exists():
            continue  # a name inside a module (config.proxies.client_address), or the package itself
        imported = {module.split(".")[0] for module in imported_names(path)} & apps
        if imported:
            offending[name] = imported
    assert offending == {}
