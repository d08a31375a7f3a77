/**
 * Marks for the parts of a grader message that are the student's own words — an error message
 * their code raised, a name their code defines, a string it returned — so that rewriting the
 * grader's words for another language (src/suite/studentLanguage.ts turns `mseGrad(yTrue, yPred)`
 * into `mse_grad(y_true, y_pred)` for Python) never rewrites the student's. The marks are two
 * private-use characters, removed before anything is written ({@link unmark}).
 */

/** Opens a verbatim span. */
export const VERBATIM_OPEN = '\uE000';
/** Closes a verbatim span. */
export const VERBATIM_CLOSE = '\uE001';

/**
 * `text` marked as the student's own words (any marks inside it are dropped first, so spans never nest).
 *
 * @example `threw ${verbatim(error.message)}`
 */
export function verbatim(text: string): string {
  return text ? `${VERBATIM_OPEN}${unmark(text)}${VERBATIM_CLOSE}` : text;
}

/** `text` without verbatim marks. */
export function unmark(text: string): string {
  return text.includes(VERBATIM_OPEN) || text.includes(VERBATIM_CLOSE) ? text.replace(/[\uE000\uE001]/g, '') : text;
}

/**
 * Applies `rewrite` to the parts of `text` outside verbatim spans and removes the marks.
 *
 * @example rewriteOutsideVerbatim(`mseGrad threw ${verbatim('fooBar')}`, (t) => t.toUpperCase()) // returns 'MSEGRAD THREW fooBar'
 */
export function rewriteOutsideVerbatim(text: string, rewrite: (part: string) => string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(VERBATIM_OPEN, at);
    if (open < 0) {
      out += rewrite(text.slice(at));
      break;
    }
    out += rewrite(text.slice(at, open));
    const close = text.indexOf(VERBATIM_CLOSE, open + 1);
    const end = close < 0 ? text.length : close;
    out += text.slice(open + 1, end);
    at = end + 1;
  }
  return out.replace(/[\uE000\uE001]/g, '');
}
