# Losses assignment (plain Python: the math module for single numbers, NumPy's sum and max for
# the reductions; the stability tricks are done by hand). The public names are listed in __all__
# at the bottom, the helpers start with an underscore.

import math
from math import exp, log1p

import numpy


def _log(x):
    """math.log, except that log(0) is -inf (math.log raises ValueError there)."""
    return -math.inf if x == 0 else math.log(x)


def _sig(z):
    """numerically stable sigmoid of one number"""
    if z >= 0:
        return 1 / (1 + exp(-z))
    e = exp(z)
    return e / (1 + e)


def sigmoid(z):
    return [_sig(v) for v in z]


def _softmax_row(row):
    m = numpy.max(row)  # subtract the max so exp() can't overflow
    e = [exp(v - m) for v in row]
    s = numpy.sum(e)
    return [v / s for v in e]


def softmax(z):
    return [_softmax_row(row) for row in z]


def mse(y_true, y_pred):
    sq = [(p - y) ** 2 for y, p in zip(y_true, y_pred)]
    return numpy.sum(sq) / len(y_true)


def mse_grad(y_true, y_pred):
    n = len(y_true)
    return [(2 / n) * (p - y) for y, p in zip(y_true, y_pred)]


def binary_cross_entropy(y_true, p):
    terms = []
    for y, pi in zip(y_true, p):
        t = 0.0
        if y != 0:
            t += y * _log(pi)
        if y != 1:
            t += (1 - y) * _log(1 - pi)
        terms.append(t)
    return -numpy.sum(terms) / len(y_true)


def binary_cross_entropy_grad(y_true, p):
    n = len(y_true)
    grad = []
    for y, pi in zip(y_true, p):
        g = 0.0
        if y != 0:
            g += -y / pi
        if y != 1:
            g += (1 - y) / (1 - pi)
        grad.append(g / n)
    return grad


def binary_cross_entropy_from_logits(y_true, z):
    terms = [max(zi, 0) - zi * y + log1p(exp(-abs(zi))) for y, zi in zip(y_true, z)]
    return numpy.sum(terms) / len(y_true)


def binary_cross_entropy_from_logits_grad(y_true, z):
    n = len(y_true)
    return [(_sig(zi) - y) / n for y, zi in zip(y_true, z)]


def categorical_cross_entropy(y_true, p):
    total = 0.0
    for y_row, p_row in zip(y_true, p):
        for y, pk in zip(y_row, p_row):
            if y != 0:
                total += y * _log(pk)
    return -total / len(y_true)


def categorical_cross_entropy_grad(y_true, p):
    n = len(y_true)
    return [[0.0 if y == 0 else -y / (n * pk) for y, pk in zip(y_row, p_row)] for y_row, p_row in zip(y_true, p)]


def _log_sum_exp(row):
    m = numpy.max(row)
    return m + math.log(numpy.sum([exp(v - m) for v in row]))


def categorical_cross_entropy_from_logits(y_true, z):
    total = 0.0
    for y_row, z_row in zip(y_true, z):
        lse = _log_sum_exp(z_row)
        for y, zk in zip(y_row, z_row):
            if y != 0:
                total += y * (lse - zk)
    return total / len(y_true)


def categorical_cross_entropy_from_logits_grad(y_true, z):
    n = len(y_true)
    return [[(pk - y) / n for y, pk in zip(y_row, p_row)] for y_row, p_row in zip(y_true, softmax(z))]


def classification_error(y_true, scores):
    wrong = 0
    for y, s in zip(y_true, scores):
        if numpy.ndim(s) > 0:
            predicted = 0
            for k in range(1, len(s)):
                if s[k] > s[predicted]:
                    predicted = k
        else:
            predicted = 1 if s >= 0.5 else 0
        if predicted != y:
            wrong += 1
    return wrong / len(y_true)


__all__ = [
    "sigmoid",
    "softmax",
    "mse",
    "mse_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_from_logits",
    "binary_cross_entropy_from_logits_grad",
    "categorical_cross_entropy",
    "categorical_cross_entropy_grad",
    "categorical_cross_entropy_from_logits",
    "categorical_cross_entropy_from_logits_grad",
    "classification_error",
]
