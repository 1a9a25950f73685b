// The console's frame: the token login, the sections and the view for the address's #fragment
// (#/apps, #/apps/NAME, #/cluster, #/scenarios). Each view gets a scope that ends its polls and
// streams when another view replaces it.

import {api, session, onBudget, onUnauthorized} from './api.js';
import {h, fill} from './dom.js';
import {Scope} from './poll.js';
import {report, clearProblems, attempt} from './problems.js';
import {appsView} from './apps.js';
import {appView} from './app.js';
import {clusterView} from './cluster.js';
import {scenariosView} from './scenarios.js';

const main = document.getElementById('main');
let scope = new Scope();

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'apps' && parts[1]) {
    return {section: 'apps', title: parts[1], render: (el, sc) => appView(el, sc, parts[1])};
  }
  if (parts[0] === 'cluster') {
    return {section: 'cluster', title: 'Cluster', render: clusterView};
  }
  if (parts[0] === 'scenarios') {
    return {section: 'scenarios', title: 'Scenarios', render: scenariosView};
  }
  return {section: 'apps', title: 'Apps', render: appsView};
}

function show() {
  scope.close();
  scope = new Scope();
  const loggedIn = session.token() !== null;
  document.getElementById('nav').hidden = !loggedIn;
  document.getElementById('logout').hidden = !loggedIn;
  if (!loggedIn) {
    document.title = 'Log in · Manifold';
    login();
    return;
  }
  const view = route();
  document.title = `${view.title} · Manifold`;
  for (const a of document.querySelectorAll('#nav a')) {
    a.toggleAttribute('aria-current', a.dataset.section === view.section);
  }
  main.replaceChildren();
  view.render(main, scope);
  main.focus({preventScroll: true});
}

function login(problem) {
  const input = h('input', {id: 'token', name: 'token', type: 'password', required: true, autocomplete: 'current-password',
    'aria-describedby': 'token-hint'});
  const button = h('button', {type: 'submit', id: 'login-submit'}, 'Log in');
  const form = h('form', {id: 'login', class: 'login'},
    h('h1', {}, 'Log in to Manifold'),
    h('label', {for: 'token'}, 'API token'), input,
    h('p', {id: 'token-hint', class: 'muted'},
      'The token manifold up made (HEROKU_API_KEY in the output of ./manifold env). ',
      'It stays in this browser tab only, and goes only to this manifold\'s API.'),
    button);
  form.addEventListener('submit', event => {
    event.preventDefault();
    session.start(input.value.trim());
    attempt(button, async () => {
      await whoAmI();
      clearProblems();
      show();
    });
  });
  fill(main, form);
  if (problem) {
    report(problem);
  }
  input.focus();
}

async function whoAmI() {
  const account = await api('GET', '/account');
  document.getElementById('account').textContent = account.email;
}

onUnauthorized(problem => {
  // a wrong token, or the manifold was started with a new one: back to the login, saying why
  session.end();
  document.getElementById('account').textContent = '';
  scope.close();
  show();
  report(problem);
});

onBudget(left => {
  document.getElementById('budget').textContent = `API budget: ${left.toLocaleString()}`;
});

document.getElementById('logout').addEventListener('click', () => {
  session.end();
  document.getElementById('account').textContent = '';
  clearProblems();
  show();
});

window.addEventListener('hashchange', show);
if (session.token() !== null) {
  whoAmI().catch(report);
}
show();
