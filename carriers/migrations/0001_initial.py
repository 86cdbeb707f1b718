import carriers.models
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Carrier",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("code", models.SlugField(help_text="Stable code used by the API.", max_length=40, unique=True, verbose_name="code")),
                ("tracking_url_template", models.CharField(help_text="The carrier's public tracking page, with {code} where the tracking code goes.", max_length=300, validators=[carriers.models.validate_url_template], verbose_name="tracking URL template")),
                ("tracking_code_regex", models.CharField(help_text="Regular expression a tracking code must match in full (after removing spaces).", max_length=200, validators=[carriers.models.validate_regex], verbose_name="tracking code format")),
                ("tracking_code_example", models.CharField(blank=True, max_length=60, verbose_name="example tracking code")),
                ("check_digit", models.CharField(choices=[("none", "None"), ("s10", "UPU S10 (weights 8 6 4 2 3 5 9 7)")], default="none", help_text="For S10 codes, a code matching the format must also carry the right check digit.", max_length=10, verbose_name="check digit")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={"verbose_name": "carrier", "verbose_name_plural": "carriers", "ordering": ["name"]},
        ),
    ]
