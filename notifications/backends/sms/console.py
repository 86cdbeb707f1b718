"""Prints each SMS to the console (standard output): the development default."""
from ..base import BaseSmsBackend, ConsoleMixin


class SmsBackend(ConsoleMixin, BaseSmsBackend):
    def printed(self, message) -> str:
        return f"SMS to {message.to} ({message.provider_message_id}):\n{message.body}\n"
