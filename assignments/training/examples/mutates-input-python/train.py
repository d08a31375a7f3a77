"""train.py: gradient descent trainers (logistic regression, softmax regression).

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
    w = opts["w0"]  # start from the initial weights
    b = opts["b0"]
    history = [binary_loss(X @ np.asarray(w, dtype=float) + b, y, loss)]
    for _ in range(epochs):
        dz = binary_dz(X @ np.asarray(w, dtype=float) + b, y, loss)
        g = X.T @ dz
        for j in range(len(w)):
            w[j] -= lr * g[j]
        b -= lr * dz.sum()
        history.append(binary_loss(X @ np.asarray(w, dtype=float) + b, y, loss))
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
    W = list(opts["W0"])  # copy so the caller's W0 is safe
    b = list(opts["b0"])
    history = [softmax_loss(X @ np.asarray(W, dtype=float) + b, Y)]
    for _ in range(epochs):
        dZ = (softmax(X @ np.asarray(W, dtype=float) + b) - Y) / n
        gW = X.T @ dZ
        gb = dZ.sum(axis=0)
        for j in range(len(W)):
            for k in range(len(b)):
                W[j][k] -= lr * gW[j][k]
        for k in range(len(b)):
            b[k] -= lr * gb[k]
        history.append(softmax_loss(X @ np.asarray(W, dtype=float) + b, Y))
    return {"W": W, "b": b, "history": history}
