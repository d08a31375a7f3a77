"""Gradient-descent trainers. Each epoch: compute the loss (for the learning curve), then the gradient,
then update the parameters.


train_binary: logistic model p = sigmoid(X w + b), loss 'bce' (binary cross-entropy) or 'mse' (mean
squared error of p against y, no 1/2). train_softmax: softmax regression, P = softmax(X W + b) row-wise,
categorical cross-entropy on one-hot Y. history[t] is the loss after t updates.
"""

import numpy as np

# ===== logistic regression =====


def sigmoid(z):
    """sigma(z) without overflow: only ever exp(-|z|)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def binary_loss(z, y, loss):
    """Mean loss of the logistic model from its logits."""
    if loss == "bce":
        # max(z, 0) - z*y + log(1 + e^-|z|): exact and finite for any z
        return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    return np.mean((sigmoid(z) - y) ** 2)


def binary_dz(z, y, loss):
    """dL/dz_i for each sample."""
    n = len(z)
    p = sigmoid(z)
    if loss == "bce":
        return (p - y) / n  # sigma' cancels
    slope = p * sigmoid(-z)  # sigma'(z) = sigma(z) sigma(-z)
    return 2 * (p - y) * slope / n


def train_binary(X, y, opts):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    loss, lr, epochs = opts["loss"], opts["lr"], int(opts["epochs"])
    w = np.array(opts["w0"], dtype=float)  # a copy: the caller's w0 stays as it was
    b = float(opts["b0"])
    history = []
    for _ in range(epochs):
        z = X @ w + b
        history.append(binary_loss(z, y, loss))  # learning curve: loss at the current parameters
        dz = binary_dz(z, y, loss)
        w -= lr * (X.T @ dz)
        b -= lr * dz.sum()
    return {"w": w, "b": b, "history": history}


# ===== softmax regression =====


def softmax(Z):
    """Row-wise softmax, max-shifted."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_loss(Z, Y):
    """Mean categorical cross-entropy from logits: -sum_k y_k (z_k - logsumexp(z))."""
    m = Z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return np.sum(np.where(Y != 0, Y * (lse - Z), 0.0)) / len(Z)


def train_softmax(X, Y, opts):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    lr, epochs = opts["lr"], int(opts["epochs"])
    n = len(X)
    W = np.array(opts["W0"], dtype=float)  # copies
    b = np.array(opts["b0"], dtype=float)
    history = []
    for _ in range(epochs):
        Z = X @ W + b
        history.append(softmax_loss(Z, Y))  # learning curve: loss at the current parameters
        dZ = (softmax(Z) - Y) / n
        W -= lr * (X.T @ dZ)
        b -= lr * dZ.sum(axis=0)
    return {"W": W, "b": b, "history": history}
