"""The notifications admin, one module per responsibility; importing them registers their admins."""
from . import counts, log, message_templates, purchase_experience, push, rules, whatsapp  # noqa: F401
