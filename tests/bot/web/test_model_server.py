"""The live model for Rasa replicas that pull it: token, ETag, 304, publish state, 404."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from bot.web.app import create_app
from tests.bot.web.conftest import RASA_TOKEN, gateway_settings


@contextmanager
def client_for(tmp_path: Path) -> Iterator[TestClient]:
    # No lifespan: serving a file needs neither the live-event broker nor spaCy.
    settings = gateway_settings(tmp_path, "http://127.0.0.1:9", models_dir=tmp_path / "models")
    yield TestClient(create_app(settings))


def model(tmp_path: Path, name: str, age: int) -> Path:
    path = tmp_path / "models" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(name.encode())
    os.utime(path, (1_000_000 - age, 1_000_000 - age))
    return path

AUTH = {"Authorization": f"Bearer {RASA_TOKEN}"}


def test_without_the_rasa_token_nothing_is_served(tmp_path):
    model(tmp_path, "council-a.tar.gz", 0)
    with client_for(tmp_path) as client:
        assert client.get("/_rasa/model").status_code == 401
        wrong = {"Authorization": "Bearer wrong"}
        assert client.get("/_rasa/model", headers=wrong).status_code == 401


def test_the_newest_model_is_served_until_rasa_already_runs_it(tmp_path):
    model(tmp_path, "council-old.tar.gz", 10)
    model(tmp_path, "council-new.tar.gz", 0)
    with client_for(tmp_path) as client:
        first = client.get("/_rasa/model", headers=AUTH)
        assert first.status_code == 200 and first.content == b"council-new.tar.gz"
        assert first.headers["etag"] == '"council-new.tar.gz"'
        assert first.headers["filename"] == "council-new.tar.gz"
        again = client.get("/_rasa/model",
                           headers={"If-None-Match": first.headers["etag"], **AUTH})
        assert again.status_code == 304 and again.content == b""


def test_the_published_live_model_wins_over_a_newer_file(tmp_path):
    model(tmp_path, "published-1.tar.gz", 10)
    model(tmp_path, "council-new.tar.gz", 0)
    state = tmp_path / "content" / "publish" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"live": "published-1.tar.gz", "previous": "",
                                 "published_at": ""}))
    with client_for(tmp_path) as client:
        served = client.get("/_rasa/model",
                            headers={"If-None-Match": '"council-new.tar.gz"', **AUTH})
        assert served.status_code == 200 and served.content == b"published-1.tar.gz"


def test_no_model_yet_is_a_404_rasa_keeps_polling(tmp_path):
    with client_for(tmp_path) as client:
        assert client.get("/_rasa/model", headers=AUTH).status_code == 404
