/**
 * Mutants of the training assignment: the reference trainers with one deliberate mistake each,
 * which the suite must catch (`mlgrade validate training`). One per usual mistake and one per rule
 * of the handout (README.md §2–§4): exactly `epochs` updates, history[0] before any update, the
 * history's length, the loss opts.loss names, computed from the logits, inputs left unchanged, the
 * same η in every epoch, the plain gradient of the loss (no penalty, no momentum), every parameter
 * descending.
 *
 * Each `mutate` runs inside the sandbox, bundled with the reference: it uses only the reference's
 * exports (`R`) and plain JavaScript. The gradient-descent loops below rebuild the reference's
 * trainer from R.binaryGrad / R.softmaxGrad with one rule changed.
 */
import { defineMutants, type ReferenceExports } from 'mlgrade/suite';

type Matrix = number[][];
type Vector = number[];

/** The reference functions the mutants use. */
interface Reference {
  trainBinary(X: Matrix, y: Vector, o: BinaryOptions): { w: Vector; b: number; history: Vector };
  trainSoftmax(X: Matrix, Y: Matrix, o: SoftmaxOptions): { W: Matrix; b: Vector; history: Vector };
  binaryLoss(X: Matrix, y: Vector, w: Vector, b: number, loss: 'bce' | 'mse'): number;
  binaryGrad(X: Matrix, y: Vector, w: Vector, b: number, loss: 'bce' | 'mse'): { dw: Vector; db: number };
  softmaxLoss(X: Matrix, Y: Matrix, W: Matrix, b: Vector): number;
  softmaxGrad(X: Matrix, Y: Matrix, W: Matrix, b: Vector): { dW: Matrix; db: Vector };
  predictBinary(X: Matrix, w: Vector, b: number): Vector;
  predictSoftmax(X: Matrix, W: Matrix, b: Vector): Matrix;
}
interface BinaryOptions {
  loss: 'bce' | 'mse';
  lr: number;
  epochs: number;
  w0: Vector;
  b0: number;
}
interface SoftmaxOptions {
  lr: number;
  epochs: number;
  W0: Matrix;
  b0: Vector;
}

/** Parameters of either model, flattened: weights (W row by row) and biases. */
interface Params {
  w: Vector;
  b: Vector;
}

/** One model's view for the generic loop: loss and gradient at flattened parameters, and the result. */
interface Model {
  start: Params;
  loss(p: Params): number;
  grad(p: Params): Params;
  result(p: Params, history: Vector): unknown;
}

const ref = (R: ReferenceExports) => R as unknown as Reference;

function unflatten(w: Vector, k: number): Matrix {
  const W: Matrix = [];
  for (let i = 0; i < w.length; i += k) W.push(w.slice(i, i + k));
  return W;
}

function binaryModel(R: Reference, X: Matrix, y: Vector, o: BinaryOptions, recordLoss: 'bce' | 'mse' = o.loss, gradLoss: 'bce' | 'mse' = o.loss): Model {
  return {
    start: { w: o.w0.slice(), b: [o.b0] },
    loss: (p) => R.binaryLoss(X, y, p.w, p.b[0], recordLoss),
    grad: (p) => {
      const g = R.binaryGrad(X, y, p.w, p.b[0], gradLoss);
      return { w: g.dw, b: [g.db] };
    },
    result: (p, history) => ({ w: p.w, b: p.b[0], history }),
  };
}

function softmaxModel(R: Reference, X: Matrix, Y: Matrix, o: SoftmaxOptions): Model {
  const k = o.b0.length;
  return {
    start: { w: o.W0.flat(), b: o.b0.slice() },
    loss: (p) => R.softmaxLoss(X, Y, unflatten(p.w, k), p.b),
    grad: (p) => {
      const g = R.softmaxGrad(X, Y, unflatten(p.w, k), p.b);
      return { w: g.dW.flat(), b: g.db };
    },
    result: (p, history) => ({ W: unflatten(p.w, k), b: p.b, history }),
  };
}

/** An update rule: the new parameters from the current ones, the gradient there, the epoch t (0-based) and a memory. */
type Rule = (p: Params, g: Params, t: number, memory: Record<string, Params>) => Params;

const descent = (lr: number): Rule => (p, g) => ({ w: p.w.map((x, j) => x - lr * g.w[j]), b: p.b.map((x, k) => x - lr * g.b[k]) });

/** Full-batch gradient descent with `rule`; `stop(history)` may end it early. */
function train(model: Model, epochs: number, rule: Rule, stop?: (history: Vector) => boolean): unknown {
  let p = model.start;
  const history = [model.loss(p)];
  const memory: Record<string, Params> = {};
  for (let t = 0; t < epochs; t++) {
    if (stop?.(history)) break;
    p = rule(p, model.grad(p), t, memory);
    history.push(model.loss(p));
  }
  return model.result(p, history);
}

/** Both trainers with the same update rule (built from η). */
function withRule(R: ReferenceExports, rule: (lr: number) => Rule, stop?: (history: Vector) => boolean): Record<string, unknown> {
  const r = ref(R);
  return {
    ...R,
    trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => train(binaryModel(r, X, y, o), o.epochs, rule(o.lr), stop),
    trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => train(softmaxModel(r, X, Y, o), o.epochs, rule(o.lr), stop),
  };
}

/** Both trainers with the reference's result transformed. */
function withResult(R: ReferenceExports, change: (result: { history: Vector }, model: 'binary' | 'softmax') => unknown): Record<string, unknown> {
  const r = ref(R);
  return {
    ...R,
    trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => change(r.trainBinary(X, y, o), 'binary'),
    trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => change(r.trainSoftmax(X, Y, o), 'softmax'),
  };
}

export default defineMutants([
  // ---- the update rule -------------------------------------------------------------------------
  {
    name: 'gradient-ascent',
    description: 'both trainers step up the gradient (w + lr·∇L)',
    mutate: (R) => withRule(R, (lr) => descent(-lr)),
  },
  {
    name: 'lr-applied-twice',
    description: 'both trainers apply the learning rate twice (steps 2× too long)',
    mutate: (R) => withRule(R, (lr) => descent(2 * lr)),
  },
  {
    name: 'sum-instead-of-mean',
    description: 'the gradient sums over the samples (steps N× too long)',
    mutate: (R) => {
      const r = ref(R);
      const rule = (lr: number, n: number): Rule => (p, g) => descent(lr * n)(p, g, 0, {});
      return {
        ...R,
        trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => train(binaryModel(r, X, y, o), o.epochs, rule(o.lr, X.length)),
        trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => train(softmaxModel(r, X, Y, o), o.epochs, rule(o.lr, X.length)),
      };
    },
  },
  {
    name: 'no-bias',
    description: 'the bias is never updated (its gradient is dropped)',
    mutate: (R) => withRule(R, (lr) => (p, g) => ({ w: p.w.map((x, j) => x - lr * g.w[j]), b: p.b.slice() })),
  },
  {
    name: 'bias-sign',
    description: 'the bias is updated with the wrong sign (b + lr·∂L/∂b), the weights are right',
    mutate: (R) => withRule(R, (lr) => (p, g) => ({ w: p.w.map((x, j) => x - lr * g.w[j]), b: p.b.map((x, k) => x + lr * g.b[k]) })),
  },
  {
    name: 'mse-without-sigmoid-slope',
    description: "trainBinary's MSE gradient omits σ′(z): ∂L/∂z = 2(p − y)/N",
    mutate: (R) => {
      const r = ref(R);
      return {
        ...R,
        trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => {
          if (o.loss !== 'mse') return r.trainBinary(X, y, o);
          const model = binaryModel(r, X, y, o);
          // 2(p − y)/N is exactly twice cross-entropy's ∂L/∂z.
          model.grad = (p) => {
            const g = r.binaryGrad(X, y, p.w, p.b[0], 'bce');
            return { w: g.dw.map((v) => 2 * v), b: [2 * g.db] };
          };
          return train(model, o.epochs, descent(o.lr));
        },
      };
    },
  },
  {
    name: 'bce-gradient-for-mse',
    description: "trainBinary follows cross-entropy's gradient whatever opts.loss says (the history uses opts.loss)",
    mutate: (R) => {
      const r = ref(R);
      return { ...R, trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => train(binaryModel(r, X, y, o, o.loss, 'bce'), o.epochs, descent(o.lr)) };
    },
  },
  {
    name: 'lr-decay',
    description: 'the learning rate decays: η_t = η / (1 + 0.05·t)',
    mutate: (R) => withRule(R, (lr) => (p, g, t) => descent(lr / (1 + 0.05 * t))(p, g, t, {})),
  },
  {
    name: 'weight-decay',
    description: 'the weights also decay toward 0 (λ = 0.01, an L2 penalty in the update only)',
    mutate: (R) => withRule(R, (lr) => (p, g) => ({ w: p.w.map((x, j) => x - lr * (g.w[j] + 0.01 * x)), b: p.b.map((x, k) => x - lr * g.b[k]) })),
  },
  {
    name: 'momentum',
    description: 'heavy-ball momentum β = 0.9: v ← βv + ∇L, θ ← θ − η·v',
    mutate: (R) =>
      withRule(R, (lr) => (p, g, _t, memory) => {
        const v = memory.v ? { w: memory.v.w.map((x, j) => 0.9 * x + g.w[j]), b: memory.v.b.map((x, k) => 0.9 * x + g.b[k]) } : g;
        memory.v = v;
        return descent(lr)(p, v, 0, {});
      }),
  },
  {
    name: 'stale-gradient',
    description: 'the gradient is computed once, at the initial parameters, and reused in every epoch',
    mutate: (R) =>
      withRule(R, (lr) => (p, g, _t, memory) => {
        memory.g ??= g;
        return descent(lr)(p, memory.g, 0, {});
      }),
  },
  // ---- the number of updates -------------------------------------------------------------------
  {
    name: 'early-stopping',
    description: 'training stops once the loss changes by less than 1e-10 between epochs',
    mutate: (R) => withRule(R, (lr) => descent(lr), (h) => h.length >= 2 && Math.abs(h[h.length - 1] - h[h.length - 2]) < 1e-10),
  },
  {
    name: 'one-update-short',
    description: 'the loop runs epochs − 1 times (history has epochs values, all right)',
    mutate: (R) => {
      const r = ref(R);
      return {
        ...R,
        trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => r.trainBinary(X, y, { ...o, epochs: Math.max(0, o.epochs - 1) }),
        trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => r.trainSoftmax(X, Y, { ...o, epochs: Math.max(0, o.epochs - 1) }),
      };
    },
  },
  // ---- the history -----------------------------------------------------------------------------
  {
    name: 'history-off-by-one',
    description: 'history lacks the loss before the first update (length epochs)',
    mutate: (R) => withResult(R, (r) => ({ ...r, history: r.history.slice(1) })),
  },
  {
    name: 'history-recorded-before-update',
    description: 'the loss is recorded at the top of each epoch, before the update: the last one is missing',
    mutate: (R) => withResult(R, (r) => ({ ...r, history: r.history.slice(0, -1) })),
  },
  {
    name: 'returns-before-last-update',
    description: 'the history is complete but the parameters returned are those before the last update',
    mutate: (R) => {
      const r = ref(R);
      const before = <T>(o: T & { epochs: number }) => ({ ...o, epochs: Math.max(0, o.epochs - 1) });
      return {
        ...R,
        trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => ({ ...r.trainBinary(X, y, before(o)), history: r.trainBinary(X, y, o).history }),
        trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => ({ ...r.trainSoftmax(X, Y, before(o)), history: r.trainSoftmax(X, Y, o).history }),
      };
    },
  },
  {
    name: 'history-wrong-loss',
    description: "trainBinary records cross-entropy in the history even when opts.loss is 'mse'",
    mutate: (R) => {
      const r = ref(R);
      return { ...R, trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => train(binaryModel(r, X, y, o, 'bce', o.loss), o.epochs, descent(o.lr)) };
    },
  },
  {
    name: 'loss-from-probabilities',
    description: 'the recorded loss is −mean(y·ln p + (1 − y)·ln(1 − p)) / −mean Σ Y·ln P: ln 0 = −∞ at a saturated start',
    mutate: (R) => {
      const r = ref(R);
      const bce = (X: Matrix, y: Vector, p: Params) => {
        const q = r.predictBinary(X, p.w, p.b[0]);
        return -q.reduce((s, qi, i) => s + (y[i] === 1 ? Math.log(qi) : Math.log(1 - qi)), 0) / y.length;
      };
      const cce = (X: Matrix, Y: Matrix, p: Params) => {
        const P = r.predictSoftmax(X, unflatten(p.w, p.b.length), p.b);
        return -P.reduce((s, row, i) => s + row.reduce((t, pk, k) => t + (Y[i][k] === 1 ? Math.log(pk) : 0), 0), 0) / Y.length;
      };
      return {
        ...R,
        trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => {
          const model = binaryModel(r, X, y, o);
          if (o.loss === 'bce') model.loss = (p) => bce(X, y, p);
          return train(model, o.epochs, descent(o.lr));
        },
        trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => {
          const model = softmaxModel(r, X, Y, o);
          model.loss = (p) => cce(X, Y, p);
          return train(model, o.epochs, descent(o.lr));
        },
      };
    },
  },
  // ---- the inputs ------------------------------------------------------------------------------
  {
    name: 'mutates-input',
    description: 'the initial weights are overwritten with the trained ones',
    mutate: (R) => {
      const r = ref(R);
      return {
        ...R,
        trainBinary: (X: Matrix, y: Vector, o: BinaryOptions) => {
          const result = r.trainBinary(X, y, o);
          result.w.forEach((v, j) => (o.w0[j] = v));
          return result;
        },
        trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => {
          const result = r.trainSoftmax(X, Y, o);
          result.W.forEach((row, j) => row.forEach((v, k) => (o.W0[j][k] = v)));
          return result;
        },
      };
    },
  },
  {
    name: 'shares-W0-rows',
    description: 'trainSoftmax copies W0 with W0.slice(): its rows are shared and updated in place',
    mutate: (R) => {
      const r = ref(R);
      return {
        ...R,
        trainSoftmax: (X: Matrix, Y: Matrix, o: SoftmaxOptions) => {
          const W = o.W0.slice();
          const b = o.b0.slice();
          const history = [r.softmaxLoss(X, Y, W, b)];
          for (let t = 0; t < o.epochs; t++) {
            const g = r.softmaxGrad(X, Y, W, b);
            W.forEach((row, j) => row.forEach((v, k) => (row[k] = v - o.lr * g.dW[j][k])));
            b.forEach((v, k) => (b[k] = v - o.lr * g.db[k]));
            history.push(r.softmaxLoss(X, Y, W, b));
          }
          return { W: W.map((row) => row.slice()), b, history };
        },
      };
    },
  },
]);
