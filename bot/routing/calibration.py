"""Calibrated confidence: the probability that an answer's door is right.

The router's raw score for its chosen door is a sum of shares of the model's intent
probabilities and keyword evidence: monotone in how sure the answer is, but not a probability
(it could exceed 1, and 0.6 did not mean "right 6 times in 10"). `scripts/calibrate.py` fits an
isotonic map from that raw score to the observed rate of right doors on the development set
(never the locked test set) and writes its breakpoints to `bot/routing/calibration.yml`; the
router reports ``confidence = calibrate(raw)``. The map is monotone, so a threshold on the raw
score and on the calibrated confidence are the same decision.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Tuple

import yaml

DEFAULT_PATH = Path(__file__).with_name("calibration.yml")


@dataclass(frozen=True)
class Calibration:
    """A monotone piecewise-linear map [0, ∞) → [0, 1] through ``points`` (raw, calibrated)."""

    points: Tuple[Tuple[float, float], ...] = ()

    def __call__(self, raw: float) -> float:
        if not self.points:
            return min(max(raw, 0.0), 1.0)
        xs = [x for x, _ in self.points]
        i = bisect_right(xs, raw)
        if i == 0:
            return self.points[0][1]
        if i == len(self.points):
            return self.points[-1][1]
        (x0, y0), (x1, y1) = self.points[i - 1], self.points[i]
        y = y0 if x1 == x0 else y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
        return min(max(y, 0.0), 1.0)

    @classmethod
    def load(cls, path: Optional[Path] = None) -> "Calibration":
        """The fitted map, or the identity clipped to [0, 1] when none has been fitted."""
        path = path or DEFAULT_PATH
        if not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        pts = tuple((float(x), float(y)) for x, y in data.get("points", ()))
        ys = [y for _, y in pts]
        if any(b < a for a, b in zip(ys, ys[1:])) or any(not 0.0 <= y <= 1.0 for y in ys):
            raise ValueError(f"{path}: calibration points must be non-decreasing probabilities in [0, 1]")
        return cls(pts)


def fit(raw: Sequence[float], right: Sequence[bool]) -> Calibration:
    """Isotonic regression of right/wrong on the raw score (scikit-learn, which Rasa already installs)."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(list(raw), [1.0 if r else 0.0 for r in right])
    xs, ys = iso.X_thresholds_, iso.y_thresholds_
    return Calibration(tuple((round(float(x), 4), round(float(y), 4)) for x, y in zip(xs, ys)))
