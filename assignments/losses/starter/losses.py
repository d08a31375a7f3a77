"""Assignment "losses" — Python starter file.

Implement the 13 functions below and keep their names and signatures: the grader looks them up by
name (`mse_grad` for the handout's `mseGrad`, and so on). Read README.md (the handout) first; it
gives every formula, a worked example for each function and the numerical-stability cases the
grader checks. Its "Python" section says what the grader passes and accepts.

Conventions used everywhere:
  - A vector holds one value per sample (N samples).
  - A matrix holds one ROW per sample and one column per class (N x K).
  - Every loss is the MEAN over the N samples, and every gradient is the gradient of that mean
    (so it carries a factor 1/N).
  - The arguments arrive as Python lists of floats (nested lists for matrices): call
    np.asarray(x, dtype=float) first if you want NumPy arrays. Do not modify the arguments.
  - Return numbers (a float or a NumPy float), or lists, tuples or NumPy arrays of numbers of the
    same shape as the input the result belongs to. Not None, not strings, not generators.

You may use NumPy and the Python standard library, and split your code into several files in this
folder (`from helpers import log_sum_exp`). Nothing else (no files, no network, no subprocesses), and
no test code at the top level: put it under `if __name__ == "__main__":`.

Check your work with:  npx mlgrade check losses
"""

import numpy as np

# ---------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------


def sigmoid(z):
    """Logistic sigmoid, elementwise.

        sigma(z) = 1 / (1 + e^(-z))

    Must stay finite for large |z|: sigmoid([-1000, 1000]) returns [0, 1] (np.exp(1000) is inf and
    warns; math.exp(1000) raises OverflowError).

    >>> sigmoid([-2, 0, 3])   # [0.11920292202211755, 0.5, 0.9525741268224334]
    """
    raise NotImplementedError("TODO: implement sigmoid")


def softmax(z):
    """Softmax of each ROW of z (each row holds the K class scores of one sample).

        softmax(z)_ik = e^(z_ik) / sum_j e^(z_ij)

    Subtract the row maximum before exponentiating: softmax([[1000, 0, -1000]]) must be [[1, 0, 0]].
    With NumPy, that is the maximum along axis=1 (keepdims=True), not axis=0.

    >>> softmax([[1, 2, 3]])   # [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]]
    """
    raise NotImplementedError("TODO: implement softmax")


# ---------------------------------------------------------------------------------------------
# Mean squared error (regression)
# ---------------------------------------------------------------------------------------------


def mse(y_true, y_pred):
    """Mean squared error (no 1/2 factor).

        mse = (1/N) sum_i (y_pred_i - y_true_i)^2

    >>> mse([1, 2, 3], [1.5, 2, 2])   # 0.4166666666666667
    """
    raise NotImplementedError("TODO: implement mse")


def mse_grad(y_true, y_pred):
    """Gradient of mse with respect to y_pred.

        d mse / d y_pred_i = (2/N) (y_pred_i - y_true_i)

    >>> mse_grad([1, 2, 3], [1.5, 2, 2])   # [0.3333333333333333, 0, -0.6666666666666666]
    """
    raise NotImplementedError("TODO: implement mse_grad")


# ---------------------------------------------------------------------------------------------
# Binary cross-entropy (two classes, one probability per sample)
# ---------------------------------------------------------------------------------------------


def binary_cross_entropy(y_true, p):
    """Binary cross-entropy on probabilities p = P(y = 1).

        bce = -(1/N) sum_i [ y_i ln p_i + (1 - y_i) ln(1 - p_i) ]

    A term whose weight is 0 contributes 0 (0 * ln 0 is treated as 0), so
    binary_cross_entropy([1, 0], [1, 0]) is 0, not nan. A certain, wrong prediction costs inf.

    >>> binary_cross_entropy([1, 0, 1], [0.9, 0.2, 0.6])   # 0.2797765635793423
    """
    raise NotImplementedError("TODO: implement binary_cross_entropy")


def binary_cross_entropy_grad(y_true, p):
    """Gradient of binary_cross_entropy with respect to p.

        d bce / d p_i = (1/N) ( -y_i / p_i + (1 - y_i) / (1 - p_i) )

    Skip a term whose weight is 0: at y = p = 1 the gradient is -1/N (not nan).

    >>> binary_cross_entropy_grad([1, 0, 1], [0.9, 0.2, 0.6])
    [-0.3703703703703704, 0.4166666666666667, -0.5555555555555556]
    """
    raise NotImplementedError("TODO: implement binary_cross_entropy_grad")


def binary_cross_entropy_from_logits(y_true, z):
    """Binary cross-entropy computed from logits z (p = sigma(z)), in the numerically stable form

        bce = (1/N) sum_i [ max(z_i, 0) - z_i y_i + ln(1 + e^(-|z_i|)) ]

    Use np.log1p (or math.log1p) for ln(1 + .). binary_cross_entropy_from_logits([0], [100]) must be
    exactly 100.

    >>> binary_cross_entropy_from_logits([1, 0, 1], [2, -1, 0])   # 0.3777789597070469
    """
    raise NotImplementedError("TODO: implement binary_cross_entropy_from_logits")


def binary_cross_entropy_from_logits_grad(y_true, z):
    """Gradient of binary_cross_entropy_from_logits with respect to z. The sigma' factor cancels:

        d bce / d z_i = (sigma(z_i) - y_i) / N

    >>> binary_cross_entropy_from_logits_grad([1, 0, 1], [2, -1, 0])
    [-0.0397343073407059, 0.08964714045666504, -0.16666666666666666]
    """
    raise NotImplementedError("TODO: implement binary_cross_entropy_from_logits_grad")


# ---------------------------------------------------------------------------------------------
# Categorical cross-entropy (K classes, one-hot labels, one row per sample)
# ---------------------------------------------------------------------------------------------


def categorical_cross_entropy(y_true, p):
    """Categorical cross-entropy on probabilities (each row of p sums to 1; each row of y_true is one-hot).

        cce = -(1/N) sum_i sum_k y_ik ln p_ik

    Skip terms with y_ik = 0 (so a 0 in p where y is 0 is harmless).

    >>> categorical_cross_entropy([[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
    0.5249110622493389
    """
    raise NotImplementedError("TODO: implement categorical_cross_entropy")


def categorical_cross_entropy_grad(y_true, p):
    """Gradient of categorical_cross_entropy with respect to p.

        d cce / d p_ik = -y_ik / (N p_ik)        (0 where y_ik = 0)

    >>> categorical_cross_entropy_grad([[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
    [[0, -0.7142857142857143, 0], [-1, 0, 0]]
    """
    raise NotImplementedError("TODO: implement categorical_cross_entropy_grad")


def categorical_cross_entropy_from_logits(y_true, z):
    """Categorical cross-entropy from logits z (p = softmax(z) row-wise), computed stably with
    log-sum-exp:  ln p_ik = z_ik - LSE(z_i),  LSE(z_i) = m_i + ln sum_j e^(z_ij - m_i),  m_i = max_j z_ij.

        cce = (1/N) sum_i sum_k y_ik ( LSE(z_i) - z_ik )

    >>> categorical_cross_entropy_from_logits([[0, 1, 0], [1, 0, 0]], [[1, 2, 0], [0, 0, 0]])
    0.7531091265562451
    """
    raise NotImplementedError("TODO: implement categorical_cross_entropy_from_logits")


def categorical_cross_entropy_from_logits_grad(y_true, z):
    """Gradient of categorical_cross_entropy_from_logits with respect to z:

        d cce / d z_ik = (softmax(z)_ik - y_ik) / N

    >>> categorical_cross_entropy_from_logits_grad([[0, 1, 0], [1, 0, 0]], [[1, 2, 0], [0, 0, 0]])
    [[0.12236423552739882, -0.1673795221125891, 0.04501528658519023],
     [-0.33333333333333337, 0.16666666666666666, 0.16666666666666666]]
    """
    raise NotImplementedError("TODO: implement categorical_cross_entropy_from_logits_grad")


# ---------------------------------------------------------------------------------------------
# Classification error (what you report on validation and test data)
# ---------------------------------------------------------------------------------------------


def classification_error(y_true, scores):
    """Fraction of misclassified samples:  error = (number wrong) / N.

    - scores is a vector of probabilities P(y = 1): predicted label = 1 if p >= 0.5, else 0;
      y_true holds labels 0/1.
    - scores is a matrix (one row of class scores per sample): predicted class = index of the row's
      largest value (the first one on a tie, as np.argmax does); y_true holds class indices
      0 ... K-1 (as floats: compare them, do not index with them).

    >>> classification_error([1, 0, 1, 0], [0.8, 0.3, 0.4, 0.6])   # 0.5
    >>> classification_error([2, 0, 1], [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1], [0.2, 0.5, 0.3]])
    0.3333333333333333
    """
    raise NotImplementedError("TODO: implement classification_error")


if __name__ == "__main__":
    # Your own quick checks go here: this block runs with `python losses.py`, never when graded.
    print(mse([1, 2, 3], [1.5, 2, 2]))
