"""Gradient-descent trainers with NumPy's functions spelled out (numpy.dot, numpy.transpose,
numpy.subtract), the way the mathjs version of this solution does its linear algebra.

train_binary(X, y, {loss, lr, epochs, w0, b0}) -> {w, b, history}
train_softmax(X, Y, {lr, epochs, W0, b0})      -> {W, b, history}
"""

import numpy
from numpy import abs, exp, log1p, maximum

__all__ = ["train_binary", "train_softmax"]


def _sigmoid(z):
    return numpy.where(z >= 0, 1 / (1 + exp(-abs(z))), exp(-abs(z)) / (1 + exp(-abs(z))))


def _logits(X, w, b):
    return numpy.add(numpy.dot(X, w), b)


def _binary_loss(z, y, loss):
    if loss == "bce":
        terms = maximum(z, 0) - z * y + log1p(exp(-abs(z)))
    else:
        terms = (_sigmoid(z) - y) ** 2
    return float(numpy.sum(terms) / len(z))


def train_binary(X, y, opts):
    X = numpy.array(X, dtype=float)
    y = numpy.array(y, dtype=float)
    n = len(X)
    Xt = numpy.transpose(X)
    w = numpy.array(opts["w0"], dtype=float)
    b = float(opts["b0"])
    history = [_binary_loss(_logits(X, w, b), y, opts["loss"])]
    for _ in range(int(opts["epochs"])):
        z = _logits(X, w, b)
        p = _sigmoid(z)
        dz = (p - y) / n if opts["loss"] == "bce" else 2 * (p - y) * p * _sigmoid(-z) / n
        w = numpy.subtract(w, numpy.multiply(opts["lr"], numpy.dot(Xt, dz)))
        b = b - opts["lr"] * float(numpy.sum(dz))
        history.append(_binary_loss(_logits(X, w, b), y, opts["loss"]))
    return {"w": w.tolist(), "b": b, "history": history}


def _softmax_rows(Z):
    E = exp(numpy.subtract(Z, numpy.max(Z, axis=1, keepdims=True)))
    return E / numpy.sum(E, axis=1, keepdims=True)


def _categorical_loss(Z, Y):
    m = numpy.max(Z, axis=1, keepdims=True)
    lse = m + numpy.log(numpy.sum(exp(Z - m), axis=1, keepdims=True))
    return float(-numpy.sum(numpy.where(Y != 0, Y * (Z - lse), 0.0)) / len(Z))


def train_softmax(X, Y, opts):
    X = numpy.array(X, dtype=float)
    Y = numpy.array(Y, dtype=float)
    n = len(X)
    Xt = numpy.transpose(X)
    W = numpy.array(opts["W0"], dtype=float)
    b = numpy.array(opts["b0"], dtype=float)
    history = [_categorical_loss(_logits(X, W, b), Y)]
    for _ in range(int(opts["epochs"])):
        P = _softmax_rows(_logits(X, W, b))
        dZ = (P - Y) / n
        W = numpy.subtract(W, numpy.multiply(opts["lr"], numpy.dot(Xt, dZ)))
        b = numpy.subtract(b, numpy.multiply(opts["lr"], numpy.sum(dZ, axis=0)))
        history.append(_categorical_loss(_logits(X, W, b), Y))
    return {"W": W.tolist(), "b": b.tolist(), "history": history}
