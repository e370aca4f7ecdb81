"""German: a polite answer with the way to a person (the assistant reads Danish and English)."""
from __future__ import annotations

from typing import Optional

from bot.routing.result import OneEntrance


def ask_person(e: Optional[OneEntrance]) -> str:
    if e is None:
        return ("Guten Tag! Dieser Chat antwortet auf Dänisch und Englisch. Bitte rufen Sie die Hauptnummer "
                "der Kommune an.")
    mail = f" oder schreiben Sie an {e.email}" if e.email else ""
    when = "jetzt geöffnet" if e.open_now else "im Moment geschlossen"
    return (f"Guten Tag! Dieser Chat antwortet leider nur auf Dänisch und Englisch. Gern hilft Ihnen ein "
            f"Mitarbeiter weiter: Rufen Sie {e.name} unter +45 {e.phone} an ({when}; Telefonzeiten: {e.hours})"
            f"{mail}. Sie können Ihre Frage auch auf Englisch schreiben.")
