from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from .models import Storefront, StorefrontAPIKey


def create_service_user(*, name: str):
    """The user a storefront acts as: no password, never logs in, named after the storefront."""
    User = get_user_model()
    base = f"storefront-{slugify(name)[:100] or 'shop'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User.objects.create_user(username=username, first_name=name[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_storefront(*, name: str, platform: str = Storefront.Platform.CUSTOM,
                      emails_sent_by_platform: list | None = None) -> Storefront:
    """Create a storefront and the service user it acts as."""
    storefront = Storefront(name=name, platform=platform, emails_sent_by_platform=emails_sent_by_platform or [])
    storefront.full_clean(exclude=["user"])
    storefront.user = create_service_user(name=name)
    storefront.save()
    return storefront


@transaction.atomic
def create_api_key(*, storefront: Storefront, name: str = "") -> tuple[StorefrontAPIKey, str]:
    """Create a new API key for `storefront`; return it with the key itself.

    Only the key's hash is stored: the returned string is the one chance to show it.
    """
    name = (name or "").strip()[:50] or gettext("Key for %(storefront)s") % {"storefront": storefront.name}
    return StorefrontAPIKey.objects.create_key(storefront=storefront, name=name[:50])


def revoke_api_key(*, api_key: StorefrontAPIKey) -> StorefrontAPIKey:
    """Revoke a key for good: requests carrying it are refused from now on."""
    if not api_key.revoked:
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
    return api_key
