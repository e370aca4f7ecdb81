"""Routing: from an enquiry's words and the NLU intent ranking to catalogue tasks."""
