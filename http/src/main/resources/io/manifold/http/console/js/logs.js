// A live tail, as heroku logs --tail: a log session (POST /apps/NAME/log-sessions with tail, the
// source and dyno filters), then its logplex_url as server-sent events. The browser's EventSource
// reconnects by itself and resumes after the last line (Last-Event-ID), as the CLI does.

import {api, ApiProblem} from './api.js';
import {h, panel} from './dom.js';
import {attempt, report} from './problems.js';

const KEPT = 1000;

/** The stream's URL on this page's origin when it is this API (it names itself 127.0.0.1; the page may be localhost). */
function sameOrigin(logplexUrl) {
  const url = new URL(logplexUrl, location.href);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  if (url.port === location.port && loopback.includes(url.hostname) && loopback.includes(location.hostname)) {
    return `${location.origin}${url.pathname}${url.search}`;
  }
  return url.href;
}

export function logsPanel(page, scope) {
  const source = h('select', {id: 'log-source', name: 'source'},
    h('option', {value: ''}, 'all'), h('option', {value: 'app'}, 'app'), h('option', {value: 'heroku'}, 'heroku'));
  const dyno = h('input', {id: 'log-dyno', name: 'dyno', size: 10, placeholder: 'web or web.1', autocomplete: 'off',
    pattern: '[A-Za-z0-9_.\\-]*'});
  const start = h('button', {type: 'submit', id: 'log-start'}, 'Tail');
  const stop = h('button', {type: 'button', id: 'log-stop', disabled: true}, 'Stop');
  const clear = h('button', {type: 'button', id: 'log-clear'}, 'Clear');
  const status = h('span', {id: 'log-status', class: 'muted', role: 'status'}, 'Not tailing.');
  const form = h('form', {class: 'inline', id: 'log-form'},
    h('label', {for: 'log-source'}, 'Source'), source, h('label', {for: 'log-dyno'}, 'Dyno'), dyno, start, stop, clear, status);
  const lines = h('ol', {id: 'log-lines', class: 'log', role: 'log', 'aria-live': 'off', tabindex: 0});
  const {el} = panel('logs', 'Log tail', form, lines);
  let stream = null;

  function end(text) {
    if (stream) {
      stream.close();
      stream = null;
    }
    start.disabled = false;
    stop.disabled = true;
    status.textContent = text;
  }

  function append(line) {
    const atBottom = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4;
    const router = / heroku\[router\]: /.test(line);
    const kind = router ? 'router' : / heroku\[/.test(line) ? 'heroku' : 'app';
    lines.append(h('li', {class: kind}, line));
    while (lines.children.length > KEPT) {
      lines.firstElementChild.remove();
    }
    if (atBottom) {
      lines.scrollTop = lines.scrollHeight;
    }
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    attempt(start, async () => {
      end('Starting…');
      const body = {tail: true, lines: 100};
      if (source.value) {
        body.source = source.value;
      }
      if (dyno.value.trim()) {
        body.dyno = dyno.value.trim();
      }
      const session = await api('POST', `${page.path}/log-sessions`, body);
      const es = new EventSource(sameOrigin(session.logplex_url));
      stream = es;
      start.disabled = true;
      stop.disabled = false;
      const filters = [source.value && `source ${source.value}`, body.dyno && `dyno ${body.dyno}`].filter(Boolean).join(', ');
      status.textContent = `Tailing${filters ? ` (${filters})` : ''}…`;
      es.onopen = () => {
        if (stream === es) {
          status.textContent = `Tailing${filters ? ` (${filters})` : ''}.`;
        }
      };
      es.onmessage = e => append(e.data);
      es.onerror = () => {
        if (stream !== es) {
          return;
        }
        if (es.readyState === EventSource.CLOSED) {
          // the session expired or the manifold went away: the browser gives up; say so
          end('The log stream ended.');
          report(new ApiProblem(0, 'log_stream_closed', 'The log stream ended; press Tail to start a new one.',
            `GET ${new URL(session.logplex_url).pathname}`));
        } else {
          status.textContent = 'Reconnecting…';
        }
      };
    });
  });
  stop.addEventListener('click', () => end('Stopped.'));
  clear.addEventListener('click', () => lines.replaceChildren());
  scope.onClose(() => end('Not tailing.'));
  return {el, refresh: async () => {}};
}
