"""Prints each SMS to the console (standard output): the development default."""
import sys
import threading
import uuid

from ..base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                message.provider_message_id = f"console-{uuid.uuid4().hex[:12]}"
                self.stream.write(f"SMS to {message.to} ({message.provider_message_id}):\n{message.body}\n")
                self.stream.write("-" * 79 + "\n")
            self.stream.flush()
        return len(messages)
