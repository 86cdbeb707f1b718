"""django-q2 tasks. Thin: they take ids and call services."""
from .outbox import EVENTS, WRITE_BACKS
from .services import processing, write_back


def process_event(event_id: int):
    return processing.process(event_id)


def send_write_back(write_back_id: int):
    return write_back.send(write_back_id)


def sweep_events():
    return EVENTS.requeue_stale()


def sweep_write_backs():
    return WRITE_BACKS.requeue_stale()


def purge_events():
    return EVENTS.purge()


def purge_write_backs():
    return write_back.purge()
