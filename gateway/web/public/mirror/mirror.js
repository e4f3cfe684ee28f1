// The magic mirror's full-screen page: follows /mirror/live and shows the skeleton, the count,
// the last rep's score and feedback, and today's check-ins. It only listens; it sends nothing.
// Plain DOM with textContent only: names come from rosters, never as HTML.

import { SkeletonView } from './skeleton.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;
/** Messages come several times a second; this long without one, the picture is not live. */
const STALE_MS = 5_000;
const RING = 2 * Math.PI * 52;
const UNKNOWN_STATION = 4404;

const $ = (id) => document.getElementById(id);
const root = $('mirror');
const asked = new URLSearchParams(location.search).get('station');
const skeleton = new SkeletonView($('skeleton'));

let retries = 0;
let staleTimer = 0;
let shownReps = null;
const drawn = new Map();

/** Writes only what changed: ten messages a second must not relayout the page ten times. */
function set(id, text) {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
}

function once(key, data, draw) {
  const json = JSON.stringify(data);
  if (drawn.get(key) === json) return;
  drawn.set(key, json);
  draw();
}

const NOTICES = {
  connecting: ['Connecting…', 'The mirror will start in a moment.'],
  stale: ['Waiting for the mirror…', 'No picture from the camera right now.'],
  'camera-off': ['Camera off', 'The mirror is resting. Check back soon!'],
};

function setConnection(conn, detail) {
  root.dataset.conn = conn;
  const [title, text] = NOTICES[conn] ?? ['', ''];
  set('notice-title', title);
  set('notice-detail', detail ?? text);
  if (conn !== 'live') skeleton.show(null);
}

function unknownStation(stations) {
  root.dataset.conn = 'unknown';
  set('notice-title', asked === null ? 'No mirror on this box yet' : `No mirror called “${asked}” on this box`);
  set('notice-detail', stations.length ? `Try ?station=${stations.join(' or ?station=')}` : 'Add a mirror camera in the settings.');
}

function render(m) {
  clearTimeout(staleTimer);
  staleTimer = setTimeout(() => setConnection('stale'), STALE_MS);
  root.dataset.state = m.state;
  if (m.state === 'camera-off') setConnection('camera-off', m.message ?? undefined);
  else root.dataset.conn = 'live';

  set('exercise', m.exercise?.name ?? '');
  set('student', m.student ? m.student.name : m.state === 'exercising' ? 'Guest' : '');
  $('message').hidden = !m.message || m.state === 'camera-off';
  set('message', m.message ?? '');

  set('reps', String(m.reps));
  set('target', m.targetReps ? ` / ${m.targetReps}` : '');
  $('count').classList.toggle('done', m.targetReps !== null && m.reps >= m.targetReps);
  if (shownReps !== null && m.reps > shownReps) bump($('count'));
  shownReps = m.reps;

  once('lastRep', m.lastRep, () => drawLastRep(m.lastRep));
  once('checkins', [m.checkinsToday, m.student?.id], () => drawCheckins(m.checkinsToday, m.student?.id));
  set('meta', `${m.station} · ${m.fps.toFixed(0)} fps`);
  skeleton.show(m.state === 'camera-off' ? null : (m.pose?.keypoints ?? null));
}

// Restarting a CSS animation needs a reflow between removing and adding the class.
function bump(node) {
  node.classList.remove('bump');
  void node.offsetWidth;
  node.classList.add('bump');
}

function drawLastRep(rep) {
  $('last-rep').hidden = !rep;
  if (!rep) return;
  const tier = rep.score >= 80 ? 'good' : rep.score >= 50 ? 'fair' : 'low';
  $('last-rep').dataset.tier = tier;
  $('ring-value').setAttribute('stroke-dasharray', `${RING}`);
  $('ring-value').setAttribute('stroke-dashoffset', `${RING * (1 - rep.score / 100)}`);
  set('score', String(rep.score));
  set('rep-index', `Rep ${rep.index}`);
  set('feedback', rep.feedback.length ? rep.feedback.slice(0, 2).join(' · ') : tier === 'good' ? 'Great form!' : '');
}

function drawCheckins(checkins, current) {
  const newestFirst = [...checkins].sort((a, b) => b.at.localeCompare(a.at));
  $('checkins').replaceChildren(
    ...newestFirst.map((c) => {
      const item = document.createElement('li');
      if (c.studentId === current) item.className = 'current';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.name;
      const reps = document.createElement('span');
      reps.className = 'n';
      reps.textContent = String(c.reps);
      item.append(name, reps);
      return item;
    }),
  );
  $('no-checkins').hidden = checkins.length > 0;
  set('checkin-count', checkins.length ? String(checkins.length) : '');
}

function connect() {
  const query = asked === null ? '' : `?station=${encodeURIComponent(asked)}`;
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/mirror/live${query}`);
  let stations = [];
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'hello') {
      stations = frame.stations;
      // Connected; until the first picture arrives there is nothing to show yet.
      if (frame.station) {
        retries = 0;
        set('meta', frame.station);
        setConnection('stale');
      }
    } else if (frame.type === 'live') {
      render(frame.live);
    }
  });
  socket.addEventListener('close', (event) => {
    clearTimeout(staleTimer);
    if (event.code === UNKNOWN_STATION) unknownStation(stations);
    else setConnection('connecting');
    // Backoff with jitter: after a gateway restart, several screens should not all knock at once.
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** retries) * (0.75 + Math.random() * 0.5);
    retries += 1;
    setTimeout(connect, delay);
  });
}

connect();
