"""Losses assignment.

All losses are averaged over the N samples (rows); the gradients are gradients of that mean.
"""

import numpy as np

# ===== activations =====


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    # two branches so that np.exp never gets a big positive number
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z):
    z = np.asarray(z, dtype=float)
    out = []
    for row in z:
        exps = np.exp(row - row.max())  # max-shift: exp(v - m) <= 1
        total = exps.sum()
        # normalise so that the row sums to 1
        probs = np.zeros(len(row))
        j = 0
        while j < len(row):
            probs[j] = exps[j] / total
        out.append(probs)
    return np.array(out)


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
    pos, neg = y != 0, y != 1  # skip 0 * log(0): only evaluate terms whose weight is not 0
    total = np.sum(y[pos] * np.log(p[pos])) + np.sum((1 - y[neg]) * np.log(1 - p[neg]))
    return -total / len(y)


def binary_cross_entropy_grad(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    grad = np.zeros(n)
    pos, neg = y != 0, y != 1
    grad[pos] += -y[pos] / p[pos]
    grad[neg] += (1 - y[neg]) / (1 - p[neg])
    return grad / n


def binary_cross_entropy_from_logits(y_true, z):
    y = np.asarray(y_true, dtype=float)
    z = np.asarray(z, dtype=float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def binary_cross_entropy_from_logits_grad(y_true, z):
    y = np.asarray(y_true, dtype=float)
    n = len(y)
    s = sigmoid(z)
    return (s - y) / n


# ===== categorical cross-entropy =====


def categorical_cross_entropy(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    hot = y != 0  # one-hot: only the true class counts, and 0 * log(0) never happens
    return -np.sum(y[hot] * np.log(p[hot])) / len(y)


def categorical_cross_entropy_grad(y_true, p):
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(p, dtype=float)
    n = len(y)
    grad = np.zeros_like(p)
    hot = y != 0
    grad[hot] = -y[hot] / (n * p[hot])
    return grad


def categorical_cross_entropy_from_logits(y_true, z):
    y = np.asarray(y_true, dtype=float)
    z = np.asarray(z, dtype=float)
    m = z.max(axis=1, keepdims=True)
    log_sum_exp = m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    # -log softmax = log_sum_exp - z
    losses = np.where(y != 0, y * (log_sum_exp - z), 0.0)
    return np.sum(losses) / len(y)


def categorical_cross_entropy_from_logits_grad(y_true, z):
    y = np.asarray(y_true, dtype=float)
    z = np.asarray(z, dtype=float)
    n = len(y)
    m = z.max(axis=1, keepdims=True)
    log_sum_exp = m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    # softmax_k = exp(z_k - log_sum_exp)
    return (np.exp(z - log_sum_exp) - y) / n


# ===== evaluation =====


def classification_error(y_true, scores):
    y = np.asarray(y_true, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:
        pred = np.where(scores >= 0.5, 1, 0)
    else:
        pred = np.argmax(scores, axis=1)  # argmax takes the first index on a tie
    return np.sum(pred != y) / len(y)
