"""Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.

The team's tests of `orders`: what the hand-written code in `rules.py`
decides. Free operations answer 501 until written, and operations with rules
start from their success paths on sample data: change each test when its
operation or its rules change, and add the cases the rules make.
"""

import asyncio
from uuid import uuid4

from fastapi.testclient import TestClient

from ...app import create_app
from ...scaffold_support import url
from ..service import OrdersService
from . import order_sample, place_order_input_sample, update_order_input_sample


def test_place_order_answers_201() -> None:
    service = OrdersService.in_memory()
    client = TestClient(create_app(orders_service=service))
    response = client.request(
        "POST",
        url("orders"),
        json=place_order_input_sample().model_dump(mode="json"),
    )
    assert response.status_code == 201, response.text
    assert isinstance(response.json(), dict), response.text


def test_cancel_order_answers_501_until_implemented() -> None:
    service = OrdersService.in_memory()
    client = TestClient(create_app(orders_service=service))
    response = client.request("POST", url("orders", uuid4(), "cancel"))
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text


def test_list_orders_answers_200() -> None:
    service = OrdersService.in_memory()
    client = TestClient(create_app(orders_service=service))
    asyncio.run(service.orders.insert(order_sample()))
    response = client.request("GET", url("orders"))
    assert response.status_code == 200, response.text
    assert response.json()["items"] != [], response.text


def test_update_order_answers_200() -> None:
    service = OrdersService.in_memory()
    client = TestClient(create_app(orders_service=service))
    seeded = asyncio.run(service.orders.insert(order_sample()))
    response = client.request(
        "PATCH",
        url("orders", seeded.id),
        json=update_order_input_sample().model_dump(mode="json"),
    )
    assert response.status_code == 200, response.text
    expected = seeded.model_dump(mode="json")["id"]
    assert response.json()["id"] == expected, response.text


def test_update_order_answers_404_for_an_unknown_key() -> None:
    service = OrdersService.in_memory()
    client = TestClient(create_app(orders_service=service))
    response = client.request(
        "PATCH",
        url("orders", uuid4()),
        json=update_order_input_sample().model_dump(mode="json"),
    )
    assert response.status_code == 404, response.text
    assert isinstance(response.json()["code"], str), response.text
