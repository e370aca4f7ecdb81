"""Several needs in one message: split into parts, one answer per need, in order."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.routing.needs import answer_needs, split_needs
from tests.conftest import nlu

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.mark.parametrize("text,parts", [
    ("1) skilt på facaden 2) borde på fortovet 3) hvor skal vi gøre af affaldet",
     ["skilt på facaden", "borde på fortovet", "hvor skal vi gøre af affaldet"]),
    ("Må vi stille borde ud foran caféen? Og hvad kræver et skilt over døren?",
     ["Må vi stille borde ud foran caféen?", "Og hvad kræver et skilt over døren?"]),
    ("Hej\nVi skal have en container på vejen i to uger\nOg vi mangler en elev til værkstedet",
     ["Hej Vi skal have en container på vejen i to uger", "Og vi mangler en elev til værkstedet"]),
    ("vi skal bygge en ny hal og så skal vi have fat i jobcentret om en lærling",
     ["vi skal bygge en ny hal", "skal vi have fat i jobcentret om en lærling"]),
])
def test_split_several_needs(text, parts):
    assert split_needs(text) == parts


@pytest.mark.parametrize("text", [
    "Vi har en café i Løkken og har haft den i ti år. Må vi stille borde ud?",  # a story, then one question
    "byggetilladelse",
    "Vi har 2 biler og 3 medarbejdere, hvad gør vi?",                          # numbers that are no list
    "vi vil gerne have borde ud, og moms?",
    "",
])
def test_one_need_stays_one(text):
    assert split_needs(text) == [text.strip()]


def test_at_most_three_needs():
    assert len(split_needs("1) skilt på facaden 2) borde på fortovet 3) en container på vejen 4) en ny lærling")) == 3


def test_an_answer_per_need_in_order(router):
    needs = [dict(nlu(("outdoor_serving", 0.9)), text="borde på fortovet"),
             dict(nlu(("wage_subsidy", 0.9)), text="en ledig med løntilskud")]
    answers = answer_needs(router, needs, MONDAY_10)
    assert [a.route.task_id for a in answers] == ["udeservering", "loentilskud"]
    assert answers[0].text.startswith("1) ") and answers[1].text.startswith("2) ")


def test_needs_at_the_same_door_give_one_answer(router):
    needs = [dict(nlu(("outdoor_serving", 0.9)), text="borde på fortovet"),
             dict(nlu(("outdoor_serving", 0.9)), text="og stole på fortovet")]
    assert answer_needs(router, needs, MONDAY_10) == []  # routed as one enquiry instead


def test_an_unsure_part_is_left_to_the_whole_message(router):
    needs = [dict(nlu(("outdoor_serving", 0.9)), text="borde på fortovet"),
             dict(nlu(("greet", 0.9)), text="hej med jer")]
    assert answer_needs(router, needs, MONDAY_10) == []
