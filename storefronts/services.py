from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from .models import Storefront


@transaction.atomic
def create_storefront(*, name: str, platform: str = Storefront.Platform.CUSTOM) -> Storefront:
    """Create a storefront and the service user it acts as."""
    User = get_user_model()
    base = f"storefront-{slugify(name)[:100] or 'shop'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User.objects.create_user(username=username, first_name=name[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    storefront = Storefront(name=name, platform=platform, user=user)
    storefront.full_clean()
    storefront.save()
    return storefront
