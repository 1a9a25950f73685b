// Config vars: view (hidden until revealed, as on Heroku's dashboard), set and unset. Each change
// is a new release and restarts the dynos, so releases and dynos are read again too.

import {api, get} from './api.js';
import {h, fill, panel, table} from './dom.js';
import {attempt} from './problems.js';

export function configPanel(page) {
  const reveal = h('button', {type: 'button', id: 'config-reveal', 'aria-pressed': 'false'}, 'Reveal values');
  const {el, body} = panel('config', 'Config vars', h('div', {class: 'panel-actions'}, reveal));
  let shown = false;
  let vars = {};

  reveal.addEventListener('click', () => {
    shown = !shown;
    reveal.setAttribute('aria-pressed', String(shown));
    reveal.textContent = shown ? 'Hide values' : 'Reveal values';
    render();
  });

  const key = h('input', {id: 'config-key', name: 'key', required: true, pattern: '\\w+', size: 14, autocomplete: 'off',
    title: 'Letters, digits and _'});
  const value = h('input', {id: 'config-value', name: 'value', size: 18, autocomplete: 'off'});
  const set = h('button', {type: 'submit', id: 'config-set'}, 'Set');
  const form = h('form', {class: 'inline', id: 'config-form'},
    h('label', {for: 'config-key'}, 'Key'), key, h('label', {for: 'config-value'}, 'Value'), value, set);
  form.addEventListener('submit', event => {
    event.preventDefault();
    attempt(set, async () => {
      await change({[key.value.trim()]: value.value});
      key.value = '';
      value.value = '';
    });
  });
  el.append(form);

  async function change(patch) {
    vars = await api('PATCH', `${page.path}/config-vars`, patch);
    render();
    await page.changed('releases', 'dynos');
  }

  function render() {
    const keys = Object.keys(vars).sort();
    fill(body, table('Config vars', ['Key', 'Value', ''], keys.map(k => {
      const unset = h('button', {type: 'button', class: 'small', 'aria-label': `Unset ${k}`, dataset: {action: 'unset'}}, 'Unset');
      unset.addEventListener('click', () => attempt(unset, () => change({[k]: null})));
      return h('tr', {dataset: {key: k}},
        h('th', {scope: 'row'}, h('code', {}, k)),
        h('td', {class: 'value'}, shown ? h('code', {}, vars[k]) : h('span', {class: 'muted'}, '••••••')),
        h('td', {class: 'actions'}, unset));
    }), 'No config vars.'));
  }

  async function refresh() {
    vars = await get(`${page.path}/config-vars`);
    render();
  }
  return {el, refresh};
}
