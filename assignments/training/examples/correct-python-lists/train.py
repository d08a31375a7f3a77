"""Gradient-descent trainers in plain Python (lists of floats, the math module, no NumPy).

history[t] is the loss after t updates: epochs + 1 values.
"""

import math


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _logits(X, w, b):
    return [sum(x * wj for x, wj in zip(row, w)) + b for row in X]


def _binary_loss(z, y, loss):
    total = 0.0
    for zi, yi in zip(z, y):
        if loss == "bce":
            total += max(zi, 0.0) - zi * yi + math.log1p(math.exp(-abs(zi)))
        else:
            total += (_sigmoid(zi) - yi) ** 2
    return total / len(z)


def train_binary(X, y, opts):
    loss, lr, epochs = opts["loss"], opts["lr"], int(opts["epochs"])
    n, d = len(X), len(opts["w0"])
    w = [float(v) for v in opts["w0"]]  # my own copy
    b = float(opts["b0"])
    history = [_binary_loss(_logits(X, w, b), y, loss)]
    for _ in range(epochs):
        dz = []
        for zi, yi in zip(_logits(X, w, b), y):
            p = _sigmoid(zi)
            if loss == "bce":
                dz.append((p - yi) / n)
            else:
                dz.append(2 * (p - yi) * p * _sigmoid(-zi) / n)
        for j in range(d):
            w[j] -= lr * sum(X[i][j] * dz[i] for i in range(n))
        b -= lr * sum(dz)
        history.append(_binary_loss(_logits(X, w, b), y, loss))
    return {"w": w, "b": b, "history": history}


def _scores(X, W, b):
    return [[bk + sum(row[j] * W[j][k] for j in range(len(row))) for k, bk in enumerate(b)] for row in X]


def _softmax_loss(Z, Y):
    total = 0.0
    for z, yrow in zip(Z, Y):
        m = max(z)
        lse = m + math.log(sum(math.exp(v - m) for v in z))
        for zk, yk in zip(z, yrow):
            if yk != 0:
                total -= yk * (zk - lse)
    return total / len(Z)


def train_softmax(X, Y, opts):
    lr, epochs = opts["lr"], int(opts["epochs"])
    n = len(X)
    W = [[float(v) for v in row] for row in opts["W0"]]  # copy every row
    b = [float(v) for v in opts["b0"]]
    d, K = len(W), len(b)
    history = [_softmax_loss(_scores(X, W, b), Y)]
    for _ in range(epochs):
        dZ = []
        for z, yrow in zip(_scores(X, W, b), Y):
            m = max(z)
            e = [math.exp(v - m) for v in z]
            s = sum(e)
            dZ.append([(ek / s - yk) / n for ek, yk in zip(e, yrow)])
        for j in range(d):
            for k in range(K):
                W[j][k] -= lr * sum(X[i][j] * dZ[i][k] for i in range(n))
        for k in range(K):
            b[k] -= lr * sum(row[k] for row in dZ)
        history.append(_softmax_loss(_scores(X, W, b), Y))
    return {"W": W, "b": b, "history": history}
