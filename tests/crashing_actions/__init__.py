"""The project's actions, with action_show_task broken the way a bug would break it: the
exception's message quotes the conversation. Started as an action server by
tests/test_privacy_stack.py to show that such a failure leaves no personal data in any log."""
from actions.route import ActionShowTask


def _crash(self, dispatcher, tracker, domain):
    raise RuntimeError(f"bug while showing a task for {tracker.sender_id}: {tracker.latest_message}")


ActionShowTask.run = _crash
