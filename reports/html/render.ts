/**
 * Renders the HTML report models with the handlebars templates beside this file
 * (`reports/html/*.hbs`, `partials/*.hbs`, `style.css`, `sort-table.js`). The templates are read
 * from the package root, not from next to the compiled code: tsc does not copy them to dist/.
 *
 * Every page is one self-contained file: CSS and scripts inline, charts as inline SVG, and a
 * Content-Security-Policy that forbids any request (`default-src 'none'`); the dashboard's one
 * script is allowed by its SHA-256 hash.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../../src/paths';
import type { DashboardView, SubmissionRow } from './dashboardView';
import type { SubmissionView } from './submissionView';

/** Folder of the templates and assets. */
export function templateDir(): string {
  return path.join(packageRoot(), 'reports', 'html');
}

interface Templates {
  submission: Handlebars.TemplateDelegate;
  dashboard: Handlebars.TemplateDelegate;
  dashboardRow: Handlebars.TemplateDelegate;
  css: string;
  sortScript: string;
}

let cached: Templates | undefined;

function read(file: string): string {
  const full = path.join(templateDir(), file);
  try {
    return fs.readFileSync(full, 'utf8');
  } catch (error) {
    throw new Error(`mlgrade html report: cannot read the template ${full} (${(error as Error).message})`, { cause: error });
  }
}

function load(): Templates {
  if (cached) return cached;
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('add', (a: number, b: number) => a + b);
  hbs.registerHelper('plural', (n: number, one: string, many: string) => (n === 1 ? one : many));
  const partials = path.join(templateDir(), 'partials');
  for (const file of fs.readdirSync(partials).filter((f) => f.endsWith('.hbs')).sort()) {
    hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partials, file), 'utf8'));
  }
  cached = {
    // {{ }} escapes everything that comes from a result (student text included); {{{ }}} is used
    // only for our own CSS, script and CSP.
    submission: hbs.compile(read('submission.hbs')),
    dashboard: hbs.compile(read('dashboard.hbs')),
    dashboardRow: hbs.compile(read('dashboard-row.hbs')),
    css: read('style.css').trim(),
    sortScript: read('sort-table.js').trim(),
  };
  return cached;
}

/** `'sha256-…'` source expression of an inline script, for the Content-Security-Policy. */
export function scriptHash(script: string): string {
  return `'sha256-${crypto.createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

function csp(scripts: string[]): string {
  const scriptSrc = scripts.length ? scripts.map(scriptHash).join(' ') : "'none'";
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}; base-uri 'none'; form-action 'none'`;
}

/** The HTML page of one submission (student or instructor view, as the view says). */
export function renderSubmissionHtml(view: SubmissionView): string {
  const t = load();
  const scope = view.selfCheck ? ' (self-check: public tests only)' : '';
  const pageTitle = `${view.submission} — ${view.assignment}: ${view.score.score}/${view.score.maxScore}${scope}${view.instructor ? ' (instructor view)' : ''}`;
  return t.submission({ ...view, pageTitle, css: t.css, csp: csp([]) });
}

/**
 * Where the submissions table's rows go in the rendered page: the page template prints it raw
 * (`{{{rowsSlot}}}`), the page is cut there, and it never reaches the output. Student text is
 * escaped everywhere else, so no submission id can produce it.
 */
const ROWS_SLOT = '<!--mlgrade:dashboard-rows-->';

/** The dashboard page around its submission rows: everything before the first row and after the last. */
export function renderDashboardFrame(view: Omit<DashboardView, 'rows'>): { head: string; tail: string } {
  const t = load();
  const pageTitle = `${view.title} — class dashboard`;
  const page = t.dashboard({ ...view, rows: undefined, rowsSlot: ROWS_SLOT, pageTitle, css: t.css, script: t.sortScript, csp: csp([t.sortScript]) });
  const at = page.indexOf(ROWS_SLOT);
  return { head: page.slice(0, at), tail: page.slice(at + ROWS_SLOT.length) };
}

/** One row of the dashboard's submissions table. */
export function renderDashboardRow(row: SubmissionRow): string {
  return load().dashboardRow(row);
}

/** The HTML page of the class dashboard. */
export function renderDashboardHtml(view: DashboardView): string {
  const { head, tail } = renderDashboardFrame(view);
  return head + view.rows.map(renderDashboardRow).join('') + tail;
}
