// Sign-in: POST /api/v1/session with {user, password}; the answer (user, role, scope, csrf) goes
// to the shell, which keeps the CSRF token for state-changing requests.
import { api } from '../api';
import type { Page } from '../app';
import { h, notice } from '../dom';
import { t } from '../i18n';

export const signinPage: Page = {
  id: 'signin',
  title: 'signin.title',
  who: 'anonymous',
  async render(el, ctx) {
    const user = h('input', { id: 'signin-user', name: 'user', autocomplete: 'username', required: true });
    const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const status = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'card signin', id: 'signin-form' },
      h('label', { class: 'field', for: 'signin-user' }, h('span', {}, t('signin.user')), user),
      h('label', { class: 'field', for: 'signin-password' }, h('span', {}, t('signin.password')), password),
      h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit')),
      status,
      h('p', {}, h('a', { href: '#/public' }, t('signin.public'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      status.replaceChildren();
      try {
        const me = await api.signIn(user.value, password.value);
        window.dispatchEvent(new CustomEvent('govqm:signed-in', { detail: { me, next: ctx.params.get('next') } }));
      } catch (e) {
        password.value = '';
        status.appendChild(notice(t('signin.failed', { message: (e as Error).message }), 'error'));
        password.focus();
      }
    });
    el.appendChild(form);
    requestAnimationFrame(() => user.focus());
  },
};
