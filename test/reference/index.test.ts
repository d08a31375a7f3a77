import * as reference from '../../reference';
import * as suite from '../../src/suite';
import { LOSSES_REFERENCE, TRAINING_REFERENCE } from '../../reference';

describe('reference barrel', () => {
  it('LOSSES_REFERENCE holds exactly the 13 assignment exports, each the same function as the named export', () => {
    const names = [
      'sigmoid',
      'softmax',
      'mse',
      'mseGrad',
      'binaryCrossEntropy',
      'binaryCrossEntropyGrad',
      'binaryCrossEntropyFromLogits',
      'binaryCrossEntropyFromLogitsGrad',
      'categoricalCrossEntropy',
      'categoricalCrossEntropyGrad',
      'categoricalCrossEntropyFromLogits',
      'categoricalCrossEntropyFromLogitsGrad',
      'classificationError',
    ];
    expect(Object.keys(LOSSES_REFERENCE).sort()).toEqual([...names].sort());
    const exported = reference as unknown as Record<string, unknown>;
    for (const [name, fn] of Object.entries(LOSSES_REFERENCE)) expect(fn).toBe(exported[name]);
    expect(Object.isFrozen(LOSSES_REFERENCE)).toBe(true);
  });

  it('TRAINING_REFERENCE holds trainBinary and trainSoftmax', () => {
    expect(Object.keys(TRAINING_REFERENCE).sort()).toEqual(['trainBinary', 'trainSoftmax']);
    expect(TRAINING_REFERENCE.trainBinary).toBe(reference.trainBinary);
    expect(TRAINING_REFERENCE.trainSoftmax).toBe(reference.trainSoftmax);
  });

  it('re-exports the helpers (activations, training internals); seeded inputs are mlgrade/suite\'s', () => {
    for (const name of [
      'sigmoidScalar',
      'logSigmoid',
      'logSumExp',
      'logSoftmax',
      'predictBinary',
      'predictSoftmax',
      'binaryLoss',
      'binaryGrad',
      'softmaxLoss',
      'softmaxGrad',
    ]) {
      expect(typeof (reference as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    for (const name of ['createRng', 'oneHot', 'makeBinaryBlobs', 'makeMultiClassBlobs', 'blobCentres']) {
      expect((reference as unknown as Record<string, unknown>)[name]).toBeUndefined();
      expect(typeof (suite as unknown as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('documented examples of the barrel hold', () => {
    expect(LOSSES_REFERENCE.mse([0, 0], [1, 3])).toBe(5);
    expect(TRAINING_REFERENCE.trainBinary([[1]], [0], { loss: 'bce', lr: 0.1, epochs: 0, w0: [0], b0: 0 }).history).toEqual([
      Math.LN2,
    ]);
  });
});
