"""Factories shared by every app's tests. They set state directly, for arranging a test;
the code under test changes state only through orders/services/."""
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from carriers.models import Carrier
from orders.models import FulfillmentMethod, Order, OrderLine, PaymentMethod, PaymentStatus, Status
from storefronts.services import create_storefront


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class SuperuserFactory(UserFactory):
    is_superuser = True


def storefront(name="Tienda Nube Demo", platform="tiendanube"):
    return create_storefront(name=name, platform=platform)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order
        skip_postgeneration_save = True

    customer_name = "María Pérez"
    customer_email = factory.Sequence(lambda n: f"cliente{n}@example.com")
    customer_phone = "+5491155550000"
    language = "es"
    fulfillment_method = FulfillmentMethod.CARRIER
    city = "Córdoba"
    address = "Av. Colón 1234, X5000 Córdoba"
    pickup_point = ""
    payment_method = PaymentMethod.TRANSFER
    currency = "ARS"
    lines_total = Decimal("10000.00")
    shipping_cost = Decimal("1500.00")
    total = Decimal("11500.00")
    status = Status.PENDING
    payment_status = PaymentStatus.UNPAID

    class Params:
        pickup = factory.Trait(
            fulfillment_method=FulfillmentMethod.PICKUP, address="",
            pickup_point="Local Palermo, Honduras 4800, CABA. Lun a vie 10 a 19 h",
        )
        paid = factory.Trait(payment_status=PaymentStatus.PAID)

    @factory.post_generation
    def with_lines(self, create, extracted, **kwargs):
        if create and extracted is not False:
            OrderLine.objects.create(
                order=self, sku="REM-001", name="Remera de algodón", quantity=2, unit_price=Decimal("5000.00")
            )


def carrier(code="correo-argentino") -> Carrier:
    return Carrier.objects.get(code=code)
