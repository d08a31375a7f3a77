/**
 * The HTML reports in a real headless Chromium (the system's /usr/bin/chromium, driven by
 * playwright-core; no browser is downloaded): pages load from file:// without errors or any
 * other request, the student view holds no hidden values or captured output, the dashboard sorts
 * by mouse and keyboard, the charts are drawn, and on a 390 px phone nothing is wider than the
 * screen except inside a sideways-scrolling box and no title is cut.
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
/** A second class for the phone tests: long ids, a long load failure, a self-check. */
let phoneOut: string;
const LONG_ID = 'a-submission-folder-named-with-a-very-long-identifier_0123456789abcdef';

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

  phoneOut = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-html-phone-'));
  const noEntry = loadFailedResult('smith_jo_LATE_1234567_99887766');
  noEntry.load = {
    status: 'failed',
    reason: 'no-entry',
    message: 'no losses.ts or losses.js in the folder smith_jo_LATE_1234567_99887766_losses-final-version-really-final-v2 (found: notes.txt, losses.py, README.md, data.csv)',
  };
  const phone = [sampleResult({ submission: 'alice' }), sampleResult({ submission: LONG_ID }), noEntry, perfectResult('carol'), sampleResult({ submission: 'self-check', scope: 'public' })];
  const phoneRun = { ...run, outDir: phoneOut };
  for (const result of phone) await htmlReporter.onResult!(result, phoneRun);
  await htmlReporter.onRunComplete!(phone, phoneRun);
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
  const url = pathToFileURL(path.isAbsolute(file) ? file : path.join(out, file)).href;
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

/**
 * What does not fit a phone, in the page: elements reaching past the screen's edge outside a
 * sideways-scrolling box (overflow-x auto or scroll), scroll boxes that reach past it themselves
 * or cannot be scrolled by keyboard, and titles (captions, table titles, headings, banners,
 * paragraphs outside tables) that are cut: past the screen, past their scroll box, or
 * overflowing their own box. Every <details> is opened first.
 */
const PHONE_PROBLEMS = `(() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const vw = document.documentElement.clientWidth;
  const skip = (el) => el.closest('.visually-hidden, .skip-link, title, desc');
  const scroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return p;
    }
    return null;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  const wide = [], scrollBoxes = [], cut = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (skip(el)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if ((r.left < -0.5 || r.right > vw + 0.5) && !scroller(el)) wide.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  for (const box of document.querySelectorAll('*')) {
    const o = getComputedStyle(box).overflowX;
    if (o !== 'auto' && o !== 'scroll') continue;
    const r = box.getBoundingClientRect();
    if (r.left < -0.5 || r.right > vw + 0.5) scrollBoxes.push('reaches past the screen: ' + name(box));
    if (box.scrollWidth > box.clientWidth + 1 && box.tabIndex < 0) scrollBoxes.push('scrolls but cannot take focus: ' + name(box));
  }
  for (const el of document.querySelectorAll('caption, .table-title, h1, h2, h3, summary, figcaption, .eyebrow, .banner, p, li.fix, dt, dd')) {
    if (skip(el) || (el.closest('table') && el.tagName !== 'CAPTION')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    const box = scroller(el);
    const b = box ? box.getBoundingClientRect() : { left: 0, right: vw };
    if (r.left < Math.max(0, b.left) - 0.5 || r.right > Math.min(vw, b.right) + 0.5 || el.scrollWidth > el.clientWidth + 1) cut.push(name(el));
  }
  return { pageOverflow: document.documentElement.scrollWidth - vw, wide, scrollBoxes, cut };
})()`;

interface PhoneProblems {
  pageOverflow: number;
  wide: string[];
  scrollBoxes: string[];
  cut: string[];
}

const phonePage = (id: string, file: 'report.html' | 'report.instructor.html') => path.join(phoneOut, pageFile(id, file));

test.each([
  ['student report', () => phonePage('alice', 'report.html')],
  ['instructor report', () => phonePage('alice', 'report.instructor.html')],
  ['student report with a long id', () => phonePage(LONG_ID, 'report.html')],
  ['student report that did not load', () => phonePage('smith_jo_LATE_1234567_99887766', 'report.html')],
  ['self-check report', () => phonePage('self-check', 'report.html')],
  ['dashboard', () => path.join(phoneOut, 'index.html')],
])('the %s fits a 390 px phone: nothing wider than the screen outside a scroll box, no title cut', async (_what, file) => {
  const { page } = await open(file(), { width: 390, height: 844 });
  const problems = await page.evaluate<PhoneProblems>(PHONE_PROBLEMS);
  expect(problems).toEqual({ pageOverflow: 0, wide: [], scrollBoxes: [], cut: [] });
});

test('on a phone the wide tables scroll in their own box, and the dashboard keeps the submission column in view', async () => {
  const { page } = await open(phonePage('alice', 'report.html'), { width: 390, height: 844 });
  const values = page.locator('table.values').first();
  const box = values.locator('xpath=..');
  const tableWidth = await values.evaluate((t) => t.getBoundingClientRect().width);
  const boxWidth = await box.evaluate((b) => b.clientWidth);
  expect(tableWidth).toBeGreaterThan(boxWidth); // the test exercises a table that must scroll
  await expect(page.locator('.table-title', { hasText: 'Values' }).first().innerText()).resolves.toMatch(/the worst \(5\) is marked/);

  const dashboard = (await open(path.join(phoneOut, 'index.html'), { width: 390, height: 844 })).page;
  const scroller = dashboard.locator('#submissions').locator('xpath=..');
  const idCell = dashboard.locator('#submissions tbody th.id').first();
  const left = () => idCell.evaluate((c) => c.getBoundingClientRect().left);
  const before = await left();
  await scroller.evaluate((s) => {
    s.scrollLeft = 400;
  });
  expect(await scroller.evaluate((s) => s.scrollLeft)).toBeGreaterThan(100);
  expect(await left()).toBeCloseTo(before, 0);
  await expect(dashboard.locator('#submissions tbody tr', { hasText: 'smith' }).innerText()).resolves.toContain('no entry file was found');
});

test('no page logged an error or made a request while it was used (sorting included)', () => {
  expect(opened.size).toBeGreaterThanOrEqual(11);
  for (const { url, requests, problems } of opened.values()) {
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  }
});
