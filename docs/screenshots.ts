/**
 * Regenerates the README's screenshots of the HTML reports from real grading output:
 * grades every example submission of the losses assignment with the built CLI, then captures
 * the top of the student report of `grad-missing-1-over-n` (down to its first failed test) and of
 * the class dashboard (down to the ninth submission) in headless Chromium.
 *
 *   npm run build && npx ts-node docs/screenshots.ts
 *
 * Needs the system's Chromium at /usr/bin/chromium (Debian: `apt-get install chromium`);
 * playwright-core drives it and never downloads a browser.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { reportPath } from '../reports/html';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshot from the top of the page down to the bottom of `until` (plus a margin). */
async function capture(page: Page, url: string, file: string, until: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  const box = await page.locator(until).first().boundingBox();
  if (!box) throw new Error(`screenshots: nothing matches ${until} in ${url}`);
  const width = page.viewportSize()!.width;
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width, height: Math.ceil(box.y + box.height + 8) }, fullPage: true });
  const kb = Math.round(fs.statSync(file).size / 1024);
  process.stdout.write(`${path.relative(ROOT, file)}: ${kb} KB\n`);
  if (kb > 300) throw new Error(`screenshots: ${file} is ${kb} KB, more than 300 KB`);
}

async function main(): Promise<void> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-screenshots-'));
  const grade = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mlgrade.js'), 'grade', 'losses', path.join(ROOT, 'assignments', 'losses', 'examples'), '--out', out], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (grade.status !== 0) throw new Error(`screenshots: grading the examples failed (exit ${grade.status})`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const student = await browser.newPage({ viewport: { width: 1000, height: 800 }, colorScheme: 'light' });
    await capture(student, pathToFileURL(reportPath(out, 'grad-missing-1-over-n', 'student')).href, path.join(__dirname, 'report-student.png'), 'li.test--failed');
    const dashboard = await browser.newPage({ viewport: { width: 1200, height: 800 }, colorScheme: 'light' });
    await capture(dashboard, pathToFileURL(path.join(out, 'index.html')).href, path.join(__dirname, 'dashboard.png'), '#submissions tbody tr:nth-child(9)');
  } finally {
    await browser.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
