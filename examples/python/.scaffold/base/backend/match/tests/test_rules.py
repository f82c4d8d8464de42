"""Created by scaffold from specs/KW-3/spec.md; yours to edit: later spec changes are merged in.

The team's tests of `match`: what the hand-written code in `rules.py`
decides. Free operations answer 501 until written, and operations with rules
start from their success paths on sample data: change each test when its
operation or its rules change, and add the cases the rules make.
"""

from fastapi.testclient import TestClient

from ...app import create_app
from ...scaffold_support import url
from ..service import MatchService
from . import impl_body_sample


def test_impl_answers_501_until_implemented() -> None:
    service = MatchService.in_memory()
    client = TestClient(create_app(match_service=service))
    response = client.request(
        "POST",
        url("matches", "aaaaaa", "impl"),
        json=impl_body_sample().model_dump(mode="json"),
    )
    assert response.status_code == 501, response.text
    assert response.json()["code"] == "NOT_IMPLEMENTED", response.text
