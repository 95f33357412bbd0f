"""Logistic regression over sparse binary features: the one fitting routine the learned models
share (boilerplate lines, line breaks). Deterministic: full-batch gradient descent with Adam from
zero weights, so the same examples give the same weights."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np


def fit_sparse(
    data: Sequence[tuple[list[str], int]],
    l2: float = 1e-3,
    steps: int = 300,
    min_count: int = 2,
    balanced: bool = True,
) -> tuple[float, dict[str, float]]:
    """The bias and the weights (rounded to 4 places, those under 0.01 pruned) of features seen
    in at least `min_count` examples. `balanced` weighs the two classes alike."""
    counts: dict[str, int] = defaultdict(int)
    for feats, _ in data:
        for f in set(feats):
            counts[f] += 1
    vocab = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    rows, cols = [], []
    for r, (feats, _) in enumerate(data):
        idx = sorted({vocab[f] for f in feats if f in vocab})
        rows.extend([r] * len(idx))
        cols.extend(idx)
    rows_a, cols_a = np.asarray(rows), np.asarray(cols)
    y = np.asarray([lab for _, lab in data], dtype=np.float64)
    if balanced:
        pos = max(1.0, y.sum())
        neg = max(1.0, len(y) - y.sum())
        sample_w = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * neg))
    else:
        sample_w = np.ones(len(y))

    def gradient(w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
        z = np.bincount(rows_a, weights=w[cols_a], minlength=len(y)) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = (p - y) * sample_w / len(y)
        return np.bincount(cols_a, weights=err[rows_a], minlength=len(w)) + l2 * w, float(err.sum())

    w, b = descend(gradient, len(vocab), steps, lr=0.1)
    weights = {f: round(float(w[k]), 4) for f, k in vocab.items() if abs(w[k]) >= 0.01}
    return round(b, 4), dict(sorted(weights.items()))


Gradient = Callable[[np.ndarray, float], tuple[np.ndarray, float]]
"""The loss's gradient at weights `w` and bias `b`: (d/dw, d/db)."""


def descend(gradient: Gradient, size: int, steps: int, lr: float) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent with Adam from zero weights: deterministic, so the same
    examples give the same model file."""
    w = np.zeros(size)
    b = 0.0
    m_w, v_w = np.zeros_like(w), np.zeros_like(w)
    m_b = v_b = 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        g_w, g_b = gradient(w, b)
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w**2
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b**2
        w -= lr * (m_w / (1 - beta1**t)) / (np.sqrt(v_w / (1 - beta2**t)) + eps)
        b -= lr * (m_b / (1 - beta1**t)) / (np.sqrt(v_b / (1 - beta2**t)) + eps)
    return w, b
