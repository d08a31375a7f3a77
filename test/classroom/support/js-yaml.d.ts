/**
 * The part of js-yaml 3 the tests use (the package ships no types and @types/js-yaml is not a
 * dependency). `safeLoad` reads YAML 1.2 with the safe schema: plain data, no custom tags.
 */
declare module 'js-yaml' {
  export function safeLoad(text: string, options?: { filename?: string; json?: boolean }): unknown;
}
