"""Why a webhook delivery (or one of its attempts) failed or waits for a retry: a code stored in
`error_code`, with the detail in `error` (the HTTP status, the seconds waited, the network's own
words), and the sentence told in the reader's language when shown (outbox/reasons.py)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox.reasons import GAVE_UP_SENTENCE, Reasons


class Reason(models.TextChoices):
    HTTP_ERROR = "http_error", _("the endpoint answered with an error")
    REDIRECTED = "redirected", _("the endpoint answered with a redirect (redirects are not followed)")
    TIMED_OUT = "timed_out", _("no answer in time")
    UNREACHABLE = "unreachable", _("could not connect")
    BAD_REQUEST = "bad_request", _("the request could not be made")
    PRIVATE_ADDRESS = "private_address", _("the endpoint's host resolves to a private address")
    REFUSED = "refused", _("not sent: the address is not allowed")
    ENDPOINT_INACTIVE = "endpoint_inactive", _("not sent: the endpoint is inactive")
    ENDPOINT_DISABLED = "endpoint_disabled", _("not sent: the endpoint is disabled")
    ORDER_GONE = "order_gone", _("not sent: the order was deleted before the event's body was built")
    GAVE_UP = "gave_up", _("gave up after the last attempt")
    OTHER = "other", _("other")


REASONS = Reasons(
    Reason,
    with_detail={
        Reason.HTTP_ERROR: _("the endpoint answered HTTP %(status)s"),
        Reason.REDIRECTED: _(
            "the endpoint answered HTTP %(status)s (redirects are not followed: register the final address)"
        ),
        Reason.TIMED_OUT: _("no answer within %(seconds)s seconds"),
        Reason.UNREACHABLE: _("could not connect: %(error)s"),
        Reason.BAD_REQUEST: _("the request could not be made: %(error)s"),
        Reason.PRIVATE_ADDRESS: _("the endpoint's host resolves to a private address (%(address)s)"),
        Reason.REFUSED: _("not sent, the address is not allowed: %(error)s"),
        Reason.GAVE_UP: GAVE_UP_SENTENCE,
    },
    detail_only={Reason.OTHER},
    gave_up=Reason.GAVE_UP,
)


def sentence(code: str, detail: str = "", *, attempts: int | None = None) -> str:
    return REASONS.sentence(code, detail, attempts=attempts)
