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


def test_the_general_way_to_a_person_is_filled_in_by_the_chat_channel():
    """domain.yml names no municipality's number: its fallback responses say the `entrance` slot,
    whose initial words the chat channel replaces with the catalogue's one-entrance phone."""
    import yaml

    from channels.chat import GENERAL_ENTRANCE, with_entrance

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert domain["slots"]["entrance"]["initial_value"] == GENERAL_ENTRANCE
    reply = [{"recipient_id": "x", "text": f"Ring til {GENERAL_ENTRANCE}."}, {"recipient_id": "x", "text": "Hej"}]
    assert with_entrance([reply[1]]) == [reply[1]]  # nothing to fill: the catalogue is not even read


def test_the_chat_channel_names_the_catalogues_phone(imported, settings_for):
    from channels.chat import GENERAL_ENTRANCE, with_entrance

    settings_for(imported)
    out = with_entrance([{"recipient_id": "x", "text": f"Undskyld … eller ring til {GENERAL_ENTRANCE}."}])
    assert out[0]["text"] == "Undskyld … eller ring til Én indgang for virksomheder på 72 57 88 10."
