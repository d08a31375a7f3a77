/**
 * Progress of a bulk run: a bar with done/total, rate and ETA on a TTY (cli-progress), one
 * line per submission otherwise (CI logs, pipes).
 */
import { SingleBar } from 'cli-progress';
import type { SubmissionResult } from '../types';
import { formatGradeLine, type Palette } from '../../reports/console';

export interface Progress {
  done(result: SubmissionResult): void;
  stop(): void;
}

/** The id column of a run's lines: as wide as its longest id, within 32 to 60 characters. */
export function idColumnWidth(ids: readonly string[]): number {
  return Math.min(60, Math.max(32, ...ids.map((id) => id.length)));
}

/** `ids`: the submissions to be graded, whose lines are aligned on the longest. */
export function createProgress(ids: readonly string[], stream: NodeJS.WriteStream, p: Palette): Progress {
  const total = ids.length;
  const width = idColumnWidth(ids);
  if (!stream.isTTY || total < 2) {
    return { done: (result) => stream.write(formatGradeLine(result, p, width) + '\n'), stop: () => undefined };
  }
  const bar = new SingleBar({
    format: 'grading [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted} | {last}',
    stream,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  const started = Date.now();
  bar.start(total, 0, { rate: '0.0', last: '' });
  // Their lines, not the results: a run does not hold its results (a class can be large).
  const lowScores: string[] = [];
  return {
    done: (result) => {
      if (result.score < result.maxScore) lowScores.push(formatGradeLine(result, p, width));
      const seconds = (Date.now() - started) / 1000;
      bar.increment(1, { rate: (bar.getProgress() * total / Math.max(seconds, 0.001)).toFixed(1), last: result.submission.slice(0, 24) });
    },
    stop: () => {
      bar.stop();
      // After the bar: the submissions that did not get full marks, for a first look.
      for (const line of lowScores) stream.write(line + '\n');
    },
  };
}
