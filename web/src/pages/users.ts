// Users (admin): GET/POST /api/v1/users and POST /api/v1/users/{name}/disable.
import { api, ApiError, type User } from '../api';
import type { Page } from '../app';
import { append, button, clear, h, notice, section, table } from '../dom';
import { label, t } from '../i18n';

const roles = ['admin', 'supervisor', 'operator', 'auditor'];

function usersOf(body: unknown): User[] {
  if (Array.isArray(body)) return body as User[];
  const u = (body as { users?: User[] } | null)?.users;
  return Array.isArray(u) ? u : [];
}

export const usersPage: Page = {
  id: 'users',
  title: 'users.title',
  who: ['admin'],
  async render(el, ctx) {
    let list: User[];
    try {
      list = usersOf(await api.users());
    } catch (e) {
      el.appendChild(notice(e instanceof ApiError && e.status === 404 ? t('app.notYet', { path: 'GET /api/v1/users' }) : t('app.error', { message: (e as Error).message }), e instanceof ApiError && e.status === 404 ? 'info' : 'error'));
      return;
    }
    const status = h('div', { 'aria-live': 'polite' });
    el.appendChild(section(t('users.title'), table(t('users.title'), [
      { head: t('common.name'), cell: (u: User) => u.name },
      { head: t('users.role'), cell: (u) => label('role', u.role) },
      { head: t('users.region'), cell: (u) => u.region ?? '—' },
      { head: t('users.depts'), cell: (u) => (u.depts ?? []).join(', ') || '—' },
      { head: t('users.status'), cell: (u) => (u.disabled ? t('users.disabled') : t('users.active')) },
      { head: '', cell: (u) => (u.disabled || u.name === ctx.me?.user ? '' : button(t('users.disable'), async () => {
        try {
          await api.disableUser(u.name);
          ctx.go({ t: String(Date.now()) });
        } catch (e) {
          clear(status);
          status.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
        }
      }, { 'data-disable': u.name })) },
    ], list, { rowHeader: true, id: 'users-table' }), status));
    const name = h('input', { id: 'user-name', required: true, autocomplete: 'off' });
    const role = h('select', { id: 'user-role' }, roles.map((r) => h('option', { value: r }, label('role', r))));
    const region = h('input', { id: 'user-region', inputmode: 'numeric' });
    const depts = h('input', { id: 'user-depts' });
    const password = h('input', { id: 'user-password', type: 'password', minlength: 10, required: true, autocomplete: 'new-password' });
    const form = h('form', { class: 'card', id: 'user-form' }, h('h2', {}, t('users.add')),
      ...([['user-name', 'common.name', name], ['user-role', 'users.role', role], ['user-region', 'users.region', region], ['user-depts', 'users.depts', depts], ['user-password', 'users.password', password]] as const)
        .map(([id, k, input]) => h('label', { class: 'field', for: id }, h('span', {}, t(k)), input)),
      h('button', { type: 'submit', id: 'user-submit' }, t('users.add')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(status);
      try {
        await api.addUser({
          name: name.value.trim(), role: role.value, password: password.value,
          region: region.value.trim() || undefined,
          depts: depts.value.trim() ? depts.value.split(',').map((d) => d.trim()).filter(Boolean) : undefined,
        });
        password.value = '';
        ctx.go({ t: String(Date.now()) });
      } catch (e) {
        status.appendChild(notice(t('app.error', { message: (e as Error).message }), 'error'));
      }
    });
    append(el, form);
  },
};
