"""Losses assignment, straight from the lecture formulas.

All losses are averaged over the N samples (rows); the gradients are gradients of that mean.
"""

import numpy as np

# ===== activations =====


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1 / (1 + np.exp(-z))


def softmax(z):
    z = np.asarray(z, dtype=float)
    exps = np.exp(z)
    return exps / exps.sum(axis=1, keepdims=True)


# ===== mean squared error =====


def mse(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    total = np.sum((y_pred - y_true) ** 2)
    return total / len(y_true)


def mse_grad(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    n = len(y_true)
    return (2 / n) * (y_pred - y_true)


# ===== binary cross-entropy =====


def binary_cross_entropy(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    total = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    return -total / len(y)


def binary_cross_entropy_grad(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    return (-y / p + (1 - y) / (1 - p)) / n


def binary_cross_entropy_from_logits(y_true, z):
    # p = sigmoid(z), then the usual binary cross-entropy
    return binary_cross_entropy(y_true, sigmoid(z))


def binary_cross_entropy_from_logits_grad(y_true, z):
    y = np.asarray(y_true, dtype=float)
    n = len(y)
    s = sigmoid(z)
    return (s - y) / n


# ===== categorical cross-entropy =====


def categorical_cross_entropy(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    return -np.sum(y * np.log(p)) / len(y)


def categorical_cross_entropy_grad(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    return -y / (n * p)


def categorical_cross_entropy_from_logits(y_true, z):
    # p = softmax(z), then the usual categorical cross-entropy
    return categorical_cross_entropy(y_true, softmax(z))


def categorical_cross_entropy_from_logits_grad(y_true, z):
    y = np.asarray(y_true, dtype=float)
    n = len(y)
    p = softmax(z)
    return (p - y) / n


# ===== evaluation =====


def classification_error(y_true, scores):
    y = np.asarray(y_true, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:
        pred = np.where(scores >= 0.5, 1, 0)
    else:
        pred = np.argmax(scores, axis=1)  # argmax takes the first index on a tie
    return np.sum(pred != y) / len(y)
