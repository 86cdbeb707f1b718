"""Sections other apps add to the staff's order page, without `orders` importing them.

An app above `orders` registers, when it is ready, a function `section(request, order)` that
returns the HTML of its section (already escaped: rendered from its own template), or "" when it
has nothing to show for that order. The order page shows the sections above its fieldsets, in the
order they were registered. A section's forms post to the app's own admin pages (forms cannot nest
in the order's form).
"""
from collections.abc import Callable

_sections: dict[str, Callable] = {}


def provide(name: str, section: Callable) -> None:
    """Register (or replace) the section `name`."""
    _sections[name] = section


def render(request, order) -> list[str]:
    """The HTML of every registered section that has something to show for `order`."""
    return [html for html in (section(request, order) for section in _sections.values()) if html]
