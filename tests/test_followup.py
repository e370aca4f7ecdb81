"""Follow-ups about the task at hand, answered from the catalogue's facts (no model needed)."""
from __future__ import annotations
from tests.conftest import IMPORTED

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.catalog.importer import import_catalog
from bot.catalog.queries import load_snapshot
from bot.routing.followup import FOLLOW_UP_INTENTS, Focus, FollowUps
from bot.routing.router import Router
from tests.conftest import MINI, nlu

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=CPH)
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=CPH)
SERVING = Focus(task_id="udeservering")


@pytest.fixture
def follow(make_catalog, db_url) -> FollowUps:
    data = copy.deepcopy(MINI)
    task = data["tasks/roads.yml"]["tasks"][0]
    task.update({"fee": "Udeservering koster 150 kr. pr. m² pr. sæson.",
                 "processing_time": "Svar inden for 20 dage.",
                 "documents": ["en skitse med borde og stole", "firmaets CVR-nummer"],
                 "legal_basis_url": "https://www.retsinformation.dk/eli/lta/2024/1234",
                 "related_tasks": ["gravetilladelse"], "related_authorities": ["skattestyrelsen"],
                 "facts_note": "eksempel"})
    data["departments.yml"]["departments"][0]["address"] = "Toftevej 43, 9440 Aabybro"
    import_catalog(db_url, make_catalog(data), IMPORTED)
    return FollowUps(Router(load_snapshot(db_url, public=True)))


@pytest.mark.parametrize("intent,expected", [
    ("ask_cost", "150 kr. pr. m²"),
    ("ask_processing_time", "20 dage"),
    ("ask_documents", "skitse med borde og stole"),
    ("ask_apply_online", "https://example.dk/udeservering"),
    ("ask_phone", "72 57 75 00"),
    ("ask_email", "vejogpark@example.dk"),
    ("ask_address", "Toftevej 43"),
    ("ask_open_now", "åben nu til kl. 15.00"),
    ("opening_hours", "man–ons 09.00–15.00"),
    ("ask_related", "Gravetilladelse"),
    ("ask_legal_basis", "retsinformation.dk"),
    ("ask_callback", "72 57 75 00"),
    ("ask_person", "72 57 75 00"),
    ("complaint", "ked af"),
    ("praise", "vejogpark@example.dk"),
])
def test_each_follow_up_is_answered_for_the_focus(follow, intent, expected):
    r = follow.answer(intent, SERVING, MONDAY_10)
    assert expected in r.text
    assert r.route is not None and r.route.task_id == "udeservering"


def test_every_follow_up_intent_has_an_answer(follow):
    for intent in FOLLOW_UP_INTENTS:
        assert follow.answer(intent, SERVING, MONDAY_10).text


def test_invented_facts_are_marked(follow):
    assert "(eksempel)" in follow.answer("ask_cost", SERVING, MONDAY_10).text


def test_related_offers_tasks_and_authorities_as_choices(follow):
    r = follow.answer("ask_related", SERVING, MONDAY_10)
    assert [a.task_id for a in r.alternatives] == ["gravetilladelse", "authority:skattestyrelsen"]


def test_missing_fact_gives_the_unit_to_ask(follow):
    r = follow.answer("ask_cost", Focus(task_id="gravetilladelse"), MONDAY_10)
    assert "står ikke" in r.text and "72 57 75 00" in r.text


def test_authority_focus_gives_the_authoritys_phone_not_the_municipalitys(follow):
    r = follow.answer("ask_phone", Focus(authority_id="skattestyrelsen"), MONDAY_10)
    assert "72 22 18 18" in r.text and "Skattestyrelsen" in r.text
    assert "72 57" not in r.text


def test_closed_phone_is_worded_as_closed_with_next_opening(follow):
    r = follow.answer("ask_callback", SERVING, SATURDAY)
    assert "lukket nu" in r.text and "mandag" in r.text
    assert "altid" not in r.text
    assert "vejogpark@example.dk" in r.text  # a way to reach a person even when closed


@pytest.mark.parametrize("intent", ["ask_person", "ask_callback", "ask_phone", "ask_email", "opening_hours"])
def test_person_is_never_refused_even_without_a_topic(follow, intent):
    r = follow.answer(intent, Focus(), SATURDAY)
    assert "72 57 88 10" in r.text or "erhverv@example.dk" in r.text
    assert "kan desværre ikke" not in r.text


def test_cost_without_a_topic_asks_what_it_concerns(follow):
    text = follow.answer("ask_cost", Focus(), MONDAY_10).text
    assert "Hvilken sag" in text and "72 57 88 10" in text  # and still a way to a person


def test_not_that_offers_the_other_doors(follow):
    parse = nlu(("outdoor_serving", 0.6), ("road_works", 0.3))
    r = follow.not_that("borde på fortovet og et kabel i vejen", parse, SERVING, MONDAY_10)
    assert r.kind == "one_entrance"
    assert "udeservering" not in [a.task_id for a in r.alternatives]
    assert "gravetilladelse" in [a.task_id for a in r.alternatives]
    assert "72 57 88 10" in r.text


def test_unknown_follow_up_intent_is_an_error_naming_the_choices(follow):
    with pytest.raises(ValueError, match="ask_cost"):
        follow.answer("ask_weather", SERVING, MONDAY_10)


def test_a_follow_up_that_names_its_topic_is_about_that_topic(follow):
    parse = nlu(("ask_cost", 0.6), ("building_permit", 0.3))
    assert follow.topic_in("hvad koster en byggetilladelse til en lagerhal", parse, MONDAY_10) == \
        Focus(task_id="byggetilladelse")


def test_a_bare_follow_up_names_no_topic(follow):
    assert follow.topic_in("hvad koster det", nlu(("ask_cost", 0.9), ("greet", 0.05)), MONDAY_10) is None
    # a plausible intent but no word of its task in the message: not a topic
    assert follow.topic_in("hvad koster det", nlu(("ask_cost", 0.6), ("building_permit", 0.3)), MONDAY_10) is None


def test_a_clarifying_reply_that_agrees_with_a_choice_makes_it_sure():
    from bot.routing.clarify import combine

    text, parse = combine("vi har et spørgsmål", nlu(("outdoor_serving", 0.34), ("building_permit", 0.33),
                                                      ("noise", 0.2)),
                          "vi skal bygge til", nlu(("building_permit", 0.7), ("noise", 0.2)))
    assert text == "vi har et spørgsmål. vi skal bygge til"
    top = parse["intent_ranking"][0]
    assert top["name"] == "building_permit" and top["confidence"] > 0.8


def test_a_sure_new_topic_is_no_clarifying_reply():
    from bot.routing.clarify import is_reply

    first = nlu(("outdoor_serving", 0.34), ("building_permit", 0.33))
    assert is_reply(first, nlu(("building_permit", 0.9)))      # one of the choices
    assert is_reply(first, nlu(("procurement", 0.4)))          # unsure: read with the question
    assert not is_reply(first, nlu(("procurement", 0.9)))      # a new enquiry of its own
