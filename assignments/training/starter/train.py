"""Assignment "training" — Python starter file.

Implement the two trainers below and keep their names and signatures: the grader looks them up by
name (`train_binary` for the handout's `trainBinary`, `train_softmax` for `trainSoftmax`). Read
README.md (the handout) first; it gives every formula, worked examples and the reason this
assignment exists (section 5: why cross-entropy trains faster than MSE from a saturated start). Its
"Python" section says what the grader passes and accepts.

Conventions used everywhere:
  - X holds one ROW per sample: N rows x d features. Y (one-hot) is N x K; W is d x K.
  - Every loss is the MEAN over the N samples (so every gradient carries a factor 1/N).
  - Full batch: one update per epoch, using all N samples -- exactly `epochs` updates, the same
    learning rate every time (no early stopping, no schedule, no momentum, no weight decay).
  - history[t] is the loss after t updates, t = 0 ... epochs: epochs + 1 values, history[0] at the
    initial parameters.
  - X and the labels arrive as (nested) lists of floats, `opts` as a dict with the handout's keys:
    opts["loss"], opts["lr"], opts["epochs"], opts["w0"], opts["b0"] (and opts["W0"] for softmax).
    Numbers may arrive as floats: loop with range(int(opts["epochs"])).
  - Return a dict {"w": ..., "b": ..., "history": [...]} ({"W": ..., "b": ..., "history": [...]}):
    numbers, lists, tuples or NumPy arrays. Do NOT modify X, the labels or opts: copy w0 / W0 / b0
    before updating (np.array(opts["w0"], dtype=float) copies; np.asarray may not).

You may use NumPy and the Python standard library, and split your code into several files in this
folder. Nothing else (no files, no network, no subprocesses), and no test code at the top level:
put it under `if __name__ == "__main__":`.

Check your work with:  npx mlgrade check training
"""

import numpy as np


def train_binary(X, y, opts):
    """Trains the logistic model p = sigma(X w + b) by full-batch gradient descent.

        z_i = sum_j X_ij w_j + b,   p_i = sigma(z_i) = 1 / (1 + e^(-z_i))

        'bce':  L = (1/N) sum_i [ max(z_i, 0) - z_i y_i + ln(1 + e^(-|z_i|)) ]    dL/dz_i = (p_i - y_i)/N
        'mse':  L = (1/N) sum_i (p_i - y_i)^2                                     dL/dz_i = 2(p_i - y_i) sigma'(z_i)/N
                with sigma'(z) = sigma(z)(1 - sigma(z))

        dL/dw_j = sum_i X_ij dL/dz_i,   dL/db = sum_i dL/dz_i
        w <- w - lr dL/dw,   b <- b - lr dL/db

    opts: {"loss": "bce" | "mse", "lr": float, "epochs": int, "w0": [d floats], "b0": float}
    Returns {"w": [d floats], "b": float, "history": [epochs + 1 floats]}.

    >>> train_binary([[1]], [0], {"loss": "bce", "lr": 0.15, "epochs": 2, "w0": [2], "b0": 2})["history"]
    [4.0181499279178094, 3.7296888649934554, 3.445020101358986]
    """
    raise NotImplementedError("TODO: implement train_binary")


def train_softmax(X, Y, opts):
    """Trains softmax regression (logits X W + b, W d x K) by full-batch gradient descent on the mean
    categorical cross-entropy.

        Z_ik = sum_j X_ij W_jk + b_k,   P = softmax of each row of Z
        L = (1/N) sum_i sum_k Y_ik [ logsumexp(Z_i) - Z_ik ]
        dZ = (P - Y)/N,   dL/dW = X^T dZ (d x K),   dL/db_k = sum_i dZ_ik
        W <- W - lr dL/dW,   b <- b - lr dL/db

    opts: {"lr": float, "epochs": int, "W0": [d rows of K floats], "b0": [K floats]}
    Returns {"W": [d rows of K floats], "b": [K floats], "history": [epochs + 1 floats]}.

    >>> train_softmax([[1], [-1]], [[1, 0], [0, 1]], {"lr": 0.5, "epochs": 2, "W0": [[0, 0]], "b0": [0, 0]})["history"]
    [0.6931471805599453, 0.4740769841801067, 0.347697748169947]
    """
    raise NotImplementedError("TODO: implement train_softmax")


if __name__ == "__main__":
    # Your own quick checks go here: this block runs with `python train.py`, never when graded.
    print(train_binary([[1]], [0], {"loss": "bce", "lr": 0.15, "epochs": 2, "w0": [2], "b0": 2})["history"])
