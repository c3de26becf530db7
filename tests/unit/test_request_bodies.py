"""Every request body goes through one bounded JSON parser: a body Python's decoder cannot
take (too deep, a number beyond its conversion limit) is a 400 with the error body, not a 500."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from salesportal.config import load
from salesportal.errors import BadRequest
from salesportal.http import MAX_JSON_DEPTH, parse_json, rest_resolver
from tests.support.api import body_of, rest_event
from tests.support.lambdas import FakeContext

HOSTILE = {
    "50000-deep array": ("[" * 50_000, "json_too_deep"),
    "50000-deep closed array": ("[" * 30_000 + "]" * 30_000, "json_too_deep"),
    "3000-deep value": ('{"a": ' + "[" * 3_000 + "]" * 3_000 + "}", "json_too_deep"),
    "deeper than the limit": ('{"a": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}", "json_too_deep"),
    "5000-digit integer": ('{"a": ' + "9" * 5_000 + "}", "number_too_long"),
    "5000-digit negative": ('{"a": -' + "9" * 5_000 + "}", "number_too_long"),
    "5000-digit float": ('{"a": 0.' + "9" * 5_000 + "}", "number_too_long"),
    "float overflowing to infinity": ('{"a": 1e999}', "number_too_long"),
    "NaN": ('{"a": NaN}', "malformed_json"),
    "Infinity": ('{"a": -Infinity}', "malformed_json"),
    "broken": ('{"a": ', "malformed_json"),
    "not UTF-8": (b'{"a": "\xff"}', "malformed_json"),
}


@pytest.mark.parametrize(("text", "code"), list(HOSTILE.values()), ids=list(HOSTILE))
def test_the_parser_refuses_with_a_bad_request(text, code):
    with pytest.raises(BadRequest) as refused:
        parse_json(text)
    assert refused.value.code == code


def test_ordinary_bodies_parse_as_json_does():
    text = (
        '{"a": [1, -2, 3.5, 1e3, "x", null, true, {"b": '
        + "[" * 20
        + "]" * 20
        + "}], "
        + '"n": 12345678901234567890}'
    )
    assert parse_json(text) == json.loads(text)
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    assert parse_json('{"a": ' + nested + "}") == json.loads('{"a": ' + nested + "}")


class Thing(BaseModel):
    name: str


app = rest_resolver()


@pytest.fixture(autouse=True)
def route_access(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The manifest's statement of these routes, as the stack hands it to a function."""
    monkeypatch.setenv("ROUTE_ACCESS", json.dumps({"POST /things": "public", "POST /raw": "public"}))
    load.cache_clear()
    yield
    load.cache_clear()


@app.post("/things")
def create(body: Thing) -> dict[str, str]:
    return {"name": body.name}


@app.post("/raw")
def raw() -> dict[str, object]:
    return {"seen": app.current_event.json_body}  # a handler reading the body itself


def _post(path: str, body: str, *, base64_encoded: bool = False) -> dict:
    event = rest_event("POST", path, raw_body=body)
    if base64_encoded:
        event.update(body=base64.b64encode(body.encode()).decode(), isBase64Encoded=True)
    return app.resolve(event, FakeContext("things"))


@pytest.mark.parametrize("path", ["/things", "/raw"])
@pytest.mark.parametrize(
    ("text", "code"),
    [v for v in HOSTILE.values() if isinstance(v[0], str)],
    ids=[k for k, v in HOSTILE.items() if isinstance(v[0], str)],
)
def test_the_resolver_answers_400_with_the_error_body(path, text, code):
    response = _post(path, text)
    assert response["statusCode"] == 400, response
    assert body_of(response) == {
        "error": {"code": code, "message": body_of(response)["error"]["message"], "details": None}
    }


def test_a_base64_encoded_body_is_checked_after_decoding():
    assert _post("/things", '{"name": "x"}', base64_encoded=True)["statusCode"] == 200
    assert body_of(_post("/things", "[" * 3_000, base64_encoded=True))["error"]["code"] == "json_too_deep"


def test_a_good_body_still_reaches_the_handler():
    assert body_of(_post("/things", '{"name": "x"}')) == {"name": "x"}
    assert body_of(_post("/raw", '{"n": 1}')) == {"seen": {"n": 1}}
