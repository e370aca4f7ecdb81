"""Calibrated confidence: the probability that an answer's door is right.

The router's raw score for its chosen door is a sum of shares of the model's intent
probabilities and keyword evidence: monotone in how sure the answer is, but not a probability
(it could exceed 1), and it saturates: on the development sets most wrong doors had a raw
score above 0.995, so no map of the raw score alone could tell them from the right ones.
Three more things the router knows did (docs/evaluation.md, "Sixth session"): how sure the
model is of its top intent, whether the enquiry's own words point at the answer's task more
than at any other, and how long the enquiry is (with raw count features long stories were
misread more often; with the seventh session's scaled features length counts slightly for an
answer: the fit decides its sign).

So the calibration is Platt scaling on these four features of an answer (its
:class:`Evidence`): a logistic regression fitted by ``scripts/calibrate.py`` on the
development sets (never the locked test set) and written to ``bot/routing/calibration.yml``.
The router reports ``confidence = calibration(evidence)`` and answers when it reaches
``RouterConfig.answer_min``; below it, it asks.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Tuple

import yaml

DEFAULT_PATH = Path(__file__).with_name("calibration.yml")
FEATURES = ("raw", "intent", "words_agree", "length")
MAX_WORDS = 40   # longer enquiries count as this long
_EPS = 1e-4


def _logit(p: float) -> float:
    p = min(max(p, _EPS), 1.0 - _EPS)
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class Evidence:
    """What the router knows about one answer when it decides whether to give it."""

    raw: float          # the router's raw score for the door (a sum; may exceed 1)
    intent: float       # the model's probability for its top intent
    words_agree: bool   # the task's own words are in the enquiry, more than any other task's
                        # (always true for a door that is not a department's task)
    words: int          # the enquiry's length in words

    def features(self) -> Tuple[float, float, float, float]:
        """In the order of FEATURES."""
        return (_logit(self.raw), _logit(self.intent), 1.0 if self.words_agree else 0.0,
                min(self.words, MAX_WORDS) / 20.0)


@dataclass(frozen=True)
class Calibration:
    """P(door right | evidence) = logistic(intercept + weights · features); with no weights
    (nothing fitted yet) the raw score clipped to [0, 1]."""

    weights: Tuple[float, ...] = ()
    intercept: float = 0.0

    def __call__(self, evidence: Evidence) -> float:
        if not self.weights:
            return min(max(evidence.raw, 0.0), 1.0)
        z = self.intercept + sum(w * x for w, x in zip(self.weights, evidence.features()))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_yaml(self, comment: str = "") -> str:
        lines = "".join(f"# {c}\n" for c in comment.splitlines())
        return lines + yaml.safe_dump({"features": list(FEATURES), "weights": [round(w, 4) for w in self.weights],
                                       "intercept": round(self.intercept, 4)}, sort_keys=False)

    @classmethod
    def load(cls, path: Optional[Path] = None) -> "Calibration":
        """The fitted calibration, or the identity clipped to [0, 1] when none has been fitted."""
        path = path or DEFAULT_PATH
        if not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "points" in data:
            raise ValueError(f"{path}: an isotonic calibration of the raw score alone (before session 6); "
                             "refit it with scripts/calibrate.py")
        if tuple(data.get("features") or ()) != FEATURES:
            raise ValueError(f"{path}: features must be {list(FEATURES)}, not {data.get('features')}")
        try:
            weights = tuple(float(w) for w in data.get("weights") or ())
            intercept = float(data.get("intercept", 0.0))
        except (TypeError, ValueError) as err:
            raise ValueError(f"{path}: weights and intercept must be numbers ({err})") from None
        if len(weights) != len(FEATURES) or not all(math.isfinite(w) for w in weights + (intercept,)):
            raise ValueError(f"{path}: one finite weight per feature ({len(FEATURES)}) and a finite intercept")
        if weights[0] < 0 or weights[1] < 0:
            raise ValueError(f"{path}: a surer raw score or intent must not lower the confidence "
                             "(the weights of 'raw' and 'intent' must be >= 0)")
        return cls(weights, intercept)


def fit(evidence: Sequence[Evidence], right: Sequence[bool], c: float = 1.0) -> Calibration:
    """Logistic regression of right/wrong on the evidence's features, as scikit-learn's
    ``LogisticRegression(C=c)`` fits it (L2 on the weights, not on the intercept), but with the
    weights of ``raw`` and ``intent`` kept >= 0: a surer model must never make the router less
    sure (``Calibration.load`` refuses such a file). scipy's L-BFGS-B (installed with Rasa) does
    the bounded fit; where the unbounded fit is already monotone the result is the same."""
    import numpy as np
    from scipy.optimize import minimize

    X = np.array([e.features() for e in evidence], dtype=float)
    y = np.array([1.0 if r else 0.0 for r in right])

    def loss(theta: "np.ndarray") -> Tuple[float, "np.ndarray"]:
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        # log(1 + e^z) - y z, summed; its gradient (sigmoid(z) - y) X
        value = float(np.sum(np.logaddexp(0.0, z) - y * z)) * c + 0.5 * float(w @ w)
        g = (1.0 / (1.0 + np.exp(-z)) - y) * c
        return value, np.append(X.T @ g + w, g.sum())

    bounds = [(0.0, None), (0.0, None)] + [(None, None)] * (X.shape[1] - 2) + [(None, None)]
    theta = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds).x
    return Calibration(tuple(float(w) for w in theta[:-1]), float(theta[-1]))
