// The page contract, the roles' permissions, and hash routing (#/page?from=…&to=…&by=…).
import type { Me, Role } from './api';
import type { Key } from './i18n';

export type Level = 'city' | 'region' | 'dept';
export const levels: Level[] = ['city', 'region', 'dept'];

export interface Ctx {
  me: Me | null;
  from: string;
  to: string;
  by: Level;
  /** The page's own parameters (everything in the hash's query besides from/to/by). */
  params: URLSearchParams;
  /** Sets some of the page's parameters (null removes one) and routes there. */
  go: (params: Record<string, string | null>, page?: string) => void;
  /**
   * Work that may finish after the first screen (what lies below the fold): the page is marked
   * ready (data-ready) once render() and its charts are done, complete (data-complete) once
   * these are too.
   */
  later: (work: Promise<unknown>) => void;
}

export interface Page {
  id: string;
  title: Key;
  /** Who may see it: roles, 'anonymous' (signed out) or 'anyone'. */
  who: Role[] | 'anonymous' | 'anyone';
  /** Whether the level picker applies. */
  level?: boolean;
  /** Whether the period picker applies. */
  period?: boolean;
  render: (el: HTMLElement, ctx: Ctx) => Promise<void>;
}

export const scoped: Role[] = ['admin', 'supervisor', 'operator', 'auditor'];

/** What each role may do beyond reading aggregates (service.md §3–§4, src/server/routes.cc). */
export const may = {
  records: (me: Me | null) => !!me && ['admin', 'supervisor', 'operator'].includes(me.role),
  cases: (me: Me | null) => !!me && ['admin', 'supervisor', 'operator'].includes(me.role),
  actOnCases: (me: Me | null) => !!me && ['supervisor', 'operator'].includes(me.role),
  invalidate: (me: Me | null) => !!me && me.role === 'supervisor',
  import: (me: Me | null) => !!me && ['admin', 'operator'].includes(me.role),
  users: (me: Me | null) => !!me && me.role === 'admin',
  audit: (me: Me | null) => !!me && ['admin', 'auditor'].includes(me.role),
};

export function allowed(page: Page, me: Me | null): boolean {
  if (page.who === 'anyone') return true;
  if (page.who === 'anonymous') return me === null;
  return me !== null && page.who.includes(me.role);
}

export interface Route {
  page: string;
  query: URLSearchParams;
}

export function parseHash(hash: string = location.hash): Route {
  const s = hash.replace(/^#\/?/, '');
  const q = s.indexOf('?');
  const page = (q < 0 ? s : s.slice(0, q)) || '';
  return { page, query: new URLSearchParams(q < 0 ? '' : s.slice(q + 1)) };
}

export function makeHash(page: string, query: URLSearchParams): string {
  const s = query.toString();
  return `#/${page}${s ? `?${s}` : ''}`;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
export function isDate(s: string | null): s is string {
  return !!s && datePattern.test(s);
}
