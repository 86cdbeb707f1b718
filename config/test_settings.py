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
SITE_URL = "https://shop.example.com"
NOTIFICATION_CACHE_SECONDS = 0  # tests change templates and switches between deliveries
API_ORDER_CACHE_SECONDS = 0  # the API's representation cache is turned on by the tests about it
