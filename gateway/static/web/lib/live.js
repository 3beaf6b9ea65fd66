// Push with a polling fallback: a page is told when its community's queue changes
// (Server-Sent Events from /api/changes/stream, no data in them) and then refetches.
//
// While the stream is connected the page does not poll, but for a slow safety refresh; a
// signal triggers one refetch, coalesced (at most one per `minGapMs`) and after a random
// jitter, so a thousand open pages do not refetch in the same millisecond. While it is not
// connected (refused, dropped, or no EventSource) the page polls every `pollMs` as before,
// backing off while the refresh fails. The refetches are conditional (lib/api.js getFresh),
// so an unchanged answer costs a 304.

const STREAM = '/api/changes/stream';
const MAX_BACKOFF_MS = 30000;

/**
 * Follow `topic` of `community`: `refresh()` (async; a rejection counts as a failure) runs on
 * each signal, on every (re)connection, and by timer. `onMode('push' | 'poll')` reports the
 * state. Returns a function that stops everything (call it when the page is left).
 */
export function follow({ community, topic = 'intake.queue', refresh, pollMs, safetyMs = 60000,
  minGapMs = 1000, jitterMs = 1000, onMode = () => {}, onSignal = () => {} }) {
  let mode = 'poll';
  let source = null;
  let timer = null;
  let pending = null;
  let reopen = null;
  let running = false;
  let again = false;
  let failures = 0;
  let lastRun = 0;
  let stopped = false;

  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    const every = mode === 'push' ? safetyMs : Math.min(pollMs * (failures + 1), Math.max(pollMs, MAX_BACKOFF_MS));
    timer = setTimeout(run, every);
  }

  async function run() {
    pending = null;
    if (stopped) return;
    if (running) {  // a refetch is under way: one more after it, not two at once
      again = true;
      return;
    }
    running = true;
    lastRun = Date.now();
    try {
      await refresh();
      failures = 0;
    } catch {
      failures += 1;
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      soon();
    }
    schedule();
  }

  function soon() {
    if (pending || stopped) return;
    const wait = Math.max(0, lastRun + minGapMs - Date.now()) + Math.random() * jitterMs;
    pending = setTimeout(run, wait);
  }

  function setMode(next) {
    if (mode === next) return;
    mode = next;
    onMode(next);
    schedule();
  }

  function open() {
    reopen = null;
    if (stopped || typeof EventSource === 'undefined') return;
    source = new EventSource(`${STREAM}?community=${encodeURIComponent(community)}`);
    source.addEventListener('open', () => {
      setMode('push');
      soon();  // whatever changed while the stream was not there: one (conditional) refetch
    });
    source.addEventListener('change', (event) => {
      let signal = null;
      try {
        signal = JSON.parse(event.data);
      } catch {
        return;
      }
      if (signal.topic !== topic) return;
      onSignal(signal);
      soon();
    });
    source.addEventListener('gap', () => soon());
    source.addEventListener('error', () => {
      setMode('poll');
      if (source && source.readyState === EventSource.CLOSED) {  // refused (429, 503): try again later
        source = null;
        reopen = setTimeout(open, safetyMs * (0.5 + Math.random() / 2));
      }
    });
  }

  onMode(mode);
  open();
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(pending);
    clearTimeout(reopen);
    if (source) source.close();
  };
}
