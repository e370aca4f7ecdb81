"""The pause after failed staff logins (bot/web/throttle.py), with a given clock."""
from bot.web.throttle import SlidingWindow


def test_failures_pause_the_key_until_the_oldest_leaves_the_window():
    lim = SlidingWindow(max_events=3, window_s=900)
    for t in (0, 10, 20):
        assert lim.blocked(["user:bo"], t) == 0
        lim.record(["user:bo"], t)
    assert lim.blocked(["user:bo"], 30) == 870          # until the failure at t=0 is 15 minutes old
    assert lim.blocked(["user:other"], 30) == 0
    assert lim.blocked(["user:bo"], 900) == 0           # the first failure has left the window
    lim.record(["user:bo"], 901)
    assert lim.blocked(["user:bo"], 902) > 0            # again three within the window
    lim.clear(["user:bo"])
    assert lim.blocked(["user:bo"], 903) == 0
