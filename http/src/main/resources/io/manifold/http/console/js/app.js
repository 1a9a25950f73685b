// #/apps/NAME: one app, as its Heroku dashboard page would show it: formation, dynos, the
// router's live figures, the log tail, config vars and releases, and maintenance mode. Each panel
// refreshes itself after what changes it; dynos also every few seconds, the router every second.

import {api, get, app} from './api.js';
import {h} from './dom.js';
import {attempt, report} from './problems.js';
import {formationPanel} from './formation.js';
import {dynosPanel} from './dynos.js';
import {configPanel} from './config.js';
import {releasesPanel} from './releases.js';
import {routerPanel} from './stats.js';
import {logsPanel} from './logs.js';

export function appView(main, scope, name) {
  const page = {name, path: app(name), panels: {}};
  /** Something changed: the named panels read the API again. */
  page.changed = (...names) => Promise.all(names.map(n => page.panels[n]?.refresh()));

  const head = h('div', {class: 'app-head'}, h('h1', {}, name));
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/apps'}, 'Apps'), ' / ', name), head);

  const maintenance = h('button', {type: 'button', id: 'maintenance', 'aria-pressed': 'false', hidden: true}, 'Maintenance mode');
  const webUrl = h('a', {id: 'web-url', rel: 'noopener', target: '_blank'});
  page.panels.app = {
    refresh: async () => {
      const a = await get(page.path);
      webUrl.href = a.web_url;
      webUrl.textContent = a.web_url;
      maintenance.setAttribute('aria-pressed', String(a.maintenance));
      maintenance.textContent = a.maintenance ? 'Maintenance mode: on' : 'Maintenance mode: off';
      maintenance.classList.toggle('warn', a.maintenance);
      maintenance.hidden = false;
    },
  };
  maintenance.addEventListener('click', () => attempt(maintenance, async () => {
    const on = maintenance.getAttribute('aria-pressed') !== 'true';
    await api('PATCH', page.path, {maintenance: on});
    await page.changed('app');
  }));
  head.append(webUrl, maintenance);

  page.panels.app.refresh().then(() => {
    if (scope.closed) {
      return;
    }
    // the panels that poll start only for an app that exists
    const panels = {
      formation: formationPanel(page),
      dynos: dynosPanel(page, scope),
      router: routerPanel(page, scope),
      logs: logsPanel(page, scope),
      config: configPanel(page),
      releases: releasesPanel(page),
    };
    Object.assign(page.panels, panels);
    main.append(h('div', {class: 'columns'},
      h('div', {class: 'column'}, panels.formation.el, panels.dynos.el, panels.config.el, panels.releases.el),
      h('div', {class: 'column'}, panels.router.el, panels.logs.el)));
    return page.changed('formation', 'config', 'releases');
  }).catch(problem => {
    report(problem);
    if (problem.status === 404) {
      main.append(h('p', {id: 'no-app'}, `${problem.message} See the apps: `, h('a', {href: '#/apps'}, 'Apps'), '.'));
    }
  });
}
