"""The CSV import: a preview first, errors by row number, and the whole file or nothing."""
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from inventory import imports, services
from inventory.models import StockItem, StockMovement
from tests.factories import UserFactory
from tests.inventory.factories import assert_quantities_equal_movements, on_hand, place, stock

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:inventory_stockitem_import")
GOOD_FILE = "sku,name,quantity,threshold\nREM-001,Remera de algodón,25,5\nGOR-002,Gorra,8,\nNEW-003,Medias,0,2\n"


def upload(client, content, name="stock.csv", encoding="utf-8"):
    data = content.encode(encoding) if isinstance(content, str) else content
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, preview):
    return client.post(IMPORT_URL, {"confirm": "1", "payload": preview.context["payload"]}, follow=True)


def snapshot():
    return (
        sorted(StockItem.objects.values_list("sku", "name", "quantity", "low_stock_threshold")),
        StockMovement.objects.count(),
    )


def test_a_good_file_is_previewed_then_imported_on_confirmation(staff_client, admin_user):
    stock("REM-001", 10, threshold=3, name="Remera")
    stock("GOR-002", 8, threshold=1, name="Gorra vieja")

    preview = upload(staff_client, GOOD_FILE)

    assert preview.status_code == 200
    plan = preview.context["plan"]
    planned = {change.line.sku: (change.before, change.line.quantity, change.delta) for change in plan}
    assert planned == {"REM-001": (10, 25, 15), "GOR-002": (8, 8, 0), "NEW-003": (0, 0, 0)}
    assert preview.context["counts"] == {"total": 3, "new": 1, "changed": 1}
    assert on_hand("REM-001") == 10  # nothing saved yet
    assert not StockItem.objects.filter(sku="NEW-003").exists()

    done = confirm(staff_client, preview)

    assert [str(m) for m in done.context["messages"]] == [
        "Imported 3 products from stock.csv: 1 new, 1 with a new quantity."
    ]
    items = {item.sku: item for item in StockItem.objects.all()}
    assert (items["REM-001"].name, items["REM-001"].quantity, items["REM-001"].low_stock_threshold) == (
        "Remera de algodón", 25, 5,
    )
    assert (items["GOR-002"].name, items["GOR-002"].quantity, items["GOR-002"].low_stock_threshold) == (
        "Gorra", 8, 1,  # an empty threshold keeps the product's
    )
    assert (items["NEW-003"].name, items["NEW-003"].quantity, items["NEW-003"].low_stock_threshold) == ("Medias", 0, 2)
    movement = StockMovement.objects.get(reason=StockMovement.Reason.CSV_IMPORT)
    assert (movement.item.sku, movement.delta, movement.by, movement.note) == (
        "REM-001", 15, admin_user, "stock.csv, row 2",
    )
    assert_quantities_equal_movements()


def test_a_bad_file_lists_each_problem_by_row_and_saves_nothing(staff_client):
    stock("REM-001", 10)
    before = snapshot()
    bad = (
        "sku,name,quantity,threshold\n"
        "REM-001,Remera,12,\n"
        ",Sin código,3,\n"
        "GOR-002,Gorra,muchos,\n"
        "MED-003,Medias,-4,\n"
        "REM-001,Remera otra vez,1,\n"
        "BUF-004,Buzo,5,dos\n"
        "CAM-005,Campera\n"
        "\n"
        "OK-006,Bien,3,1\n"
    )

    response = upload(staff_client, bad)

    assert response.context["errors"] == [
        "Row 3: Enter the SKU.",
        "Row 4: the quantity “muchos” is not a whole number of units.",
        "Row 5: the quantity “-4” is not a whole number of units.",
        "Row 6: the SKU “REM-001” is already on row 2.",
        "Row 7: the threshold “dos” is not a whole number of units.",
        "Row 8: the quantity is missing.",
    ]
    assert "payload" not in response.context
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before


def test_a_file_without_a_header_is_read_in_column_order(staff_client):
    preview = upload(staff_client, "REM-001,Remera,4\nGOR-002,Gorra,2,1\nBAD,too,many,columns,here\n")

    assert preview.context["errors"] == [
        "Row 3: 5 columns; expected sku, name, quantity and, optionally, threshold."
    ]


@pytest.mark.parametrize(("content", "encoding"), [
    ("\ufeffcódigo;nombre;cantidad;umbral\r\nREM-001;Remera de algodón;7;2\r\n", "utf-8"),  # Excel in Spanish
    ("produto;sku;quantidade\nCamiseta básica;REM-001;7\n", "utf-8"),  # Portuguese header, another order
    ("sku;name;quantity\nREM-001;Remera de algodón;7\n", "cp1252"),  # Excel on Windows
])
def test_spreadsheet_csv_flavours_are_understood(staff_client, content, encoding):
    preview = upload(staff_client, content, encoding=encoding)

    assert preview.context.get("errors") is None
    [change] = preview.context["plan"]
    assert (change.line.sku, change.line.quantity) == ("REM-001", 7)
    assert change.line.name in ("Remera de algodón", "Camiseta básica")


@pytest.mark.parametrize(("content", "error"), [
    ("sku,name,quantity\n", "The file has no products. Each row needs sku, name and quantity."),
    ("sku,name,price\nREM-001,Remera,10\n", "Row 1: unknown column “price”. The columns are sku, name, quantity and, "
                                             "optionally, threshold."),
    ("sku,name\nREM-001,Remera\n", "Row 1: the header has no “quantity” column."),
    (b"PK\x03\x04\x00\x00binary", "This is not a CSV file. Save the spreadsheet as CSV and upload that."),
    ("A" * 65 + ",Remera,1\n", "Row 1: A SKU has at most 64 characters."),
    ("REM-001,Remera,2000000000\n", "Row 1: the quantity 2000000000 is more than 1,000,000,000."),
    # Too many digits for int() (it refuses more than 4,300): a sentence, not a server error.
    ("REM-001,Remera," + "9" * 5000 + "\n", "Row 1: the quantity " + "9" * 29 + "… is more than 1,000,000,000."),
    # An unpaired quote runs the cell on past the csv module's limit: a sentence, not a server error.
    ("sku,name,quantity\nREM-001,\"Remera,1\n" + "REM-002,Buzo,1\n" * 10_000,
     "Row 2 cannot be read: a cell runs on for more than 131,072 characters. Check that its quotes (\") are "
     "paired."),
])
def test_files_that_cannot_be_imported_say_why(staff_client, content, error):
    response = upload(staff_client, content)

    assert error in response.context["errors"]
    assert not StockItem.objects.exists()


def test_leading_zeros_past_ints_digit_limit_still_read_as_the_number():
    imported = imports.read("REM-001,Remera," + "0" * 5000 + "7\n")

    assert imported.errors == []
    assert imported.lines[0].quantity == 7


def test_too_many_rows_are_refused():
    content = "".join(f"SKU-{n},Product,1\n" for n in range(imports.MAX_ROWS + 2))

    assert imports.read(content).errors == ["The file has more than 5,000 rows; split it into smaller files."]


def test_a_failure_while_saving_leaves_nothing_half_saved(staff_client, monkeypatch):
    stock("REM-001", 10)
    preview = upload(staff_client, GOOD_FILE)
    before = snapshot()
    real_save = services._Changes.save

    def save_then_fail(self):
        real_save(self)  # the movements and quantities are written...
        raise IntegrityError("the database refused a row")  # ...then the import fails

    monkeypatch.setattr(services._Changes, "save", save_then_fail)
    response = confirm(staff_client, preview)

    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was imported: the stock changed while the file was saved. Upload it again."
    ]
    assert snapshot() == before


def test_the_import_counts_from_what_orders_left_when_it_is_confirmed(staff_client):
    stock("REM-001", 10)
    preview = upload(staff_client, "REM-001,Remera,25\n")
    place(("REM-001", 2))  # between the preview and the confirmation

    confirm(staff_client, preview)

    assert on_hand("REM-001") == 25
    assert StockMovement.objects.filter(reason=StockMovement.Reason.CSV_IMPORT).get().delta == 17
    assert_quantities_equal_movements()


def test_a_tampered_or_expired_preview_imports_nothing(staff_client):
    response = staff_client.post(IMPORT_URL, {"confirm": "1", "payload": "forged"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["The preview expired. Upload the file again."]
    assert not StockItem.objects.exists()


def test_staff_who_may_only_view_stock_cannot_import(client):
    user = UserFactory(username="viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_stockitem"))
    client.force_login(user)

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, GOOD_FILE).status_code == 403
    assert "Import CSV" not in client.get(reverse("admin:inventory_stockitem_changelist")).content.decode()
    assert not StockItem.objects.exists()
