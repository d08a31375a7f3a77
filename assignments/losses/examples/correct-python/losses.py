"""Losses assignment, my solution.

Everything is averaged over the N samples (rows), so every gradient has a 1/N in it.
"""

import numpy as np

from activations import log_sum_exp, sigmoid, softmax

__all__ = [
    "sigmoid", "softmax", "mse", "mse_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_from_logits", "binary_cross_entropy_from_logits_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad",
    "categorical_cross_entropy_from_logits", "categorical_cross_entropy_from_logits_grad",
    "classification_error",
]


# ---------------- regression ----------------

def mse(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return np.mean((y_pred - y_true) ** 2)


def mse_grad(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return 2 * (y_pred - y_true) / len(y_true)


# ---------------- binary cross-entropy ----------------

def _xlogy(x, y):
    """x * log(y), and 0 where x == 0 (even where y == 0): the zero-weight terms of cross-entropy."""
    out = np.zeros(np.broadcast(x, y).shape)
    nonzero = x != 0
    out[nonzero] = x[nonzero] * np.log(y[nonzero])
    return out


def binary_cross_entropy(y_true, p):
    y, p = np.asarray(y_true, dtype=float), np.asarray(p, dtype=float)
    return -np.mean(_xlogy(y, p) + _xlogy(1 - y, 1 - p))


def binary_cross_entropy_grad(y_true, p):
    y, p = np.asarray(y_true, dtype=float), np.asarray(p, dtype=float)
    grad = np.zeros_like(p)
    pos, neg = y != 0, y != 1
    grad[pos] -= y[pos] / p[pos]
    grad[neg] += (1 - y[neg]) / (1 - p[neg])
    return grad / len(y)


def binary_cross_entropy_from_logits(y_true, z):
    y, z = np.asarray(y_true, dtype=float), np.asarray(z, dtype=float)
    # stable form: max(z, 0) - z*y + log(1 + e^-|z|)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def binary_cross_entropy_from_logits_grad(y_true, z):
    y, z = np.asarray(y_true, dtype=float), np.asarray(z, dtype=float)
    # the sigmoid slope cancels out: dL/dz = (sigma(z) - y) / N
    return (sigmoid(z) - y) / len(y)


# ---------------- categorical cross-entropy ----------------

def categorical_cross_entropy(y_true, p):
    y, p = np.asarray(y_true, dtype=float), np.asarray(p, dtype=float)
    return -_xlogy(y, p).sum() / len(y)


def categorical_cross_entropy_grad(y_true, p):
    y, p = np.asarray(y_true, dtype=float), np.asarray(p, dtype=float)
    grad = np.zeros_like(p)
    hot = y != 0
    grad[hot] = -y[hot] / (len(y) * p[hot])
    return grad


def categorical_cross_entropy_from_logits(y_true, z):
    y, z = np.asarray(y_true, dtype=float), np.asarray(z, dtype=float)
    # -log softmax(z)_k = lse - z_k, weighted by y (0 where y is 0)
    return np.where(y != 0, y * (log_sum_exp(z)[:, None] - z), 0.0).sum() / len(y)


def categorical_cross_entropy_from_logits_grad(y_true, z):
    y = np.asarray(y_true, dtype=float)
    return (softmax(z) - y) / len(y)


# ---------------- evaluation ----------------

def classification_error(y_true, scores):
    y, scores = np.asarray(y_true, dtype=float), np.asarray(scores, dtype=float)
    if scores.ndim == 2:
        predicted = scores.argmax(axis=1)  # the first index on a tie
    else:
        predicted = (scores >= 0.5).astype(int)
    return np.mean(predicted != y)
