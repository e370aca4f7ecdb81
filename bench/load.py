"""Message round trips against a Rasa server's chat webhook: sequential and concurrent."""
from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import List, Sequence

import aiohttp

ENQUIRIES = [
    "vi vil gerne stille borde ud på fortovet foran caféen", "gravetilladelse til nyt kabel", "byggetilladelse til lagerhal",
    "hvornår kommer miljøtilsynet", "vi mangler medarbejdere til lageret", "løntilskud til en ledig",
    "kommunen har ikke betalt vores faktura", "container på vejen i en uge", "alkoholbevilling til ny bar",
    "hvor afleverer vi erhvervsaffald", "støj fra koncert i gården", "jordflytning fra byggeplads",
    "fleksjob til en medarbejder", "lærling i tømrerfirmaet", "udbud og leverandør til kommunen",
    "grundskyld for erhvervsejendommen", "brandsyn på hotellet", "lokalplan for erhvervsområdet",
    "landzonetilladelse til gårdbutik", "hjælp til byg og miljø",
]


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    messages: int
    seconds: float
    latencies_ms: List[float]
    errors: int

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan")


MESSAGES_PER_CONVERSATION = 4  # a business asks, answers "Fik du svar?", maybe asks once more


async def _conversation(session: aiohttp.ClientSession, url: str, texts: Sequence[str], out: List[float],
                        errors: List[int]) -> None:
    """One simulated business: a new conversation (sender) every few messages, as on the website.

    Rasa's cost per message grows with the length of the conversation (the whole tracker goes
    to the action server and through the policies), so one endless conversation would measure
    something no business does.
    """
    sender = ""
    for i, text in enumerate(texts):
        if i % MESSAGES_PER_CONVERSATION == 0:
            sender = f"bench-{uuid.uuid4().hex[:10]}"
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as resp:
                body = await resp.json()
                if resp.status != 200 or not body:
                    errors.append(1)
        except Exception:
            errors.append(1)
        out.append((time.perf_counter() - started) * 1000)


async def run_load(rasa_url: str, concurrency: int, per_conversation: int, timeout_s: float = 60,
                   channel: str = "chat") -> LoadResult:
    url = rasa_url.rstrip("/") + f"/webhooks/{channel}/webhook"
    latencies: List[float] = []
    errors: List[int] = []
    conn = aiohttp.TCPConnector(limit=concurrency + 5)
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=timeout_s)) as session:
        jobs = []
        for c in range(concurrency):
            texts = [ENQUIRIES[(c * 7 + i) % len(ENQUIRIES)] for i in range(per_conversation)]
            jobs.append(_conversation(session, url, texts, latencies, errors))
        started = time.perf_counter()
        await asyncio.gather(*jobs)
        seconds = time.perf_counter() - started
    return LoadResult(concurrency, len(latencies), seconds, latencies, len(errors))


def load(rasa_url: str, concurrency: int, per_conversation: int, channel: str = "chat") -> LoadResult:
    """``channel``: our ``chat`` channel, or Rasa's stock ``rest`` channel (the baseline)."""
    return asyncio.run(run_load(rasa_url, concurrency, per_conversation, channel=channel))
