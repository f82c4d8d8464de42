"""Created by scaffold from specs/NTF-7/spec.md; yours to edit: later spec changes are merged in.

The team's tests of `notifications`: what the hand-written code in `rules.py`
decides. Free operations answer 501 until written, and operations with rules
start from their success paths on sample data: change each test when its
operation or its rules change, and add the cases the rules make.
"""

from uuid import uuid4

from fastapi.testclient import TestClient

from ...app import create_app
from ...scaffold_support import url
from ..service import NotificationsService
from . import register_channel_body_sample, send_digest_body_sample


def test_send_digest_answers_501_until_implemented() -> None:
    service = NotificationsService.in_memory()
    client = TestClient(create_app(notifications_service=service))
    response = client.request(
        "POST",
        url("users", uuid4(), "digests"),
        json=send_digest_body_sample().model_dump(mode="json"),
    )
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text


def test_preview_digest_answers_501_until_implemented() -> None:
    service = NotificationsService.in_memory()
    client = TestClient(create_app(notifications_service=service))
    response = client.request("GET", url("users", uuid4(), "digest-preview"))
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text


def test_register_channel_answers_501_until_implemented() -> None:
    service = NotificationsService.in_memory()
    client = TestClient(create_app(notifications_service=service))
    response = client.request(
        "PUT",
        url("users", uuid4(), "channels"),
        json=register_channel_body_sample().model_dump(mode="json"),
    )
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text
