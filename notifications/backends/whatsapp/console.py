"""Prints each WhatsApp message to the console (standard output): the development default."""
from ..base import BaseWhatsAppBackend, ConsoleMixin


class WhatsAppBackend(ConsoleMixin, BaseWhatsAppBackend):
    id_prefix = "console-wamid-"

    def printed(self, message) -> str:
        return (f"WhatsApp to {message.to} ({message.provider_message_id}), template {message.template_name} "
                f"[{message.language_code}] {message.parameters}:\n{message.body}\n")
