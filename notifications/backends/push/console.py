"""Prints each web push notification to the console: the development default."""
import json

from ..base import BasePushBackend, ConsoleMixin


class PushBackend(ConsoleMixin, BasePushBackend):
    def printed(self, message) -> str:
        return (f"Web push to {message.endpoint}:\n"
                + json.dumps(message.payload, ensure_ascii=False, indent=2) + "\n")
