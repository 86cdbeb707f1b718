import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validation import S10_PATTERN, is_valid_s10, normalize_tracking_code


def validate_url_template(value: str) -> None:
    if "{code}" not in value:
        raise ValidationError(_("The URL template must contain {code} where the tracking code goes."))
    if not value.startswith(("https://", "http://")):
        raise ValidationError(_("The URL template must start with https:// or http://."))


def validate_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(_("Not a valid regular expression: %(error)s"), params={"error": exc}) from exc


class CarrierQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Carrier(models.Model):
    class CheckDigit(models.TextChoices):
        NONE = "none", _("None")
        S10 = "s10", _("UPU S10 (weights 8 6 4 2 3 5 9 7)")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Stable code used by the API."))
    tracking_url_template = models.CharField(
        _("tracking URL template"),
        max_length=300,
        validators=[validate_url_template],
        help_text=_("The carrier's public tracking page, with {code} where the tracking code goes."),
    )
    tracking_code_regex = models.CharField(
        _("tracking code format"),
        max_length=200,
        validators=[validate_regex],
        help_text=_("Regular expression a tracking code must match in full (after removing spaces)."),
    )
    tracking_code_example = models.CharField(_("example tracking code"), max_length=60, blank=True)
    check_digit = models.CharField(
        _("check digit"), max_length=10, choices=CheckDigit.choices, default=CheckDigit.NONE,
        help_text=_("For S10 codes, a code matching the format must also carry the right check digit."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = CarrierQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")

    def __str__(self):
        return self.name

    def clean_tracking_code(self, tracking_code: str) -> str:
        """Return the normalized code, or raise ValidationError saying what is wrong with it."""
        code = normalize_tracking_code(tracking_code)
        if not code:
            raise ValidationError(_("Enter the tracking code."), code="tracking_code_required")
        if not re.fullmatch(self.tracking_code_regex, code):
            message = _("“%(code)s” is not a valid %(carrier)s tracking code.")
            if self.tracking_code_example:
                message = _("“%(code)s” is not a valid %(carrier)s tracking code (they look like %(example)s).")
            raise ValidationError(
                message,
                code="tracking_code_invalid",
                params={"code": code, "carrier": self.name, "example": self.tracking_code_example},
            )
        if self.check_digit == self.CheckDigit.S10 and S10_PATTERN.match(code):
            if not is_valid_s10(code):
                raise ValidationError(
                    _("“%(code)s” has a wrong check digit: please check the code on the receipt."),
                    code="tracking_code_invalid",
                    params={"code": code},
                )
        return code

    def tracking_url(self, tracking_code: str) -> str:
        return self.tracking_url_template.replace("{code}", quote(tracking_code, safe=""))
