"""Keeps web push notifications in memory, in `outbox`: for tests."""
import itertools

from ..base import BasePushBackend

outbox = []
_ids = itertools.count(1)


class PushBackend(BasePushBackend):
    def send_messages(self, messages) -> int:
        for message in messages:
            message.provider_message_id = f"locmem-push-{next(_ids)}"
            outbox.append(message)
        return len(messages)
