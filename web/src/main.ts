// The shell: header (title, language, user), navigation offered by role, the period and level
// pickers, and the current page. Routing is by hash: #/overview?from=2024-12-01&to=2025-01-01&by=city.
import './style.css';
import { api, ApiError, bulletinUrl, setCsrf, type Me } from './api';
import { allowed, isDate, levels, makeHash, parseHash, type Ctx, type Level, type Page } from './app';
import { chartsSettled, disposeAll } from './charts';
import { clearCache, latestFullMonth } from './data';
import { append, button, clear, h, notice } from './dom';
import { getLang, label, setLang, t } from './i18n';
import { alertsPage } from './pages/alerts';
import { auditPage } from './pages/audit';
import { channelsPage } from './pages/channels';
import { diagnosisPage } from './pages/diagnosis';
import { importsPage } from './pages/imports';
import { overviewPage } from './pages/overview';
import { publicPage } from './pages/public';
import { regionsPage } from './pages/regions';
import { reviewsPage } from './pages/reviews';
import { sharingPage } from './pages/sharing';
import { signinPage } from './pages/signin';
import { supplyPage } from './pages/supply';
import { usersPage } from './pages/users';

const pages: Page[] = [
  overviewPage, regionsPage, channelsPage, sharingPage, reviewsPage, alertsPage, diagnosisPage, supplyPage,
  importsPage, usersPage, auditPage, publicPage, signinPage,
];

let me: Me | null = null;
let defaults = { from: '', to: '' };
let renderSeq = 0;
let firstRender = true;

function setMe(m: Me | null): void {
  me = m;
  setCsrf(m ? m.csrf : '');
  clearCache();
}

function header(page: Page | undefined): HTMLElement {
  const right = h('div', { class: 'header-tools' });
  append(
    right,
    button(t('app.lang'), () => {
      setLang(getLang() === 'zh' ? 'en' : 'zh');
      render();
    }, { id: 'lang-switch', lang: getLang() === 'zh' ? 'en' : 'zh', 'aria-label': t('app.langSwitch') }),
    button(t('app.print'), () => window.print(), { class: 'secondary' }),
  );
  if (me) {
    const scope = me.scope.region ? [me.scope.region, ...me.scope.depts].join(' / ') : t('app.scopeAll');
    append(
      right,
      h('span', { class: 'whoami', id: 'whoami' }, t('app.signedInAs', { user: me.user, role: label('role', me.role) }), ' · ', t('app.scope', { scope })),
      button(t('app.signOut'), async () => {
        try {
          await api.signOut();
        } catch {
          /* an expired session is signed out already */
        }
        setMe(null);
        location.hash = '#/public';
      }, { id: 'sign-out' }),
    );
  } else if (page?.id !== 'signin') {
    append(right, h('a', { class: 'button', href: '#/signin', id: 'sign-in-link' }, t('app.signIn')));
  }
  const nav = h('nav', { 'aria-label': t('nav.main'), id: 'nav' });
  const list = h('ul');
  for (const p of pages) {
    if (!allowed(p, me) || (p.id === 'signin' && me)) continue;
    const current = p === page;
    list.appendChild(h('li', {}, h('a', { href: `#/${p.id}${keepQuery()}`, 'aria-current': current ? 'page' : null, 'data-page': p.id }, t(p.title))));
  }
  nav.appendChild(list);
  return h('div', { class: 'header-inner' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-title' }, t('app.title')), h('span', { class: 'brand-sub' }, t('app.subtitle'))),
    right, nav);
}

/** The period and level of the current hash, to carry over when switching pages. */
function keepQuery(): string {
  const q = parseHash().query;
  const keep = new URLSearchParams();
  for (const k of ['from', 'to', 'by']) {
    const v = q.get(k);
    if (v) keep.set(k, v);
  }
  const s = keep.toString();
  return s ? `?${s}` : '';
}

function controls(page: Page, ctx: Ctx): HTMLElement | null {
  if (!page.period && !page.level) return null;
  const bar = h('form', { class: 'controls', id: 'controls', 'aria-label': t('ctl.period') });
  if (page.period) {
    const from = h('input', { type: 'date', id: 'ctl-from', name: 'from', value: ctx.from, required: true });
    const to = h('input', { type: 'date', id: 'ctl-to', name: 'to', value: ctx.to, required: true });
    append(
      bar,
      h('label', { class: 'field', for: 'ctl-from' }, h('span', {}, t('ctl.from')), from),
      h('label', { class: 'field', for: 'ctl-to' }, h('span', {}, t('ctl.to')), to),
      h('button', { type: 'submit', id: 'ctl-apply' }, t('ctl.apply')),
      button(t('ctl.latest'), () => ctx.go({ from: defaults.from, to: defaults.to }), { class: 'secondary', id: 'ctl-latest' }),
    );
    bar.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (isDate(from.value) && isDate(to.value) && from.value < to.value) {
        ctx.go({ from: from.value, to: to.value });
      } else {
        to.setCustomValidity(t('ctl.badPeriod'));
        to.reportValidity();
        to.setCustomValidity('');
      }
    });
  }
  if (page.level) {
    const sel = h('select', { id: 'ctl-level', name: 'by' }, levels.map((l) => h('option', { value: l, selected: l === ctx.by }, t(`level.${l}`))));
    sel.addEventListener('change', () => ctx.go({ by: sel.value }));
    append(bar, h('label', { class: 'field', for: 'ctl-level' }, h('span', {}, t('ctl.level')), sel));
  }
  if (me && page.period) {
    const by = ctx.by;
    const dl = h('span', { class: 'downloads' }, h('span', { class: 'downloads-label' }, t('ctl.downloads')),
      h('a', { href: bulletinUrl({ from: ctx.from, to: ctx.to, by, format: 'html', lang: getLang() }), id: 'dl-html', download: '' }, t('ctl.bulletinHtml')),
      ' · ',
      h('a', { href: bulletinUrl({ from: ctx.from, to: ctx.to, by, format: 'xlsx', lang: getLang() }), id: 'dl-xlsx', download: '' }, t('ctl.bulletinXlsx')));
    bar.appendChild(dl);
  }
  return bar;
}

async function render(): Promise<void> {
  const seq = ++renderSeq;
  const route = parseHash();
  let page = pages.find((p) => p.id === route.page);
  if (!route.page) page = me ? pages[0] : pages.find((p) => p.id === 'public');
  document.body.removeAttribute('data-ready');
  document.body.removeAttribute('data-complete');
  disposeAll();
  const top = document.getElementById('top')!;
  const main = document.getElementById('main')!;
  clear(top);
  clear(main);
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  top.appendChild(header(page));
  if (!page) {
    main.appendChild(notice(t('app.notFound'), 'error'));
    return;
  }
  if (!allowed(page, me)) {
    if (me && page.who === 'anonymous') {
      location.hash = '#/overview'; // signed in already
      return;
    }
    if (!me) {
      location.hash = `#/signin?next=${encodeURIComponent(route.page)}`;
      return;
    }
    main.appendChild(h('h1', {}, t(page.title)));
    main.appendChild(notice(t('app.notAllowed'), 'error'));
    document.body.dataset.ready = 'forbidden';
    return;
  }
  const q = route.query;
  const by = (levels as string[]).includes(q.get('by') ?? '') ? (q.get('by') as Level) : 'city';
  const from = isDate(q.get('from')) ? q.get('from')! : defaults.from;
  const to = isDate(q.get('to')) ? q.get('to')! : defaults.to;
  const params = new URLSearchParams(q);
  const body = h('div', { class: 'page', id: `page-${page.id}` });
  const late: Promise<unknown>[] = [];
  const ctx: Ctx = {
    later: (work) => void late.push(work.catch((e: Error) => body.appendChild(notice(t('app.error', { message: e.message }), 'error')))),
    me,
    from,
    to,
    by,
    params,
    go: (changes, target) => {
      const next = new URLSearchParams(target && target !== page!.id ? '' : q.toString());
      next.set('from', from);
      next.set('to', to);
      next.set('by', by);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      location.hash = makeHash(target ?? page!.id, next);
    },
  };
  document.title = `${t(page.title)} · ${t('app.title')}`;
  const h1 = h('h1', { tabindex: '-1', id: 'page-title' }, t(page.title));
  main.appendChild(h1);
  const bar = controls(page, ctx);
  if (bar) main.appendChild(bar);
  main.appendChild(body);
  if (!firstRender) h1.focus({ preventScroll: true });
  firstRender = false;
  try {
    performance.mark('govqm:render-start');
    await page.render(body, ctx);
    performance.mark('govqm:page-built');
    await chartsSettled();
    performance.mark('govqm:charts-drawn');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && me) {
      // The session ended (idle or absolute expiry, or signed out elsewhere): sign in again.
      setMe(null);
      location.hash = `#/signin?next=${encodeURIComponent(page.id)}`;
      return;
    }
    body.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
  }
  if (seq !== renderSeq) return;
  document.body.dataset.ready = page.id;
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  await Promise.all(late);
  await chartsSettled();
  if (seq !== renderSeq) return;
  document.body.dataset.complete = page.id;
  document.body.dataset.completeMs = String(Math.round(performance.now()));
}

/** The sign-in page says who signed in (an event, so pages do not import the shell). */
function onSignedIn(ev: Event): void {
  const { me: m, next } = (ev as CustomEvent<{ me: Me; next: string | null }>).detail;
  setMe(m);
  const target = `#/${next && pages.some((p) => p.id === next) ? next : 'overview'}`;
  if (location.hash === target) void render();
  else location.hash = target;
}

async function boot(): Promise<void> {
  setLang(getLang());
  const [m, period] = await Promise.all([api.me().catch(() => null), latestFullMonth()]);
  setMe(m);
  defaults = period;
  window.addEventListener('hashchange', () => void render());
  window.addEventListener('govqm:signed-in', onSignedIn);
  await render();
}

// Printing shows every table: the folded ones open for the print and fold again after it.
let openedForPrint: HTMLDetailsElement[] = [];
window.addEventListener('beforeprint', () => {
  openedForPrint = [...document.querySelectorAll<HTMLDetailsElement>('details.data-table:not([open])')];
  for (const d of openedForPrint) d.open = true;
});
window.addEventListener('afterprint', () => {
  for (const d of openedForPrint) d.open = false;
  openedForPrint = [];
});

void boot();
