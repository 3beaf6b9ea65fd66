// The sign-in page: pick a demo identity, go to the OpenID Connect provider, or paste a token.
import { beginOidc, demoIdentities, signInConfig, signInWithToken, tokenProblem } from './auth.js';
import { h, replace } from './el.js';
import { field, form, localProblem } from './form.js';
import { label, language, t } from './i18n.js';
import { asyncBlock, problemBox } from './ui.js';

function isResident(person) {
  return (person.roles || []).includes('resident');
}

function identityCard(person, done) {
  const title = language() === 'en' ? person.title_en : person.title_zh;
  return h('li', h('button', { type: 'button', class: 'identity', dataset: { key: person.key },
    onclick: () => { signInWithToken(person.token); done(); } },
  h('strong', person.name), h('span', title),
  h('small', (person.roles || []).map((r) => label(`role.${r}`, r)).join(' · '), ' — ',
    (person.communities || []).length > 3 ? t('signin.all_communities')
      : (person.communities || []).map((c) => label(`community.${c}`, c)).join('、'))));
}

function demoPicker(options, done) {
  return asyncBlock(async () => {
    const people = await demoIdentities();
    const wanted = options.signInFor === 'residents' ? people.filter(isResident) : people.filter((p) => !isResident(p));
    const others = people.filter((p) => !wanted.includes(p));
    return [
      h('ul', { class: 'identities' }, wanted.map((person) => identityCard(person, done))),
      others.length ? h('details', h('summary', t('signin.demo.others')),
        h('ul', { class: 'identities' }, others.map((person) => identityCard(person, done)))) : null,
    ];
  });
}

function tokenForm(done) {
  return form({
    fields: [field({ name: 'token', label: t('signin.token.label'), type: 'textarea', rows: 4, required: true,
      help: t('signin.token.help'), attrs: { autocomplete: 'off', spellcheck: 'false' } })],
    submitLabel: t('signin.token.submit'),
    onSubmit: async (values) => {
      const problem = values.token.trim() ? tokenProblem(values.token) : 'signin.token.missing';
      if (problem) throw localProblem({ token: [t(problem)] });
      signInWithToken(values.token);
      done();
    },
  });
}

/** The sign-in page for the mode the gateway announces (GET /auth/config). */
export function signInPage(options, done) {
  const body = h('div', { class: 'signin-body' });
  const page = h('section', { class: 'card signin' }, h('h1', t('signin.title')), body);
  signInConfig().then((config) => {
    if (config.mode === 'oidc') {
      const slot = h('div');
      replace(body, h('p', t('signin.oidc.intro')), slot,
        h('button', { type: 'button', class: 'btn btn-primary btn-large', onclick: async () => {
          try {
            await beginOidc(config, options.base, location.pathname + location.search);
          } catch (error) {
            replace(slot, problemBox(error));
          }
        } }, t('signin.oidc.button')));
    } else if (config.mode === 'demo') {
      replace(body, h('p', t(options.signInFor === 'residents' ? 'signin.demo.intro_residents' : 'signin.demo.intro_staff')),
        demoPicker(options, done),
        h('details', { class: 'token-signin' }, h('summary', t('signin.token.other')), tokenForm(done)));
    } else {
      replace(body, h('p', t('signin.token.intro')), tokenForm(done));
    }
  });
  return page;
}
