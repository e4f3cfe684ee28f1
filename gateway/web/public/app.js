// The gateway page: polls /api/status and renders it; after an admin login, offers the actions.
// Plain DOM with textContent only: topics and device details come from the field, never as HTML.

const POLL_MS = 2000;
// The server action that runs a device's own action ({ deviceId, action }); the others are the gateway's.
const DEVICE_ACTION = 'device';
const LABELS = { restart: 'Restart gateway' };
const $ = (id) => document.getElementById(id);

let session = { authenticated: false, actions: [] };
let snapshot = null;
// Sections are redrawn only when their data changed, so focus (keyboard, screen reader) survives polling.
const drawn = new Map();

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child ?? '');
  return node;
}

// data-label names the column when a phone stacks the table's cells (style.css).
const cell = (label, content, cls = '') => el('td', { 'data-label': label, class: cls }, content);

function once(key, data, draw) {
  const json = JSON.stringify(data);
  if (drawn.get(key) === json) return;
  drawn.set(key, json);
  draw();
}

const humanize = (name) => {
  const words = name.replace(/[-_.]+/g, ' ').trim();
  return LABELS[name] ?? words.charAt(0).toUpperCase() + words.slice(1);
};

/** A link the gateway built from its own loopback address would be dead on a phone: use the page's host. */
function reachable(link) {
  const url = new URL(link, location.href);
  const loopback = (host) => host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  if (loopback(url.hostname) && !loopback(location.hostname)) url.hostname = location.hostname;
  return url.href;
}

function duration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'], [s % 60, 's']];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0 s';
  return parts.slice(first, first + 2).filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`).join(' ');
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const time = (iso) => new Date(iso).toLocaleTimeString();

const TONE = {
  connected: 'ok', loopback: 'ok', connecting: 'warn', disconnected: 'bad',
  normal: 'ok', high: 'warn', full: 'bad',
  ready: 'ok', busy: 'info', starting: 'info', stopped: 'info', error: 'bad',
  info: 'info', warning: 'warn', critical: 'bad',
};
// Devices: 'disconnected' is a warning (unplugged), unlike the uplink where it means no district.
const pill = (text, tone = TONE[text] ?? 'info') => el('span', { class: `pill ${tone}` }, text);

function render(s) {
  const name = s.gateway.ids.gateway ?? Object.values(s.gateway.ids).join(' / ');
  $('gateway-name').textContent = name ? `· ${name}` : '';
  document.title = name ? `${name} · Classroom gateway` : 'Classroom gateway';

  $('uplink-state').replaceChildren(pill(s.uplink.state));
  const uplinkDetail = [s.uplink.url, s.uplink.connectedSince && `since ${time(s.uplink.connectedSince)}`, s.uplink.state !== 'connected' && s.uplink.lastError];
  $('uplink-detail').textContent = uplinkDetail.filter(Boolean).join(' · ');
  $('outbox-depth').textContent = `${s.outbox.depthMessages} messages (${size(s.outbox.depthBytes)})`;
  $('outbox-pressure').replaceChildren(pill(s.outbox.pressure));
  $('outbox-oldest').textContent = s.outbox.oldestAgeMs === null ? 'nothing queued' : `${duration(s.outbox.oldestAgeMs / 1000)} ago`;
  $('uptime').textContent = `${duration(s.gateway.uptimeSeconds)} (started ${new Date(s.gateway.startedAt).toLocaleString()})`;
  $('version').textContent = s.gateway.version;
  $('ids').textContent = Object.entries(s.gateway.ids).map(([k, v]) => `${k}: ${v}`).join(', ');

  const editor = $('editor-link');
  editor.hidden = s.links.editor === null;
  if (s.links.editor !== null) editor.href = reachable(s.links.editor);
  const ws = $('mqtt-ws');
  ws.hidden = s.links.mqttWebSocket === null;
  ws.textContent = s.links.mqttWebSocket === null ? '' : `MQTT over WebSocket: ${reachable(s.links.mqttWebSocket)}`;

  once('alarms', s.alarms, () => {
    $('no-alarms').hidden = s.alarms.length > 0;
    $('alarms').replaceChildren(...s.alarms.map((a) =>
      el('li', { class: `alarm ${TONE[a.severity] ?? 'info'}` }, pill(a.severity), ' ', el('strong', {}, a.message), ' ',
        el('span', { class: 'muted' }, `${a.code} · since ${time(a.since)}`))));
  });

  once('devices', [s.devices, session.authenticated], () => {
    $('no-devices').hidden = s.devices.length > 0;
    $('devices').querySelector('tbody').replaceChildren(...s.devices.map((d) => el('tr', {},
      el('th', { scope: 'row' }, d.id), cell('Kind', d.kind), cell('Transport', d.transport),
      cell('State', pill(d.state, d.state === 'disconnected' ? 'warn' : undefined)), cell('Detail', d.detail ?? ''),
      session.authenticated ? el('td', { class: 'actions' }, ...(d.actions ?? []).map((a) =>
        el('button', { type: 'button', 'aria-label': `${humanize(a)} ${d.id}`, onclick: (e) => runAction(DEVICE_ACTION, { deviceId: d.id, action: a }, `${humanize(a)} (${d.id})`, e.currentTarget) }, humanize(a)))) : null)));
  });

  const homework = s.homework ?? [];
  once('homework', [homework, session.authenticated], () => {
    $('no-homework').hidden = homework.length > 0;
    $('homework').hidden = homework.length === 0;
    // Printouts and wrong-question books are student work: links only after login.
    const download = (name, query, text) => el('a', { href: `/api/downloads/${name}?${new URLSearchParams(query)}` }, text);
    $('homework').querySelector('tbody').replaceChildren(...homework.map((h) => el('tr', {},
      el('th', { scope: 'row' }, h.title), cell('Class', h.classId ?? ''), cell('Pages', String(h.pagesRead), 'num'),
      cell('Handed in', String(h.handedIn), 'num'), cell('Missing', String(h.missing), 'num'), cell('For review', String(h.needsReview), 'num'),
      session.authenticated ? el('td', { class: 'actions' },
        download('print', { assignment: h.assignmentId }, 'Print pages'), ' ',
        ...h.students.flatMap((st) => [download('book', { assignment: h.assignmentId, student: st }, `Wrong questions ${st}`), ' '])) : null)));
  });

  once('pens', [s.pens ?? null, session.authenticated], () => renderPens(s.pens));

  const mirrors = s.mirrors ?? [];
  once('mirrors', [mirrors, session.authenticated], () => {
    $('no-mirrors').hidden = mirrors.length > 0;
    $('mirrors').hidden = mirrors.length === 0;
    $('mirrors').querySelector('tbody').replaceChildren(...mirrors.map((m) => el('tr', {},
      el('th', { scope: 'row' }, m.station), cell('State', pill(m.state, m.state === 'camera-off' ? 'warn' : m.state === 'exercising' ? 'ok' : 'info')),
      session.authenticated ? cell('Student', m.student ?? '') : null,
      cell('Exercise', m.exercise ?? ''), cell('Reps', String(m.reps), 'num'), cell('Frames/s', String(m.fps), 'num'),
      cell('Checked in today', String(m.checkinsToday), 'num'),
      cell('Screen', el('a', { href: `/mirror/?station=${encodeURIComponent(m.station)}` }, 'Open the mirror screen')))));
  });

  once('messages', s.recentMessages, () => {
    $('messages').querySelector('tbody').replaceChildren(...s.recentMessages.map((m) => el('tr', {},
      cell('Time', time(m.at)), cell('Direction', m.direction === 'out' ? '↑ out' : '↓ in'), cell('Topic', m.topic, 'topic'),
      cell('Schema', m.schema), cell('Size', size(m.bytes), 'num'))));
  });

  renderAdmin();
}

const minutes = (m) => `${Math.round(m)} min`;

function renderPens(pens) {
  $('pens-counts').textContent = pens
    ? `${pens.connected} pens connected (${pens.ready} ready) · ${pens.writing} students writing, ${pens.idle} idle`
    : 'No pen hub.';
  const students = pens?.students ?? [];
  $('pen-students').hidden = students.length === 0;
  $('pen-login-hint').hidden = !pens || session.authenticated || pens.writing + pens.idle === 0;
  $('pen-students').querySelector('tbody').replaceChildren(...students.map((st) => el('tr', {},
    el('th', { scope: 'row' }, st.studentId), cell('State', pill(st.state, st.state === 'writing' ? 'ok' : 'info')),
    cell('Assignment', st.assignmentId ?? ''), cell('Page', st.page === null ? '' : String(st.page), 'num'),
    cell('Answered', `${st.answered} / ${st.questions}`, 'num'), cell('Writing', duration(st.activeSeconds), 'num'),
    cell('Idle', duration(st.idleSeconds), 'num'))));
  const burden = pens?.burden ?? [];
  $('pen-burden').hidden = burden.length === 0;
  $('pen-burden').querySelector('tbody').replaceChildren(...burden.map((b) => el('tr', {},
    el('th', { scope: 'row' }, b.assignmentId), cell('Students', String(b.students), 'num'), cell('Median', minutes(b.p50Minutes), 'num'),
    cell('90 %', minutes(b.p90Minutes), 'num'), cell('Longest', minutes(b.maxMinutes), 'num'),
    cell('Limit', b.limitMinutes === null ? 'none' : minutes(b.limitMinutes), 'num'),
    cell('Over the limit', b.overLimitShare === null ? '' : `${Math.round(b.overLimitShare * 100)} %`, 'num'))));
}

function renderAdmin() {
  $('login-form').hidden = session.authenticated;
  $('admin').hidden = !session.authenticated;
  for (const th of document.querySelectorAll('.admin-only')) th.hidden = !session.authenticated;
  const gatewayActions = session.authenticated ? session.actions.filter((a) => a !== DEVICE_ACTION) : [];
  once('gateway-actions', gatewayActions, () => {
    $('gateway-actions').replaceChildren(...gatewayActions.map((a) =>
      el('button', { type: 'button', onclick: (e) => {
        if (confirm(`${humanize(a)}?`)) runAction(a, {}, humanize(a), e.currentTarget);
      } }, humanize(a))));
  });
}

function say(text, tone = '') {
  const p = $('admin-message');
  p.textContent = text;
  p.className = tone;
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  return { status: res.status, data };
}

async function runAction(name, args, label, button) {
  button.disabled = true;
  say(`${label}: running…`);
  try {
    const { status, data } = await post(`/api/actions/${encodeURIComponent(name)}`, args);
    if (status === 200) say(`${label}: done${typeof data.result === 'string' ? ` (${data.result})` : ''}.`, 'ok');
    else if (status === 401) {
      say('Your session has ended: please log in again.', 'bad');
      await refreshSession();
    } else say(`${label}: ${data.error ?? `failed (HTTP ${status})`}`, 'bad');
  } catch {
    say(`${label}: the gateway did not answer.`, 'bad');
  } finally {
    button.disabled = false;
  }
}

async function refreshSession() {
  const res = await fetch('/api/session', { cache: 'no-store' });
  if (res.ok) session = await res.json();
  if (snapshot) render(snapshot);
  else renderAdmin();
}

async function poll() {
  try {
    if (!document.hidden || snapshot === null) {
      const res = await fetch('/api/status', { cache: 'no-store' });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
      snapshot = await res.json();
      render(snapshot);
      $('connection').textContent = `Updated ${new Date().toLocaleTimeString()}`;
      $('connection').className = 'banner';
    }
  } catch (err) {
    $('connection').textContent = `Cannot get the gateway's status (${err.message}); retrying.`;
    $('connection').className = 'banner bad';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('password');
  try {
    const { status, data } = await post('/api/login', { password: input.value });
    if (status === 200) {
      input.value = '';
      say('Logged in.', 'ok');
      await refreshSession();
    } else if (status === 429) say(`Too many attempts: try again in ${data.retryAfterSeconds} s.`, 'bad');
    else say(status === 401 ? 'Wrong password.' : data.error ?? `Login failed (HTTP ${status}).`, 'bad');
  } catch {
    say('The gateway did not answer.', 'bad');
  }
});

$('logout').addEventListener('click', async () => {
  await post('/api/logout', {}).catch(() => undefined);
  say('Logged out.');
  await refreshSession();
});

refreshSession().catch(() => undefined);
poll();
