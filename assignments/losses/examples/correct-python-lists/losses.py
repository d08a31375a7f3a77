"""Losses assignment in plain Python: lists of floats in, lists of floats out, no NumPy.

Every loss is the mean over the N samples, so every gradient carries a 1/N.
"""

import math


def _sigmoid_one(z):
    # only ever exponentiate a non-positive number: math.exp(1000) raises OverflowError
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _log(x):
    # math.log(0) raises ValueError; the handout wants -inf there (an impossible prediction)
    return -math.inf if x == 0 else math.log(x)


def _is_number(x):
    return isinstance(x, (int, float))


def sigmoid(z):
    return [_sigmoid_one(v) for v in z]


def softmax(z):
    result = []
    for row in z:
        m = max(row)
        exps = [math.exp(v - m) for v in row]
        total = sum(exps)
        result.append([e / total for e in exps])
    return result


def mse(y_true, y_pred):
    n = len(y_true)
    return sum((p - y) ** 2 for y, p in zip(y_true, y_pred)) / n


def mse_grad(y_true, y_pred):
    n = len(y_true)
    return [2 * (p - y) / n for y, p in zip(y_true, y_pred)]


def binary_cross_entropy(y_true, p):
    n = len(y_true)
    total = 0.0
    for y, q in zip(y_true, p):
        if y != 0:
            total += y * _log(q)
        if y != 1:
            total += (1 - y) * _log(1 - q)
    return -total / n


def binary_cross_entropy_grad(y_true, p):
    n = len(y_true)
    grad = []
    for y, q in zip(y_true, p):
        g = 0.0
        if y != 0:
            g -= y / q
        if y != 1:
            g += (1 - y) / (1 - q)
        grad.append(g / n)
    return grad


def binary_cross_entropy_from_logits(y_true, z):
    n = len(y_true)
    return sum(max(v, 0.0) - v * y + math.log1p(math.exp(-abs(v))) for y, v in zip(y_true, z)) / n


def binary_cross_entropy_from_logits_grad(y_true, z):
    n = len(y_true)
    return [(_sigmoid_one(v) - y) / n for y, v in zip(y_true, z)]


def categorical_cross_entropy(y_true, p):
    n = len(y_true)
    total = 0.0
    for y_row, p_row in zip(y_true, p):
        for y, q in zip(y_row, p_row):
            if y != 0:
                total += y * _log(q)
    return -total / n


def categorical_cross_entropy_grad(y_true, p):
    n = len(y_true)
    return [[0.0 if y == 0 else -y / (n * q) for y, q in zip(y_row, p_row)] for y_row, p_row in zip(y_true, p)]


def _log_sum_exp(row):
    m = max(row)
    return m + math.log(sum(math.exp(v - m) for v in row))


def categorical_cross_entropy_from_logits(y_true, z):
    n = len(y_true)
    total = 0.0
    for y_row, z_row in zip(y_true, z):
        lse = _log_sum_exp(z_row)
        for y, v in zip(y_row, z_row):
            if y != 0:
                total += y * (lse - v)
    return total / n


def categorical_cross_entropy_from_logits_grad(y_true, z):
    n = len(y_true)
    return [[(q - y) / n for y, q in zip(y_row, p_row)] for y_row, p_row in zip(y_true, softmax(z))]


def classification_error(y_true, scores):
    n = len(y_true)
    wrong = 0
    for y, s in zip(y_true, scores):
        if _is_number(s):
            predicted = 1 if s >= 0.5 else 0
        else:
            predicted = 0
            for k in range(1, len(s)):
                if s[k] > s[predicted]:  # strictly greater: the first index wins a tie
                    predicted = k
        if predicted != y:
            wrong += 1
    return wrong / n
