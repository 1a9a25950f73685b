// The formation, and scaling as heroku ps:scale does it: PATCH /apps/NAME/formation with
// {updates: [{type, quantity}]}; the API refuses what it must (an unknown type, a bad number).

import {api, get} from './api.js';
import {h, fill, panel, table} from './dom.js';
import {attempt} from './problems.js';

export function formationPanel(page) {
  const {el, body} = panel('formation', 'Formation');
  const types = h('datalist', {id: 'process-types'});
  const type = h('input', {id: 'scale-type', name: 'type', list: 'process-types', required: true, size: 10,
    pattern: '[A-Za-z0-9_\\-]+', autocomplete: 'off'});
  const quantity = h('input', {id: 'scale-quantity', name: 'quantity', type: 'number', min: 0, max: 100, required: true, value: 1});
  const button = h('button', {type: 'submit', id: 'scale-submit'}, 'Scale');
  const form = h('form', {class: 'inline', id: 'scale'},
    h('label', {for: 'scale-type'}, 'Process type'), type,
    h('label', {for: 'scale-quantity'}, 'Dynos'), quantity, button, types);
  form.addEventListener('submit', event => {
    event.preventDefault();
    attempt(button, async () => {
      await api('PATCH', `${page.path}/formation`, {updates: [{type: type.value.trim(), quantity: Number(quantity.value)}]});
      await page.changed('formation', 'dynos');
    });
  });
  el.append(form);

  async function refresh() {
    const formation = await get(`${page.path}/formation`);
    fill(types, formation.map(f => h('option', {value: f.type})));
    if (!type.value && formation.length) {
      type.value = formation[0].type;
    }
    fill(body, table('Formation', ['Type', 'Dynos', 'Size', 'Command'], formation.map(f =>
      h('tr', {dataset: {type: f.type}},
        h('th', {scope: 'row'}, f.type),
        h('td', {class: 'quantity'}, String(f.quantity)),
        h('td', {}, f.size),
        h('td', {}, h('code', {}, f.command)))),
    'No process types: deploy code with a Procfile (./manifold deploy DIR).'));
  }
  return {el, refresh};
}
