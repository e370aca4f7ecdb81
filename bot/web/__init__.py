"""The web app: the demo municipal page with the chat widget, and the staff lookup page."""
