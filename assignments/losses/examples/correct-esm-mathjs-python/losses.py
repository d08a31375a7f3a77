# Losses assignment — map/reduce style, with NumPy's reductions imported by name.
# (Yes, `sum`, `max` and `abs` below are NumPy's: they shadow the built-ins in this module.)
from functools import reduce

from numpy import abs, exp, log, log1p, max, sum


def mean(xs):
    return sum(xs) / len(xs)


def sigmoid_one(z):
    """sigma(z) without overflow: only ever exponentiate a non-positive number"""
    return 1 / (1 + exp(-z)) if z >= 0 else exp(z) / (1 + exp(z))


def log_sum_exp(row):
    """log(sum(exp(row))) = m + log(sum(exp(row - m)))"""
    m = max(row)
    return m + log(sum([exp(v - m) for v in row]))


def argmax(row):
    return reduce(lambda best, k: k if row[k] > row[best] else best, range(len(row)), 0)


def sigmoid(z):
    return list(map(sigmoid_one, z))


def softmax(z):
    def one_row(row):
        m = max(row)
        e = [exp(v - m) for v in row]
        total = sum(e)
        return [v / total for v in e]

    return list(map(one_row, z))


def mse(y_true, y_pred):
    return mean([(p - y) * (p - y) for y, p in zip(y_true, y_pred)])


def mse_grad(y_true, y_pred):
    return [2 * (p - y) / len(y_true) for y, p in zip(y_true, y_pred)]


def binary_cross_entropy(y_true, p):
    # y*log(p) is only evaluated when y != 0, (1-y)*log(1-p) only when y != 1
    return mean([-((y * log(pi) if y != 0 else 0) + ((1 - y) * log(1 - pi) if y != 1 else 0))
                 for y, pi in zip(y_true, p)])


def binary_cross_entropy_grad(y_true, p):
    n = len(y_true)
    return [((-y / pi if y != 0 else 0) + ((1 - y) / (1 - pi) if y != 1 else 0)) / n for y, pi in zip(y_true, p)]


def binary_cross_entropy_from_logits(y_true, z):
    return mean([(zi if zi > 0 else 0) - zi * y + log1p(exp(-abs(zi))) for y, zi in zip(y_true, z)])


def binary_cross_entropy_from_logits_grad(y_true, z):
    return [(sigmoid_one(zi) - y) / len(y_true) for y, zi in zip(y_true, z)]


def categorical_cross_entropy(y_true, p):
    per_sample = [-reduce(lambda acc, k: acc + y_row[k] * log(p_row[k]) if y_row[k] != 0 else acc, range(len(y_row)), 0)
                  for y_row, p_row in zip(y_true, p)]
    return mean(per_sample)


def categorical_cross_entropy_grad(y_true, p):
    n = len(y_true)
    return [[-y / (n * pk) if y != 0 else 0 for y, pk in zip(y_row, p_row)] for y_row, p_row in zip(y_true, p)]


def categorical_cross_entropy_from_logits(y_true, z):
    def one_sample(y_row, z_row):
        lse = log_sum_exp(z_row)
        return reduce(lambda acc, k: acc + y_row[k] * (lse - z_row[k]) if y_row[k] != 0 else acc, range(len(z_row)), 0)

    return mean(list(map(one_sample, y_true, z)))


def categorical_cross_entropy_from_logits_grad(y_true, z):
    n = len(y_true)
    return [[(pk - y) / n for y, pk in zip(y_row, p_row)] for y_row, p_row in zip(y_true, softmax(z))]


def classification_error(y_true, scores):
    predictions = [argmax(s) if hasattr(s, "__len__") else (1 if s >= 0.5 else 0) for s in scores]
    return len([1 for pred, y in zip(predictions, y_true) if pred != y]) / len(y_true)
