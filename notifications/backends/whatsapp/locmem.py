"""Keeps WhatsApp messages in memory, in `outbox`, like django.core.mail.outbox: for tests."""
import itertools

from ..base import BaseWhatsAppBackend

outbox = []
_ids = itertools.count(1)


class WhatsAppBackend(BaseWhatsAppBackend):
    def send_messages(self, messages) -> int:
        for message in messages:
            message.provider_message_id = f"wamid.locmem-{next(_ids)}"
            outbox.append(message)
        return len(messages)
