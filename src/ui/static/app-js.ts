/**
 * /ui/static/app.js: live updates of a task page, nothing else. The page is
 * complete without it. It follows the task's events stream (the session
 * cookie authenticates it), shows each task's status and phase at once, and
 * after a burst of events re-reads the page to redraw the tree (new
 * subtasks, messages), so the tree is only ever rendered by the server.
 * Where the stream cannot be had (a proxy that refuses it), it re-reads the
 * page every few seconds instead, until the task is finished.
 */
export const APP_JS = `'use strict';
(function () {
  var tree = document.getElementById('task-tree');
  if (!tree || !window.EventSource || !window.fetch) return;
  var live = document.getElementById('live');
  var phases = {};
  var timer = null;
  function say(text, source) {
    if (!live) return;
    live.textContent = text;
    if (source) live.setAttribute('data-source', source);
  }
  function showTask(t, withStatus) {
    var row = tree.querySelector('[data-task-id="' + t.task_id + '"]');
    if (!row) return false;
    var status = row.querySelector(':scope > .task-head .status');
    if (status && t.status && withStatus) { status.textContent = t.status; status.className = 'status status-' + t.status.replace(/[^a-z_]/gi, ''); }
    var phase = row.querySelector(':scope > .task-head .phase');
    if (phase) phase.textContent = t.phase || '';
    return true;
  }
  function redraw() {
    return fetch(location.pathname + location.search, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('task-tree');
        if (!fresh) return;
        var finished = fresh.getAttribute('data-finished');
        tree.setAttribute('data-finished', finished);
        var terminate = document.getElementById('terminate');
        if (finished === 'true' && terminate) terminate.remove();
        tree.replaceChildren.apply(tree, Array.prototype.map.call(fresh.childNodes, function (n) { return document.importNode(n, true); }));
        // The page may be newer than the last event: only the phase (not on the page) is put back.
        Object.keys(phases).forEach(function (id) { showTask(phases[id], false); });
      });
  }
  function later() { if (!timer) timer = setTimeout(function () { timer = null; redraw(); }, 300); }
  var events = new EventSource(tree.getAttribute('data-events'));
  events.onopen = function () { say('live', 'events'); };
  function poll() {
    redraw().then(function () {
      if (tree.getAttribute('data-finished') === 'true') say('finished');
      else setTimeout(poll, 3000);
    });
  }
  events.onerror = function () {
    if (events.readyState !== EventSource.CLOSED) return say('reconnecting');
    say('polling', 'polling');
    poll();
  };
  events.addEventListener('task', function (e) {
    var t = JSON.parse(e.data);
    phases[t.task_id] = t;
    showTask(t, true);
    later();
  });
  events.addEventListener('message', later);
  events.addEventListener('end', function () {
    events.close();
    phases = {};
    redraw().then(function () { say('finished'); });
  });
})();
`;
