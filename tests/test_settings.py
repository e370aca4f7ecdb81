"""Settings: one typed object read from the environment; every bad value named at once; the
defaults in .env.example are the code's; exit codes only at the command-line entry points."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from bot.settings import DEFAULTS, PROD_DATABASE_URL, PROJECT_ROOT, Settings, SettingsError, StaffAuthMode
from tests.servers import ROOT, base_env

# variables .env.example documents for the test harness, not read by Indgang: where each is read
HARNESS = {"CHROMIUM": ROOT / "tests" / "test_browser.py", "TEST_PG_ADMIN_URL": ROOT / "tests" / "conftest.py"}


def env_example() -> Dict[str, str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    found = [re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line) for line in lines if line and not line.startswith("#")]
    assert all(found), "every line of .env.example is a comment or NAME=value"
    pairs = [(m.group(1), m.group(2)) for m in found if m]
    assert len({n for n, _ in pairs}) == len(pairs), "a name documented twice"
    return dict(pairs)


def test_defaults():
    s = Settings.from_env({})
    assert s.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'indgang.db'}"
    assert s.catalog_dir == PROJECT_ROOT / "catalog_data" and s.model_path == PROJECT_ROOT / "models" / "indgang.tar.gz"
    assert (s.rasa_port, s.actions_port, s.web_port) == (5005, 5055, 8000)
    assert s.timezone == "Europe/Copenhagen" and s.route_min_confidence is None and s.retention_days == 30
    assert s.report_dir == PROJECT_ROOT / "var" / "report"
    assert s.rasa.url == "http://127.0.0.1:5005" and s.rasa.public_url is None and s.rasa.token is None
    assert s.rasa.cors == ("http://localhost:8000", "http://127.0.0.1:8000")
    assert s.web.host == s.actions.host == s.rasa.interface == "127.0.0.1"
    assert s.web.secret is None and s.web.secure_cookie is False and s.actions.secret is None
    assert s.staff.auth_mode is StaffAuthMode.ACCOUNTS
    assert s.staff.users_file == PROJECT_ROOT / "var" / "staff_users.yml"
    assert s.staff.auth_header == "X-Remote-User" and s.staff.trusted_proxies == ("127.0.0.1/32", "::1/128")
    assert (s.chat.messages_per_minute, s.chat.session_messages) == (20, 30)
    assert s.prod.database_url == PROD_DATABASE_URL and s.prod.rasa_ports == (5006, 5007) and s.prod.port == 8080
    assert s.prod.action_endpoint_url == "http://127.0.0.1:5055/webhook" and s.prod.tls_cert is None


def test_overrides_and_derived_values():
    s = Settings.from_env({
        "DATABASE_URL": "sqlite:///tmp/x.db", "CATALOG_DIR": "/data/catalog", "RASA_PORT": "6005",
        "ACTIONS_PORT": "6055",
        "WEB_PORT": "9000", "ROUTE_MIN_CONFIDENCE": "0.65", "INDGANG_TIMEZONE": "Europe/Berlin", "RETENTION_DAYS": "90",
        "STAFF_AUTH": "proxy", "STAFF_TRUSTED_PROXIES": " 10.0.0.0/8 , ::1 ,", "WEB_SECURE_COOKIE": "true",
        "WEB_SECRET": "s", "RASA_TOKEN": "t", "ACTION_SECRET": "0123456789abcdef", "PUBLIC_RASA_URL": "https://x.dk/",
        "RASA_CORS": "https://kommune.dk *", "RASA_PORTS": "7001, 7002,7003", "TLS_CERT": "c.pem", "TLS_KEY": "/k.pem",
        "WEB_HOST": "0.0.0.0", "REDIS_DB": "0"})
    assert s.database_url == f"sqlite:///{PROJECT_ROOT / 'tmp' / 'x.db'}"  # relative SQLite: from the project
    assert s.prod.database_url == "sqlite:///tmp/x.db"
    assert s.catalog_dir == Path("/data/catalog")
    assert (s.rasa_port, s.actions_port, s.web_port) == (6005, 6055, 9000)
    assert s.rasa.url == "http://127.0.0.1:6005" and s.prod.action_endpoint_url == "http://127.0.0.1:6055/webhook"
    assert s.rasa.public_url == "https://x.dk" and s.rasa.cors == ("https://kommune.dk", "*")
    assert s.route_min_confidence == 0.65 and s.timezone == "Europe/Berlin" and s.retention_days == 90
    assert s.staff.auth_mode is StaffAuthMode.PROXY and s.staff.trusted_proxies == ("10.0.0.0/8", "::1")
    assert s.web.secure_cookie and s.web.secret == "s" and s.rasa.token == "t" and s.web.host == "0.0.0.0"
    assert s.prod.rasa_ports == (7001, 7002, 7003) and s.prod.redis_db == 0
    assert s.prod.tls_cert == PROJECT_ROOT / "c.pem" and s.prod.tls_key == Path("/k.pem")


def test_empty_means_the_default_and_secrets_stay_out_of_the_repr():
    assert Settings.from_env({name: "" for name in DEFAULTS}) == Settings.from_env({})
    s = Settings.from_env({"WEB_SECRET": "websecret", "RASA_TOKEN": "tokentoken", "ACTION_SECRET": "actionsecret1234",
                           "TRACKER_DB_PASSWORD": "pgpassword", "DATABASE_URL": "postgresql://u:dbpassword@h/d"})
    shown = repr(s)
    assert not any(secret in shown for secret in ("websecret", "tokentoken", "actionsecret1234", "pgpassword",
                                                  "dbpassword"))


def test_settings_are_frozen():
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.rasa.port = 1  # type: ignore[misc]


INVALID = [
    ("RASA_PORT", "abc", "RASA_PORT='abc' is not a port number (1-65535)"),
    ("WEB_PORT", "70000", "WEB_PORT='70000' is not a port number (1-65535)"),
    ("ACTIONS_PORT", "0", "ACTIONS_PORT='0' is not a port number"),
    ("RETENTION_DAYS", "0", "RETENTION_DAYS='0' is not a whole number of days (1 or more)"),
    ("CHAT_MESSAGES_PER_MINUTE", "ten", "CHAT_MESSAGES_PER_MINUTE='ten' is not a whole number of messages"),
    ("REDIS_DB", "-1", "REDIS_DB='-1' is not a Redis database number (0 or more)"),
    ("ROUTE_MIN_CONFIDENCE", "1.5", "ROUTE_MIN_CONFIDENCE='1.5' is not a probability between 0 and 1"),
    ("ROUTE_MIN_CONFIDENCE", "nan", "ROUTE_MIN_CONFIDENCE='nan' is not a probability"),
    ("STAFF_AUTH", "ldap", "STAFF_AUTH='ldap' is not one of: accounts, proxy"),
    ("WEB_SECURE_COOKIE", "maybe", "WEB_SECURE_COOKIE='maybe' is not 1 or 0"),
    ("RASA_URL", "localhost:5005", "RASA_URL='localhost:5005' is not an http(s) URL"),
    ("ACTION_ENDPOINT_URL", "ftp://x/webhook", "ACTION_ENDPOINT_URL='ftp://x/webhook' is not an http(s) URL"),
    ("RASA_CORS", "kommune.dk", "RASA_CORS='kommune.dk' is not a space-separated list of origins"),
    ("WEB_HOST", "my host", "WEB_HOST='my host' is not an IP address or host name"),
    ("STAFF_TRUSTED_PROXIES", "10.0.0.0/8,10.1.1.300", "STAFF_TRUSTED_PROXIES='10.0.0.0/8,10.1.1.300' is not a "
                                                        "comma-separated list of IP networks"),
    ("STAFF_AUTH_HEADER", "X Remote User", "STAFF_AUTH_HEADER='X Remote User' is not an HTTP header name"),
    ("INDGANG_TIMEZONE", "Europe/Kobenhavn", "INDGANG_TIMEZONE='Europe/Kobenhavn' is not a time zone name"),
    ("RASA_PORTS", "5006,x", "RASA_PORTS='5006,x' is not a comma-separated list of port numbers"),
    ("TRACKER_DB_NAME", 'x"; DROP', "TRACKER_DB_NAME='x\"; DROP' is not a name of letters"),
    ("TLS_CERT", "cert.pem", "TLS_CERT and TLS_KEY go together"),
]


@pytest.mark.parametrize("name,value,message", INVALID, ids=[f"{n}={v}" for n, v, _ in INVALID])
def test_an_invalid_value_names_the_setting_and_what_is_expected(name, value, message):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert caught.value.problems == (caught.value.problems[0],) and message in caught.value.problems[0]
    message = str(caught.value)
    assert message.startswith(f"Invalid setting: {caught.value.problems[0]}") and "\n" not in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("name,value", [("DATABASE_URL", "user:secretpw@db/indgang"), ("ACTION_SECRET", "secretpw")])
def test_a_bad_secret_is_named_but_never_shown(name, value):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert name in str(caught.value) and "secretpw" not in str(caught.value)


def test_several_bad_values_are_reported_together():
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"RASA_PORT": "abc", "STAFF_AUTH": "ldap", "RETENTION_DAYS": "-3", "WEB_PORT": "8000"})
    problems = caught.value.problems
    assert len(problems) == 3
    assert [p.split("=")[0] for p in problems] == ["RASA_PORT", "RETENTION_DAYS", "STAFF_AUTH"]
    lines = str(caught.value).splitlines()
    assert lines[0] == "3 invalid settings (see .env.example):" and len(lines) == 4


def test_a_bad_setting_stops_the_command_line_with_exit_code_2_and_one_line():
    run = subprocess.run([sys.executable, "-m", "bot", "catalog", "validate"], cwd=ROOT, capture_output=True, text=True,
                         env=base_env(RASA_PORT="abc"), timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "python -m bot: Invalid setting: RASA_PORT='abc' is not a port number (1-65535) (see .env.example)"]
    assert run.stdout == ""


def test_the_other_entry_points_exit_2_on_a_bad_setting(monkeypatch, capsys):
    import actions.server
    import rasa_addons.rasa_run

    monkeypatch.setenv("ACTIONS_PORT", "abc")
    assert actions.server.main([]) == 2
    assert "ACTIONS_PORT='abc' is not a port number" in capsys.readouterr().err
    monkeypatch.setattr(sys, "argv", ["rasa_run", "run"])
    with pytest.raises(SystemExit) as stopped:
        rasa_addons.rasa_run.main()
    assert stopped.value.code == 2 and "ACTIONS_PORT='abc'" in capsys.readouterr().err
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    import run_prod

    monkeypatch.setattr(sys, "argv", ["run_prod.py", "--check"])
    assert run_prod.main() == 2
    assert "run-prod: Invalid setting: ACTIONS_PORT='abc'" in capsys.readouterr().err


def test_env_example_documents_every_setting_with_the_codes_default():
    documented = env_example()
    assert set(documented) - set(HARNESS) == set(DEFAULTS), "names in .env.example and bot/settings.py DEFAULTS differ"
    for name, value in DEFAULTS.items():
        assert documented[name] == value, f".env.example says {name}={documented[name]!r}, the code {value!r}"
        assert Settings.from_env({name: documented[name]}) == Settings.from_env({}), name
    assert Settings.from_env({k: v for k, v in documented.items() if k in DEFAULTS}) == Settings.from_env({})


def test_env_example_states_the_routers_own_threshold():
    from bot.routing.router import RouterConfig

    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    stated = re.search(r"RouterConfig\.min_confidence = ([0-9.]+)", text)
    assert stated and float(stated.group(1)) == RouterConfig().min_confidence


@pytest.mark.parametrize("name", sorted(HARNESS))
def test_env_example_harness_variables_match_the_tests(name):
    assert f'"{name}", "{env_example()[name]}"' in HARNESS[name].read_text(encoding="utf-8")


ALLOWED_ENV_READS = {
    "bot/settings.py": "the one reader",
    "bot/nlu.py": "quiets TensorFlow (setdefault) before Rasa loads",
    "bot/retention.py": "expands ${VAR}s in Rasa's endpoints file, as Rasa does",
    "bot/web/cli.py": "STAFF_PASSWORD: an input to adduser, not a setting",
}


def test_settings_are_read_only_in_bot_settings():
    readers = []
    for folder in ("bot", "actions", "rasa_addons"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel not in ALLOWED_ENV_READS and re.search(r"os\.environ|os\.getenv", path.read_text(encoding="utf-8")):
                readers.append(rel)
    assert readers == [], "read settings through bot.settings.Settings.from_env()"
