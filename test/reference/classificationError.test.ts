import { classificationError } from '../../reference';

describe('classificationError with probabilities (number[])', () => {
  it('predicts 1 when p ≥ 0.5 and counts the fraction wrong', () => {
    expect(classificationError([1, 0, 1], [0.9, 0.4, 0.2])).toBe(1 / 3);
    expect(classificationError([1, 0, 1, 0], [0.51, 0.49, 0.99, 0.01])).toBe(0);
    expect(classificationError([0, 1], [0.51, 0.49])).toBe(1);
  });

  it('puts the threshold itself on the positive side: p = 0.5 → label 1', () => {
    expect(classificationError([1], [0.5])).toBe(0);
    expect(classificationError([0], [0.5])).toBe(1);
    expect(classificationError([0], [0.49999999999999994])).toBe(0); // largest double below 0.5
  });

  it('rejects labels other than 0/1, and length mismatches, naming the index or lengths', () => {
    expect(() => classificationError([2], [0.7])).toThrow('classificationError: yTrue[0] must be 0 or 1 when scores are probabilities, got 2');
    expect(() => classificationError([1, 0], [0.7])).toThrow('classificationError: yTrue has length 2 but scores has length 1');
    expect(() => classificationError([], [])).toThrow('classificationError: yTrue is empty');
  });
});

describe('classificationError with class scores (number[][])', () => {
  it('predicts the argmax of each row', () => {
    const scores = [
      [0.1, 0.7, 0.2],
      [0.6, 0.3, 0.1],
      [0.2, 0.2, 0.6],
      [-3, 5, 4], // logits work too
    ];
    expect(classificationError([1, 0, 2, 1], scores)).toBe(0);
    expect(classificationError([0, 0, 2, 2], scores)).toBe(0.5);
  });

  it('breaks ties towards the first maximum', () => {
    expect(classificationError([0], [[0.5, 0.5, 0]])).toBe(0);
    expect(classificationError([1], [[0.5, 0.5, 0]])).toBe(1);
    expect(classificationError([1], [[0, 0.4, 0.4]])).toBe(0);
    expect(classificationError([0, 0], [[1, 1, 1], [0, 0, 0]])).toBe(0);
  });

  it('rejects out-of-range or non-integer class indices and ragged rows', () => {
    expect(() => classificationError([3], [[0.1, 0.2, 0.7]])).toThrow('classificationError: yTrue[0] must be a class index in [0, 3), got 3');
    expect(() => classificationError([0.5], [[0.1, 0.9]])).toThrow('classificationError: yTrue[0] must be a class index in [0, 2), got 0.5');
    expect(() => classificationError([0, 1], [[0.1, 0.9], [1]])).toThrow(
      'classificationError: scores[1] has length 1 but scores[0] has length 2',
    );
  });
});
