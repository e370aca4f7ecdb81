"""The Rasa configuration files resolve their settings from the environment."""
from __future__ import annotations

from rasa.core.utils import read_endpoints_from_path

from tests.servers import ROOT


def test_local_endpoints_use_the_actions_port(monkeypatch):
    monkeypatch.setenv("ACTIONS_PORT", "6123")
    endpoints = read_endpoints_from_path(str(ROOT / "endpoints.yml"))
    assert endpoints.action.url == "http://127.0.0.1:6123/webhook"
    assert endpoints.tracker_store.type == "SQL"


def test_production_endpoints_take_postgres_and_redis_from_the_environment(monkeypatch):
    values = {"ACTION_ENDPOINT_URL": "http://10.0.0.5:5055/webhook", "TRACKER_DB_HOST": "db.example",
              "TRACKER_DB_PORT": "5433", "TRACKER_DB_NAME": "trk", "TRACKER_DB_USER": "rasa",
              "TRACKER_DB_PASSWORD": "pw", "TRACKER_LOGIN_DB": "postgres", "REDIS_HOST": "cache.example",
              "REDIS_PORT": "6380", "REDIS_DB": "2", "REDIS_KEY_PREFIX": "indgang"}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    endpoints = read_endpoints_from_path(str(ROOT / "endpoints.prod.yml"))
    assert endpoints.action.url == "http://10.0.0.5:5055/webhook"
    assert endpoints.tracker_store.url == "db.example"
    assert endpoints.tracker_store.kwargs["db"] == "trk" and str(endpoints.tracker_store.kwargs["port"]) == "5433"
    assert endpoints.lock_store.type == "redis" and endpoints.lock_store.url == "cache.example"
