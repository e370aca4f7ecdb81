"""Indgang: plain-Python core of the referral assistant (catalogue, routing, hours, web, CLI).

Nothing here imports Rasa except :mod:`bot.nlu`, the adapter that loads a trained model
for the command line.
"""
