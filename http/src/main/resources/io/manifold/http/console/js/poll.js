// What a view starts (polls, log streams) it registers with its scope, which ends them all when
// the person goes to another view: nothing keeps running behind the page.

import {budgetLow} from './api.js';
import {report} from './problems.js';

export class Scope {
  #closers = [];
  closed = false;

  onClose(fn) {
    if (this.closed) {
      fn();
    } else {
      this.#closers.push(fn);
    }
  }

  close() {
    this.closed = true;
    for (const fn of this.#closers.splice(0)) {
      try {
        fn();
      } catch (e) {
        report(e);
      }
    }
  }

  /**
   * Runs fn now, then again `period` ms (a number or a function giving one) after each run ends,
   * so that a slow answer never stacks requests. Paused while the tab is hidden; four times slower
   * while the API's rate limit runs low. A failure is reported and the polling goes on.
   */
  every(period, fn) {
    let timer = null;
    const run = async () => {
      timer = null;
      if (this.closed) {
        return;
      }
      if (document.hidden) {
        document.addEventListener('visibilitychange', run, {once: true});
        return;
      }
      try {
        await fn();
      } catch (e) {
        if (!this.closed) {
          report(e);
        }
      }
      if (!this.closed) {
        const ms = typeof period === 'function' ? period() : period;
        timer = setTimeout(run, budgetLow() ? ms * 4 : ms);
      }
    };
    this.onClose(() => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', run);
    });
    run();
  }
}
