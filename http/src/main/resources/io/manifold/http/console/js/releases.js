// Releases, newest first, and rollback as heroku releases:rollback does it: a new release with the
// code and config vars of an earlier one (POST /apps/NAME/releases {release: id}).

import {api} from './api.js';
import {h, fill, panel, table} from './dom.js';
import {attempt} from './problems.js';
import {when} from './time.js';

const SHOWN = 20;

export function releasesPanel(page) {
  const {el, body} = panel('releases', 'Releases');

  async function refresh() {
    // newest first, as heroku releases lists them: the API pages by Heroku's Range header
    const releases = await api('GET', `${page.path}/releases`, undefined, {Range: `version ..; max=${SHOWN}, order=desc`});
    fill(body, table('Releases', ['Version', 'Description', 'By', 'When', ''], releases.map(r => {
      let action = h('span', {class: 'badge ok'}, 'current');
      if (!r.current) {
        action = h('button', {type: 'button', class: 'small', dataset: {action: 'rollback'}}, `Roll back to v${r.version}`);
        action.addEventListener('click', () => attempt(action, async () => {
          await api('POST', `${page.path}/releases`, {release: r.id});
          await page.changed('releases', 'config', 'dynos', 'formation');
        }));
      }
      return h('tr', {dataset: {version: String(r.version), current: String(r.current)}},
        h('th', {scope: 'row'}, `v${r.version}`),
        h('td', {class: 'description'}, r.description),
        h('td', {}, r.user?.email ?? ''),
        h('td', {title: r.created_at}, when(r.created_at)),
        h('td', {class: 'actions'}, action));
    }), 'No releases yet.'));
  }
  return {el, refresh};
}
