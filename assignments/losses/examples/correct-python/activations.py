"""Activations and small numeric helpers, kept apart from the losses so that losses.py reads like
the formulas in the handout."""

import numpy as np


def sigmoid(z):
    """Elementwise sigmoid; np.exp only ever sees -|z|, so nothing overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def log_sum_exp(z):
    """log(sum(exp(row))) of every row, with the max trick."""
    z = np.asarray(z, dtype=float)
    m = z.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]


def softmax(z):
    """Row-wise softmax: every row is one sample (shift by the row max first)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
