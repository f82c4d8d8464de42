"""Created by scaffold from specs/KIT-1/spec.md; yours to edit: later spec changes are merged in.

The team's tests of `catalog`: what the hand-written code in `rules.py`
decides. Free operations answer 501 until written, and operations with rules
start from their success paths on sample data: change each test when its
operation or its rules change, and add the cases the rules make.
"""

from fastapi.testclient import TestClient

from ...app import create_app
from ...scaffold_support import url
from ..service import CatalogService
from . import create_product_input_sample, recalculate_input_sample


def test_create_product_answers_201() -> None:
    service = CatalogService.in_memory()
    client = TestClient(create_app(catalog_service=service))
    response = client.request(
        "POST",
        url("products"),
        json=create_product_input_sample().model_dump(mode="json"),
    )
    assert response.status_code == 201, response.text
    assert isinstance(response.json(), dict), response.text


def test_recalculate_answers_501_until_implemented() -> None:
    service = CatalogService.in_memory()
    client = TestClient(create_app(catalog_service=service))
    response = client.request(
        "PUT",
        url("catalog", "recalculation"),
        json=recalculate_input_sample().model_dump(mode="json"),
    )
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text
