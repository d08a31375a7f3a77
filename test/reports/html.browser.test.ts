/**
 * The HTML reports in a real headless Chromium (the system's /usr/bin/chromium, driven by
 * playwright-core; no browser is downloaded): pages load from file:// without errors or any
 * other request, the student view holds no hidden values or captured output, the dashboard sorts
 * by mouse and keyboard, the charts are drawn, and phones get no sideways page scrolling.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { htmlReporter } from '../../reports/html';
import { SUBMISSIONS_DIR, submissionFolder } from '../../reports/layout';
import type { RunInfo } from '../../reports/reporter';
import type { SubmissionResult } from '../../src/types';
import { SECRET, loadFailedResult, perfectResult, sampleResult } from './fixtures';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let out: string;

/** Four submissions with distinct scores: alice 6, bob 0 (did not load), carol 14, dave 10. */
function classResults(): SubmissionResult[] {
  const dave = sampleResult({ submission: 'dave' });
  dave.tests = dave.tests.map((t) => (t.function === 'train' || t.id === 'mseGrad.gradient.reference' ? { ...t, status: 'passed', score: t.maxScore } : t));
  dave.score = dave.tests.reduce((s, t) => s + t.score, 0);
  return [sampleResult({ submission: 'alice' }), loadFailedResult('bob'), perfectResult('carol'), dave];
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-html-browser-'));
  const run: RunInfo = { assignment: { id: 'losses', title: 'Losses and their gradients' }, outDir: out, scope: 'all', startedAt: new Date('2026-11-25T14:00:00Z') };
  const results = classResults();
  for (const result of results) await htmlReporter.onResult!(result, run);
  await htmlReporter.onRunComplete!(results, run);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  url: string;
  requests: string[];
  problems: string[];
}

const opened = new Map<string, Opened>();

/** Opens a page once per file and viewport width (Chromium is slow to start pages on a busy CI machine). */
async function open(file: string, viewport = { width: 1100, height: 900 }): Promise<Opened> {
  const key = `${file}@${viewport.width}`;
  const known = opened.get(key);
  if (known) return known;
  const page = await browser.newPage({ viewport });
  const url = pathToFileURL(path.join(out, file)).href;
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(url, { waitUntil: 'load' });
  const result = { page, url, requests, problems };
  opened.set(key, result);
  return result;
}

/** A submission's page, relative to the output folder. */
const pageFile = (id: string, file: 'report.html' | 'report.instructor.html') => path.join(SUBMISSIONS_DIR, submissionFolder(id), file);

const PAGES = [pageFile('alice', 'report.html'), pageFile('alice', 'report.instructor.html'), pageFile('bob', 'report.html'), pageFile('carol', 'report.instructor.html'), 'index.html'];

test.each(PAGES)('%s loads from file:// with no console errors and no other request', async (file) => {
  const { page, url, requests, problems } = await open(file);
  expect(problems).toEqual([]);
  expect(requests).toEqual([url]);
  expect(await page.title()).not.toBe('');
});

test('the student view shows no hidden input, expected or got value, message, or captured output; the instructor view does', async () => {
  const student = await open(pageFile('alice', 'report.html'));
  const instructor = await open(pageFile('alice', 'report.instructor.html'));
  const studentHtml = await student.page.content();
  const instructorHtml = await instructor.page.content();
  for (const secret of ['123.456789', '123.4568', '98.76543', '55.55512', 'hidden-message-marker', 'hidden-call-marker', SECRET.curveLabel, 'captured-output-marker']) {
    expect(studentHtml).not.toContain(secret);
  }
  for (const secret of ['123.4568', '98.76543', '55.55512', 'hidden-message-marker', 'hidden-call-marker', SECRET.curveLabel, 'captured-output-marker']) {
    expect(instructorHtml).toContain(secret);
  }
  // The hidden test is still listed, with its points and a pass/fail that is not colour only.
  const hidden = student.page.locator('li.test', { hasText: 'matches the reference on a larger seeded batch' });
  await expect(hidden.locator('.status').innerText()).resolves.toBe('Failed');
  await expect(hidden.locator('.points').innerText()).resolves.toMatch(/0\/2/);
  // Captured output is an instructor-only section; the student page does not mention it.
  expect(await student.page.locator('#output-title').count()).toBe(0);
  await expect(instructor.page.locator('pre.output').innerText()).resolves.toContain('<script>alert("x")</script>');
});

test('a submission that did not load says so first, prominently', async () => {
  const { page } = await open(pageFile('bob', 'report.html'));
  const alert = page.getByRole('alert');
  await expect(alert.innerText()).resolves.toMatch(/Your submission could not be loaded[\s\S]*syntax error: '\)' expected/);
  const box = await alert.boundingBox();
  expect(box!.y).toBeLessThan(400);
});

test('loss curves and the comparison table are drawn', async () => {
  const { page } = await open(pageFile('alice', 'report.html'));
  const plot = page.locator('li.test', { hasText: 'training reduces the loss' }).locator('svg.chart');
  await expect(plot.count()).resolves.toBe(1);
  await expect(plot.locator('path.series').count()).resolves.toBe(2);
  const width = await plot.evaluate((svg) => svg.getBoundingClientRect().width);
  expect(width).toBeGreaterThan(200);
  await expect(plot.locator('title').textContent()).resolves.toContain('train');
  const legend = page.locator('li.test', { hasText: 'training reduces the loss' }).locator('.legend');
  await expect(legend.innerText()).resolves.toMatch(/your loss[\s\S]*reference loss/);
  const worst = page.locator('table.values tr.worst');
  await expect(worst.first().innerText()).resolves.toMatch(/5\s+worst[\s\S]*-0\.598984[\s\S]*-4\.791872/i);
});

test('the dashboard draws the histogram and sorts submissions by clicking and by keyboard', async () => {
  const { page } = await open('index.html');
  await expect(page.locator('svg.chart rect.bar').count()).resolves.toBe(10);
  const ids = () => page.locator('#submissions tbody th[scope="row"]').allInnerTexts();
  const header = (name: string) => page.locator('#submissions thead th', { has: page.getByRole('button', { name, exact: true }) });
  expect(await ids()).toEqual(['alice', 'bob', 'carol', 'dave']);
  await expect(header('Submission').getAttribute('aria-sort')).resolves.toBe('ascending');

  await page.getByRole('button', { name: 'Score', exact: true }).click();
  expect(await ids()).toEqual(['bob', 'alice', 'dave', 'carol']);
  await expect(header('Score').getAttribute('aria-sort')).resolves.toBe('ascending');
  await expect(header('Submission').getAttribute('aria-sort')).resolves.toBeNull();

  await page.getByRole('button', { name: 'Score', exact: true }).click();
  expect(await ids()).toEqual(['carol', 'dave', 'alice', 'bob']);
  await expect(header('Score').getAttribute('aria-sort')).resolves.toBe('descending');

  await page.getByRole('button', { name: 'Submission', exact: true }).focus();
  await page.keyboard.press('Enter');
  expect(await ids()).toEqual(['alice', 'bob', 'carol', 'dave']);
  await page.keyboard.press('Space');
  expect(await ids()).toEqual(['dave', 'carol', 'bob', 'alice']);
  await expect(page.locator('#sort-status').textContent()).resolves.toMatch(/Sorted by Submission, descending/);

  // Every link to a report is relative and points at a file that exists.
  const hrefs = await page.locator('#submissions a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs).toHaveLength(8);
  for (const href of hrefs) {
    expect(href).not.toMatch(/^[a-z]+:|^\//i);
    expect(fs.existsSync(fileURLToPath(new URL(href, page.url())))).toBe(true);
  }
});

test.each([pageFile('alice', 'report.html'), 'index.html'])('%s fits a phone screen: no sideways page scrolling', async (file) => {
  const { page } = await open(file, { width: 360, height: 740 });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
});

test('no page logged an error or made a request while it was used (sorting included)', () => {
  expect(opened.size).toBeGreaterThanOrEqual(7);
  for (const { url, requests, problems } of opened.values()) {
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  }
});
