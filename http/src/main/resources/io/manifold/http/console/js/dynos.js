// The app's dynos as heroku ps shows them, with the node each runs on and restart and stop
// buttons. Read again every few seconds (every second or two while one is starting or stopping).

import {api, get} from './api.js';
import {h, fill, panel, table} from './dom.js';
import {attempt} from './problems.js';
import {ago} from './time.js';

const SETTLED = new Set(['up', 'crashed', 'down']);

export function dynosPanel(page, scope) {
  const restartAll = h('button', {type: 'button', id: 'restart-all'}, 'Restart all');
  const {el, body} = panel('dynos', 'Dynos', h('div', {class: 'panel-actions'}, restartAll));
  let moving = false;

  restartAll.addEventListener('click', () => attempt(restartAll, async () => {
    await api('DELETE', `${page.path}/dynos`);
    await refresh();
  }));

  function action(label, dyno, method, suffix) {
    const button = h('button', {type: 'button', class: 'small', dataset: {action: label.toLowerCase()},
      'aria-label': `${label} ${dyno.name}`}, label);
    button.addEventListener('click', () => attempt(button, async () => {
      await api(method, `${page.path}/dynos/${encodeURIComponent(dyno.name)}${suffix}`);
      await refresh();
    }));
    return button;
  }

  async function refresh() {
    const dynos = await get(`${page.path}/dynos`);
    moving = dynos.some(d => !SETTLED.has(d.state));
    fill(body, table('Dynos', ['Dyno', 'State', 'Node', 'Since', 'Release', ''], dynos.map(d =>
      h('tr', {dataset: {dyno: d.name, state: d.state, node: d.node}},
        h('th', {scope: 'row'}, d.name),
        h('td', {}, h('span', {class: `badge state-${d.state}`}, d.state)),
        h('td', {class: 'node'}, d.node ?? '?'),
        h('td', {title: d.updated_at}, ago(d.updated_at)),
        h('td', {}, `v${d.release?.version ?? '?'}`),
        h('td', {class: 'actions'}, action('Restart', d, 'DELETE', ''), action('Stop', d, 'POST', '/actions/stop')))),
    'No dynos. Scale a process type above 0 to start some.'));
  }

  scope.every(() => (moving ? 1500 : 5000), refresh);
  return {el, refresh};
}
