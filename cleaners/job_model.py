"""The learned job-description classifier: logistic regression over a document's JD evidence.

The rules (`JobEvidence.rules_say_job`) are a fixed score with hand-set vetoes; the model
weighs the same evidence, and shapes the rules do not score (a page of many roles, a Q&A, a
short page), by what labelled documents showed. It is trained by
`python -m harvester.train_job_model` (`make train`) and ships as
`data/models/job-document.json`; without that file the rules decide.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class JobModel:
    """Weights of the JD classifier and the probability a document needs to be taken for a JD."""

    bias: float
    weights: Mapping[str, float]
    threshold: float = 0.5

    def probability(self, features: Mapping[str, float]) -> float:
        """The probability that a document with these features is a job description."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def is_job(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobModel:
        return cls(float(data["bias"]), dict(data["weights"]), float(data.get("threshold", 0.5)))

    def to_dict(self) -> dict[str, Any]:
        return {"bias": self.bias, "threshold": self.threshold, "weights": dict(self.weights)}
