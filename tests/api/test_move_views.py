"""Each API move is a view class written out in orders/api.py, so a search for its name finds it."""
import ast
import inspect

import pytest
from django.urls import resolve

from orders import api

MOVES = {
    "accept": "AcceptView",
    "prepare": "PrepareView",
    "ship": "ShipView",
    "ready-for-pickup": "ReadyForPickupView",
    "finalize": "FinalizeView",
    "cancel": "CancelView",
}


@pytest.mark.parametrize("move, class_name", MOVES.items())
def test_each_move_address_is_served_by_a_class_written_out_in_orders_api(move, class_name):
    view_class = resolve(f"/api/v1/orders/K7QH-2M9X/{move}/").func.view_class

    written = {node.name for node in ast.walk(ast.parse(inspect.getsource(api))) if isinstance(node, ast.ClassDef)}
    assert view_class is getattr(api, class_name)
    assert class_name in written
    assert issubclass(view_class, api.OrderMoveView)
