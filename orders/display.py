"""How amounts and people read: the order screens, the messages, the timeline page and the apps
built on orders use these.

`format_money` is the one way an amount is written for a person, whoever reads it and wherever;
`money` writes one to the staff member reading the page; `person_label` names who did something (a
staff member, a storefront's service user, or the system).
"""
from babel import localedata
from babel.numbers import format_currency
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import get_language, gettext, to_locale


def money_locale(language: str) -> str:
    """The Babel locale amounts are written in for a reader of `language`: the language as spoken in
    the store's country (PHONENUMBER_DEFAULT_REGION) when Babel knows that pair, else the language's
    own region ("pt-br") or the language alone. With the default region, Spanish is es_AR."""
    locale = to_locale(language)
    base = locale.split("_")[0]
    if "_" in locale:
        return locale if localedata.exists(locale) else base
    regional = f"{base}_{settings.PHONENUMBER_DEFAULT_REGION}"
    return regional if localedata.exists(regional) else base


def format_money(amount, currency: str, language: str | None = None) -> str:
    """An amount in a currency, as a reader of `language` (else the active language) reads it:
    "$66.500,00" in Spanish, "ARS 66.500,00" in Portuguese, "ARS66,500.00" in English (docs/glossary.md).
    Every amount a person reads comes through here: admin pages, messages, the timeline page, sheets."""
    if amount is None:
        return ""
    if not currency:
        return f"{amount}"
    return format_currency(amount, currency, locale=money_locale(language or get_language() or settings.LANGUAGE_CODE))


def money(priced, amount) -> str:
    """An amount in the currency of `priced` (an order, a checkout: anything with `currency`), written
    for the staff member reading the page, in their language."""
    return format_money(amount, priced.currency, get_language())


def person_label(user) -> str:
    """Who did something: the storefront's name for its service user, else the staff member;
    "System" when nobody did."""
    if user is None:
        return gettext("System")
    try:
        storefront = user.storefront
    except ObjectDoesNotExist:
        storefront = None
    if storefront is not None:
        return gettext("%(name)s (storefront)") % {"name": storefront.name}
    return user.get_full_name() or user.get_username()
