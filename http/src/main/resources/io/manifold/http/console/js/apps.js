// #/apps: every app, as heroku apps lists them, each a link to its page.

import {get} from './api.js';
import {h, fill, table} from './dom.js';
import {when} from './time.js';

export function appsView(main, scope) {
  const body = h('div', {id: 'apps'}, h('p', {class: 'muted'}, 'Loading…'));
  main.append(h('h1', {}, 'Apps'), body);
  scope.every(5000, async () => {
    const apps = await get('/apps');
    fill(body, table('Apps', ['App', 'Web URL', 'Maintenance', 'Released'], apps.map(a =>
      h('tr', {dataset: {app: a.name}},
        h('td', {}, h('a', {href: `#/apps/${encodeURIComponent(a.name)}`}, a.name)),
        h('td', {}, h('a', {href: a.web_url, rel: 'noopener', target: '_blank'}, a.web_url)),
        h('td', {}, a.maintenance ? h('span', {class: 'badge warn'}, 'on') : 'off'),
        h('td', {}, a.released_at ? when(a.released_at) : '–'))),
    'No apps yet. Create one with ./manifold apps:create NAME --dir DIR, or ./manifold up.'));
  });
}
