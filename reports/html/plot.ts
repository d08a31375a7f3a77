/**
 * Geometry of the inline SVG charts (loss curves, score histogram): pure functions that turn
 * numbers into coordinates, tick marks and path strings. The templates only draw what these
 * return, so every chart works from file:// and as an e-mail or LMS attachment.
 */
import type { Curve } from '../../src/types';
import { formatNumber } from './values';

/** Inner drawing area of a chart, in SVG user units. */
export interface Frame {
  width: number;
  height: number;
  /** Margins around the drawing area. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Right and bottom edges of the drawing area. */
  plotRight: number;
  plotBottom: number;
  /** Where tick labels go: x of the y-axis labels, y of the x-axis labels, y of the axis title. */
  yLabelX: number;
  xLabelY: number;
  titleY: number;
}

/** A frame of `width` × `height` with the given margins. */
export function frame(width: number, height: number, margins: { left: number; right: number; top: number; bottom: number }): Frame {
  return {
    width,
    height,
    ...margins,
    plotRight: width - margins.right,
    plotBottom: height - margins.bottom,
    yLabelX: margins.left - 6,
    xLabelY: height - margins.bottom + 16,
    titleY: height - 6,
  };
}

/** One labelled tick mark on an axis. */
export interface Tick {
  /** Position along the axis, in SVG units. */
  at: number;
  label: string;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * "Nice" tick values (1, 2, 2.5 or 5 × 10^k) covering [min, max], about `count` of them.
 *
 * @example niceTicks(0, 0.93, 5) // returns [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last && ticks.length <= 50; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** One drawn series of a line plot. */
export interface SeriesView {
  label: string;
  /** Index into the palette (colour and dash pattern both differ, so colour is never the only cue). */
  style: number;
  /** SVG path data; a non-finite value breaks the line. */
  path: string;
  /** Coordinates of the last drawn point (a marker, so short series stay visible). */
  end?: { x: number; y: number };
  steps: number;
  first: string;
  last: string;
  min: string;
  /** e.g. "non-finite from step 12", "3 values above the plot drawn at its top edge". */
  note?: string;
}

/** The template model of `partials/line-plot.hbs`. */
export interface LinePlotView {
  frame: Frame;
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  series: SeriesView[];
  /** A sentence describing the plot, for screen readers (SVG <desc>). */
  description: string;
  /** Set when the y axis was cut to keep the converging curves readable. */
  clipNote?: string;
}

/** The most points drawn per series; longer curves are thinned (first and last are kept). */
export const MAX_POINTS = 400;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Line plot of loss curves (x = step index, y = value). The y axis starts at 0 for non-negative
 * data and, when one curve blows up (more than 10× the largest starting value of the curves),
 * is cut at a round number ≥ 2× that starting value, with the clipped points drawn on the top edge and a note —
 * so a diverging student curve does not flatten the reference curve into the x axis.
 */
export function linePlot(curves: readonly Curve[], options: { width?: number; height?: number; xLabel?: string; yLabel?: string } = {}): LinePlotView {
  const box = frame(options.width ?? 560, options.height ?? 270, { left: 60, right: 16, top: 26, bottom: 42 });
  const finite = curves.flatMap((c) => c.values.filter(isFiniteNumber));
  const longest = Math.max(1, ...curves.map((c) => c.values.length));
  let yMin = finite.length ? Math.min(...finite) : 0;
  let yMax = finite.length ? Math.max(...finite) : 1;
  const starts = curves.map((c) => c.values.find(isFiniteNumber)).filter(isFiniteNumber).map(Math.abs);
  const startScale = starts.length ? Math.max(...starts) : 0;
  let clipAt: number | undefined;
  if (startScale > 0 && yMax > 10 * startScale) {
    // Cut at a round number at or above twice the largest start.
    const ticks = niceTicks(0, 2 * startScale, 5);
    clipAt = ticks[ticks.length - 1];
    yMax = clipAt;
  }
  if (yMin >= 0 && yMin <= 0.5 * yMax) yMin = 0;
  const yValues = niceTicks(yMin, yMax, 5);
  const yLow = Math.min(yMin, yValues[0] ?? yMin);
  const yHigh = clipAt ?? Math.max(yMax, yValues[yValues.length - 1] ?? yMax);
  const xHigh = Math.max(1, longest - 1);
  const innerW = box.width - box.left - box.right;
  const innerH = box.height - box.top - box.bottom;
  const sx = (i: number) => round(box.left + (i / xHigh) * innerW);
  const sy = (v: number) => round(box.top + innerH - ((Math.min(v, yHigh) - yLow) / (yHigh - yLow || 1)) * innerH);
  const series = curves.map((curve, index): SeriesView => {
    const stride = Math.max(1, Math.ceil(curve.values.length / MAX_POINTS));
    let path = '';
    let pen = false;
    let end: { x: number; y: number } | undefined;
    for (let i = 0; i < curve.values.length; i++) {
      if (i % stride !== 0 && i !== curve.values.length - 1) continue;
      const v = curve.values[i];
      if (!isFiniteNumber(v)) {
        pen = false;
        continue;
      }
      end = { x: sx(i), y: sy(v) };
      path += `${pen ? 'L' : 'M'}${end.x} ${end.y}`;
      pen = true;
    }
    const values = curve.values.filter(isFiniteNumber);
    const firstBad = curve.values.findIndex((v) => !isFiniteNumber(v));
    const clipped = clipAt === undefined ? 0 : values.filter((v) => v > clipAt!).length;
    const notes = [
      firstBad >= 0 ? `non-finite from step ${firstBad}` : '',
      clipped ? `${clipped} value${clipped === 1 ? '' : 's'} above ${formatNumber(clipAt)} drawn at the top edge` : '',
    ].filter(Boolean);
    return {
      label: curve.label,
      style: index % 5,
      path,
      end,
      steps: curve.values.length,
      first: formatNumber(curve.values[0] ?? undefined),
      last: formatNumber(curve.values[curve.values.length - 1] ?? undefined),
      min: values.length ? formatNumber(Math.min(...values)) : 'non-finite',
      note: notes.join('; ') || undefined,
    };
  });
  const xTicks = niceTicks(0, xHigh, 6)
    .filter((t) => t <= xHigh && Number.isInteger(t))
    .map((t) => ({ at: sx(t), label: formatNumber(t) }));
  const yTicks = yValues.filter((t) => t >= yLow && t <= yHigh + 1e-12).map((t) => ({ at: sy(t), label: formatNumber(t) }));
  const description = curves
    .map((c, i) => `${c.label}: ${series[i].steps} steps, from ${series[i].first} to ${series[i].last}${series[i].note ? ` (${series[i].note})` : ''}`)
    .join('. ');
  return {
    frame: box,
    xTicks,
    yTicks,
    xLabel: options.xLabel ?? 'step',
    yLabel: options.yLabel ?? 'loss',
    series,
    description: description ? `${description}.` : 'No values.',
    clipNote: clipAt !== undefined ? `The y axis is cut at ${formatNumber(clipAt)}: larger values are drawn on the top edge.` : undefined,
  };
}

/** One bar of the score histogram. */
export interface BinView {
  /** "0–9 %", …, "90–100 %". */
  label: string;
  from: number;
  to: number;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Centre of the bar, for the count label. */
  centre: number;
}

/** The template model of `partials/histogram.hbs`. */
export interface HistogramView {
  frame: Frame;
  bins: BinView[];
  yTicks: Tick[];
  /** Baseline y coordinate. */
  base: number;
  description: string;
}

/**
 * Score percentages counted in ten bins of 10 points: [0, 10), [10, 20), …, [90, 100] (a full
 * score falls in the last bin).
 *
 * @example histogramCounts([0, 55, 100, 95]) // returns [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]
 */
export function histogramCounts(percents: readonly number[], bins = 10): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const p of percents) {
    if (!Number.isFinite(p)) continue;
    const index = Math.min(bins - 1, Math.max(0, Math.floor((p / 100) * bins)));
    counts[index] += 1;
  }
  return counts;
}

/** The histogram chart of score percentages (see `histogramCounts`). */
export function histogram(percents: readonly number[], options: { width?: number; height?: number } = {}): HistogramView {
  const box = frame(options.width ?? 480, options.height ?? 250, { left: 36, right: 8, top: 30, bottom: 44 });
  const counts = histogramCounts(percents);
  const top = Math.max(1, ...counts);
  const ticks = niceTicks(0, top, Math.min(5, top)).filter((t) => Number.isInteger(t));
  const yHigh = Math.max(top, ticks[ticks.length - 1] ?? top);
  const innerW = box.width - box.left - box.right;
  const innerH = box.height - box.top - box.bottom;
  const base = box.top + innerH;
  const slot = innerW / counts.length;
  const bins = counts.map((count, i): BinView => {
    const height = round((count / yHigh) * innerH);
    const x = round(box.left + i * slot + 2);
    return {
      label: i === counts.length - 1 ? '90–100' : `${i * 10}–${i * 10 + 9}`,
      from: i * 10,
      to: i === counts.length - 1 ? 100 : i * 10 + 10,
      count,
      x,
      y: round(base - height),
      width: round(slot - 4),
      height,
      centre: round(box.left + (i + 0.5) * slot),
    };
  });
  const yTicks = ticks.map((t) => ({ at: round(base - (t / yHigh) * innerH), label: String(t) }));
  const description = `Score distribution of ${percents.length} submission${percents.length === 1 ? '' : 's'}: ${bins
    .filter((b) => b.count > 0)
    .map((b) => `${b.count} scored ${b.label} %`)
    .join(', ')}.`;
  return { frame: box, bins, yTicks, base, description };
}
