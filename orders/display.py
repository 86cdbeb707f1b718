"""How amounts and people read: the order screens, the messages, the timeline page and the apps
built on orders use these.

`format_money` is the one way an amount is written for a person, whoever reads it and wherever;
`money` writes one to the staff member reading the page; `person_label` names who did something (a
staff member, a storefront's service user, or the system).
"""
from copy import copy
from functools import lru_cache

from babel import Locale, localedata
from babel.numbers import format_currency, get_currency_symbol
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


@lru_cache(maxsize=256)
def _currency_format(currency: str, locale: str):
    """Babel's locale and its currency pattern with the currency's code and symbol already in it, or
    no pattern where it names the currency in words ("¤¤¤").

    Babel's `format_currency` parses the locale again for every amount and looks up the currency's
    plural name for it, only to find the pattern does not use it: half the cost of a list of 50
    totals. Babel puts the code and the symbol into the written amount the same way (and then
    unquotes it), so the text is the same."""
    babel_locale = Locale.parse(locale)
    pattern = babel_locale.currency_formats["standard"]
    if any("¤¤¤" in part for part in (*pattern.prefix, *pattern.suffix)):
        return babel_locale, None
    symbol = get_currency_symbol(currency, babel_locale)

    def signed(part: str) -> str:
        return part.replace("¤¤", currency.upper()).replace("¤", symbol)

    pattern = copy(pattern)
    pattern.prefix, pattern.suffix = tuple(map(signed, pattern.prefix)), tuple(map(signed, pattern.suffix))
    return babel_locale, pattern


def format_money(amount, currency: str, language: str | None = None) -> str:
    """An amount in a currency, as a reader of `language` (else the active language) reads it:
    "$66.500,00" in Spanish, "ARS 66.500,00" in Portuguese, "ARS66,500.00" in English (docs/glossary.md).
    Every amount a person reads comes through here: admin pages, messages, the timeline page, sheets."""
    if amount is None:
        return ""
    if not currency:
        return f"{amount}"
    locale = money_locale(language or get_language() or settings.LANGUAGE_CODE)
    babel_locale, pattern = _currency_format(currency, locale)
    if pattern is None:
        return format_currency(amount, currency, locale=babel_locale)
    return pattern.apply(amount, babel_locale, currency=currency)


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
