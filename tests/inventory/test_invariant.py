"""A SKU's quantity always equals the sum of its movements, whatever changed it."""
import pytest
from django.core.management import CommandError, call_command

from inventory import imports
from inventory.models import StockItem
from tests.inventory.factories import assert_quantities_equal_movements, cancel, place, stock

pytestmark = pytest.mark.django_db


def test_every_kind_of_change_keeps_the_quantity_equal_to_the_movements(capsys):
    stock("REM-001", 3)
    stock("GOR-002", 0, track_stock=False)
    first = place(("REM-001", 2), ("GOR-002", 1))
    place(("REM-001", 4))  # oversold: -3
    cancel(first)
    stock("REM-001", 10)  # staff count
    imported = imports.read("sku,name,quantity\nREM-001,Remera,6\nNEW-1,Nuevo,9\n")
    imports.apply(imported, by=None, filename="count.csv")

    assert StockItem.objects.get(sku="REM-001").quantity == 6
    assert_quantities_equal_movements()
    call_command("check_stock")
    assert "Every SKU's quantity equals the sum of its movements." in capsys.readouterr().out


def test_check_stock_reports_a_quantity_changed_behind_the_services_back(capsys):
    stock("REM-001", 3)
    StockItem.objects.filter(sku="REM-001").update(quantity=7)  # what the services never do

    with pytest.raises(CommandError, match="1 SKU"):
        call_command("check_stock")
    assert "REM-001: quantity 7, movements add up to 3" in capsys.readouterr().err
