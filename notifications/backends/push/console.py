"""Prints each web push notification to the console: the development default."""
import json
import sys
import threading
import uuid

from ..base import BasePushBackend


class PushBackend(BasePushBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                message.provider_message_id = f"console-{uuid.uuid4().hex[:12]}"
                self.stream.write(f"Web push to {message.endpoint}:\n")
                self.stream.write(json.dumps(message.payload, ensure_ascii=False, indent=2) + "\n")
                self.stream.write("-" * 79 + "\n")
            self.stream.flush()
        return len(messages)
