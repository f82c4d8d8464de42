"""Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.

Free operations answer 501 until they are written: replace each test when you implement its operation.
"""

from uuid import uuid4

from fastapi.testclient import TestClient

from ...app import create_app
from ...scaffold_support import url
from ..service import OrdersService


def test_cancel_order_answers_501_until_implemented() -> None:
    service = OrdersService.in_memory()
    client = TestClient(create_app(orders_service=service))
    response = client.request("POST", url("orders", uuid4(), "cancel"))
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text
