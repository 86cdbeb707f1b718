"""Settings for the test suite: tasks run inline, messages are recorded in memory."""
from .settings import *  # noqa: F401,F403
from .settings import Q_CLUSTER

LANGUAGE_CODE = "en"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
MEDIA_ROOT = Path("/tmp") / "orders-test-media"  # noqa: F405
SMS_BACKEND = "notifications.backends.sms.locmem.SmsBackend"
PUSH_BACKEND = "notifications.backends.push.locmem.PushBackend"
WHATSAPP_BACKEND = "notifications.backends.whatsapp.locmem.WhatsAppBackend"
SITE_URL = "https://shop.example.com"
# Push keys only from the environment: not the pair `make run` may have written for the local store.
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")  # noqa: F405
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")  # noqa: F405
NOTIFICATION_CACHE_SECONDS = 0  # tests change templates and switches between deliveries
API_ORDER_CACHE_SECONDS = 0  # the API's representation cache is turned on by the tests about it
# Plain static files: the tests render pages without a collected manifest (the production storage,
# CompressedManifestStaticFilesStorage, is exercised by tests/config/test_production_server.py).
# WhiteNoise looks for the collected files once at start-up and warns when the folder is missing.
STATIC_ROOT = Path("/tmp") / "orders-test-static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# The suite logs staff in with client.login() and force_login(), which pass no request to the
# authentication backends; django-axes needs one. Its own tests turn it on (tests/config/test_login_throttle.py),
# and production keeps it on (config/settings/base.py sets AXES_ENABLED with no way to turn it off).
AXES_ENABLED = False
