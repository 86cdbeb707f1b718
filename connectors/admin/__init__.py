"""The connectors' admin: the storefronts' connect page, the connections, the method rules, the
platform orders and events, and the tracking write-backs. One module each."""
from . import accounts, events, rules, storefronts, write_backs  # noqa: F401 (they register themselves)
