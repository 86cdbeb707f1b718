"""The README's verification recipe, run as written against a real delivery."""
import hashlib
import hmac
import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from .helpers import endpoint, place

pytestmark = pytest.mark.django_db


def readme_recipe():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("### Outbound webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    return namespace["verify_webhook"]


def test_the_readme_recipe_accepts_a_delivery_and_refuses_tampering_and_replays(staff, shop, commit, receiver):
    verify_webhook = readme_recipe()
    stub = receiver((200, "ok"))
    hook = endpoint(shop, url=stub.url())
    with commit():
        place(by=staff, storefront=shop)
    [request] = stub.requests
    body, header = request["body"], request["headers"]["x-webhook-signature"]

    assert verify_webhook(body, header, hook.secret)
    assert not verify_webhook(body + b" ", header, hook.secret)
    assert not verify_webhook(body, header, "whsec_another")
    assert not verify_webhook(body, "garbage", hook.secret)

    old = int(time.time()) - 600  # a captured delivery replayed ten minutes later, validly signed then
    replayed = hmac.new(hook.secret.encode(), f"{old}.".encode() + body, hashlib.sha256).hexdigest()
    assert not verify_webhook(body, f"t={old},v1={replayed}", hook.secret)
