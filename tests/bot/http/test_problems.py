"""The one error shape both apps answer with."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from bot.http.problems import Problem, install_problem_handlers, problem_response


class Body(BaseModel):
    count: int


def make_client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/refused")
    def refused() -> None:
        raise Problem(429, "too_many", "Slow down.", headers={"Retry-After": "3"}, retry_after=3)

    @app.get("/returned")
    def returned() -> object:
        return problem_response(Problem(409, "no_change", "Nothing to change."))

    @app.post("/counted")
    def counted(body: Body) -> dict:
        return {"count": body.count}

    return TestClient(app)


def test_a_raised_problem_is_its_code_message_details_and_headers():
    response = make_client().get("/refused")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert response.json() == {"error": {"code": "too_many", "message": "Slow down.",
                                         "retry_after": 3}}


def test_a_returned_problem_has_the_same_shape():
    response = make_client().get("/returned")
    assert response.status_code == 409
    assert response.json() == {"error": {"code": "no_change", "message": "Nothing to change."}}


def test_invalid_input_names_the_field_and_never_echoes_the_value():
    response = make_client().post("/counted", json={"count": "secret-value"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [f["field"] for f in error["fields"]] == ["count"]
    assert error["message"].startswith("count: ")
    assert "secret-value" not in response.text


def test_a_missing_body_is_reported_against_the_body():
    response = make_client().post("/counted")
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("body: ")


def test_starlette_http_errors_get_a_code():
    client = make_client()
    assert client.get("/nowhere").json()["error"]["code"] == "not_found"
    assert client.delete("/refused").json()["error"]["code"] == "method_not_allowed"
