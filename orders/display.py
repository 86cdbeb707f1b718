"""How amounts and people read to staff: the order screens and the apps built on orders use these.

`money` writes an amount of anything priced in a currency (an order, a checkout); `person_label`
names who did something (a staff member, a storefront's service user, or the system).
"""
from babel import localedata
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import get_language, gettext


def money(priced, amount) -> str:
    """An amount in the currency of `priced` (it has `currency` and `format_money`, as an order and
    a checkout do), written the way the staff member's language writes it.

    Where the language is spoken in the currency's country, that country's way is used:
    pesos read "$11.500,00" to Argentine staff, reais "R$ 11.500,00" to Brazilian staff.
    """
    if amount is None:
        return ""
    language = (get_language() or "es").split("-")[0].lower()
    regional = f"{language}_{priced.currency[:2].upper()}"
    return priced.format_money(amount, language=regional if localedata.exists(regional) else language)


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
