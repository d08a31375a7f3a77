/**
 * The one adapter around jest's `runCLI` (jest has no supported programmatic API; this keeps
 * the dependency on it in one place). Runs generated entry files — one per submission — with
 * the compiled grading suites, in parallel jest workers, and reports each file as it finishes.
 */
import * as path from 'node:path';
import { registerRun } from './jestReporter';
import { publicModuleFiles } from '../publicModules';

export interface SuiteRunOptions {
  /** Folder holding the generated `*.grade.js` entry files. */
  workDir: string;
  maxWorkers: number;
  /**
   * Run the files in worker processes even when jest would run them in this one (a single file
   * or a single worker), so that a grader crash cannot take the orchestrator down with it.
   */
  workersOnly?: boolean;
  /** Called once per entry file, with jest's message when the file could not run. */
  onFileDone: (entryFile: string, failure: string | undefined) => void;
}

/** jest moduleNameMapper entries mapping mlgrade's public module names to this engine's files. */
function publicModules(): Record<string, string> {
  return Object.fromEntries(Object.entries(publicModuleFiles()).map(([name, file]) => [`^${name}$`, file]));
}

export async function runSuites(options: SuiteRunOptions): Promise<void> {
  const unregister = registerRun(options.onFileDone);
  // Loaded lazily: jest is heavy and only grading needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCLI } = require('jest') as typeof import('jest');
  const config = {
    rootDir: options.workDir,
    roots: [options.workDir],
    testMatch: ['**/*.grade.js'],
    // Suites and references are TypeScript (a course's, or this package's built-in ones).
    transform: { '\\.[cm]?tsx?$': require.resolve('./suiteTransform') },
    transformIgnorePatterns: [],
    // A suite's `mlgrade/suite` and `mlgrade/reference` are this very engine's modules (the ones
    // the generated entry files use), wherever the course is and however mlgrade was installed.
    moduleNameMapper: publicModules(),
    testEnvironment: 'node',
    testRunner: path.join(__dirname, 'quietCircus.js'),
    // Per-call limits live in the sandbox; this only guards against a grader bug.
    testTimeout: 30 * 60 * 1000,
    cacheDirectory: path.join(options.workDir, '.jest-cache'),
    haste: { enableSymlinks: false },
  };
  try {
    await runCLI(
      {
        _: [],
        $0: 'mlgrade',
        config: JSON.stringify(config),
        silent: true,
        ci: true,
        watchman: false,
        reporters: [path.join(__dirname, 'jestReporter.js')],
        runInBand: options.maxWorkers <= 1 && !options.workersOnly,
        // jest runs in band (in this process) only when no idle-memory limit is set; the limit
        // also recycles a worker whose heap has grown past it between files.
        ...(options.workersOnly ? { workerIdleMemoryLimit: '1GB' } : {}),
        maxWorkers: options.maxWorkers,
      } as unknown as Parameters<typeof runCLI>[0],
      [options.workDir],
    );
  } finally {
    unregister();
  }
}
