"""Our additions to Rasa 3.6 itself, each measured (docs/benchmarks.md, docs/nlu.md):

* ``intent_classifier.LogisticRegressionIntentClassifier``: Rasa's logistic-regression intent
  classifier with its weights stored for fast prediction (config.yml);
* ``server_speedups``: action server responses checked against a schema validator built
  once instead of on every custom action, and event classes looked up once (applied by
  channels/chat.py).
"""
