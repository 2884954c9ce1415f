/** Where the web view lives, and the paths its pages link to. */
export const UI = '/ui';
export const LOGIN = `${UI}/login`;
export const STATIC = `${UI}/static`;

/** A `next` target after sign-in: only a path of the web view itself (no open redirect). */
export function safeNext(value: string | null | undefined): string {
  if (!value || !value.startsWith(`${UI}/`) || value.startsWith('//') || /[\\\s]/.test(value)) return `${UI}/tasks`;
  return value;
}

export const loginPath = (next?: string) => (next ? `${LOGIN}?next=${encodeURIComponent(next)}` : LOGIN);
