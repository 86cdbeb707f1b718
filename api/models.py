import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderSubmission(models.Model):
    """The fingerprint of the request that created a storefront's order, by its external id.

    A storefront that sends the same order again (same external id, same body) gets the
    order back and nothing new is created; a different body under the same id is refused.
    """

    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.CASCADE, related_name="+", verbose_name=_("storefront"),
    )
    external_id = models.CharField(_("storefront order id"), max_length=100)
    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="api_submission", verbose_name=_("order"),
    )
    body_hash = models.CharField(_("request fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order submission")
        verbose_name_plural = _("order submissions")
        constraints = [
            models.UniqueConstraint(fields=["storefront", "external_id"], name="api_submission_unique_external_id"),
        ]

    def __str__(self):
        return f"{self.storefront_id}:{self.external_id}"


class IdempotencyKey(models.Model):
    """A storefront's `Idempotency-Key`: the first response to it is replayed for 24 hours.

    `response_status` is empty while a request is being processed; `claim` names that request, so
    a retry that takes over the key of a request that died (older than the in-flight limit) is the
    only one to run it, and the dead request can no longer store or drop anything. `created_at`
    is when the request now holding the key started.
    """

    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.CASCADE, related_name="+", verbose_name=_("storefront"),
    )
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True, encoder=DjangoJSONEncoder)
    claim = models.UUIDField(_("claim"), default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["storefront", "key"], name="api_idempotency_key_unique_per_storefront"),
        ]

    def __str__(self):
        return self.key
