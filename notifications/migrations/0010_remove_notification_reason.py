"""The sentences are codes now (0009): the old column goes, in its own transaction."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_reason_codes")]
    operations = [migrations.RemoveField(model_name="notification", name="reason")]
