"""Payment proofs stored under a folder named after the customer's timeline token move to a random
name, `payment-proofs/<yyyy>/<mm>/<random hex>.<ext>` (the month the payment was recorded).

Safe to run again (names already random are left alone) and with files missing (the field still
gets a random name; the staff view answers 404 for it). Not atomic: each proof's row is saved as
soon as its file is copied, and the old file is removed after that, so an interrupted run leaves at
most a spare copy, never a row pointing nowhere.
"""
import os
import re
import uuid

from django.db import migrations

RANDOM_NAME = re.compile(r"payment-proofs/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}(\.[a-z0-9]+)?")


def random_proof_names(apps, schema_editor):
    Payment = apps.get_model("orders", "Payment")
    storage = Payment._meta.get_field("proof").storage
    emptied_folders = set()
    for payment in Payment.objects.exclude(proof="").only("pk", "proof", "created_at").iterator():
        old = payment.proof.name
        if RANDOM_NAME.fullmatch(old):
            continue
        new = f"payment-proofs/{payment.created_at:%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(old)[1].lower()}"
        if storage.exists(old):
            with storage.open(old, "rb") as content:
                new = storage.save(new, content)
        Payment.objects.filter(pk=payment.pk).update(proof=new)
        if storage.exists(old) and not Payment.objects.filter(proof=old).exists():
            storage.delete(old)
        if old.startswith("payment-proofs/") and old.count("/") == 2:  # payment-proofs/<token start>/<file>
            emptied_folders.add(os.path.dirname(old))
    for folder in emptied_folders:
        try:
            os.rmdir(storage.path(folder))
        except (NotImplementedError, OSError):  # not a file system, or not empty
            pass


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orders", "0006_checkout_id_index"),
    ]

    operations = [
        migrations.RunPython(random_proof_names, migrations.RunPython.noop, elidable=True),
    ]
