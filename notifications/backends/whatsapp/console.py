"""Prints each WhatsApp message to the console (standard output): the development default."""
import sys
import threading
import uuid

from ..base import BaseWhatsAppBackend


class WhatsAppBackend(BaseWhatsAppBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                message.provider_message_id = f"console-wamid-{uuid.uuid4().hex[:12]}"
                self.stream.write(
                    f"WhatsApp to {message.to} ({message.provider_message_id}), template {message.template_name} "
                    f"[{message.language_code}] {message.parameters}:\n{message.body}\n"
                )
                self.stream.write("-" * 79 + "\n")
            self.stream.flush()
        return len(messages)
