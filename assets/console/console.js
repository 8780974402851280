/* Staff console of sceaux-hub (served under /console/).
 *
 * One page, no framework. It talks to the hub's own API with the session
 * cookie set by POST /v1/console/login: it pulls every public row with
 * GET /v1/changes (then long-polls it, like a kiosk), writes with
 * POST /v1/push, reads the fleet (GET /v1/fleet) and the audit trail
 * (GET /v1/console/audit). Views are hash routes (#annonces, #idees, ...);
 * the ideas' view is ideas.js, the forms forms.js. Help offers
 * (#engagements) hold a visitor's name and contact: staff pass them on to
 * the initiative's carrier; the hub erases them.
 *
 * Safety: every piece of data reaches the page through textContent or
 * attribute setters (el() below); innerHTML is never used. Times are shown
 * and typed in Europe/Paris and sent in UTC. */
'use strict';

/* ---- small helpers ------------------------------------------------------ */

const $ = (id) => document.getElementById(id);

/* el('li', {class: 'item'}, child, 'text', ...): children are nodes or
 * strings (made text nodes); null/false children are skipped. */
function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') n.className = v;
    else if (k === 'text') n.textContent = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

let toastTimer = null;
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.textContent = ''; }, 4000);
}

/* ---- Paris time ----------------------------------------------------------- */

const TZ = 'Europe/Paris';
const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const fmtFull = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const fmtUntil = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long' });
const fmtHM = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });

function parisParts(ms) {
  const p = {};
  for (const x of partsFmt.formatToParts(new Date(ms))) p[x.type] = x.value;
  return p;
}
/* Minutes Paris is ahead of UTC at instant ms. */
function parisOffset(ms) {
  const p = parisParts(ms);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
  return Math.round((asUtc - Math.floor(ms / 60000) * 60000) / 60000);
}
function isoUtc(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/* "YYYY-MM-DDTHH:MM" typed in Paris time -> RFC 3339 UTC, or null. */
function parisInputToIso(v) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v || '');
  if (!m) return null;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let t = guess - parisOffset(guess) * 60000;
  const off2 = parisOffset(t);
  t = guess - off2 * 60000;
  return isoUtc(t);
}
function isoToParisInput(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const p = parisParts(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
function parisDay(iso) {
  return isoToParisInput(iso).slice(0, 10);
}
function showTime(iso) {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '—' : fmtFull.format(new Date(ms));
}
function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `il y a ${s} s`;
  if (s < 3600) return `il y a ${Math.floor(s / 60)} min`;
  if (s < 86400) return `il y a ${Math.floor(s / 3600)} h`;
  return `il y a ${Math.floor(s / 86400)} j`;
}

/* ---- vocabulary --------------------------------------------------------- */

const DOMAINS = {
  entrepreneuriat_social: 'Entrepreneuriat social', participation_citoyenne: 'Participation citoyenne',
  agriculture: 'Agriculture', jeunesse: 'Jeunesse', sport: 'Sport', education_formation: 'Éducation et formation',
  sante: 'Santé', habitat: 'Habitat', mobilite: 'Mobilité', action_sociale: 'Action sociale',
  culture: 'Culture', environnement: 'Environnement',
};
const STAGES = { emergence: 'Émergence', developpement: 'Développement', mise_en_oeuvre: 'Mise en œuvre' };
const OFFERS = {
  financement: 'Financement', local: 'Local', formation: 'Formation', reseau: 'Mise en réseau',
  conseil_juridique: 'Conseil juridique', conseil: 'Conseil et mentorat', information: 'Information',
};
const KINDS = {
  association: 'Association', cooperative: 'Coopérative', mutuelle: 'Mutuelle', fondation: 'Fondation',
  entreprise_solidaire: 'Entreprise solidaire', collectivite: 'Collectivité', accompagnement: 'Accompagnement',
};
const CATEGORIES = {
  forum: 'Forum', conference: 'Conférence', atelier: 'Atelier', pitch: 'Pitch', table_ronde: 'Table ronde',
  conseil: 'Conseil', autre: 'Autre',
};
const PRIORITIES = { info: 'Information', important: 'Important', urgent: 'Urgent' };
const FIGURE_KINDS = { headline: 'Grand chiffre', bar: 'Barre du graphique' };
const FIGURE_UNITS = { number: 'Nombre', percent: 'Pourcentage', euro: 'Euros' };
const QUALIFIERS = { about: 'environ', nearly: 'près de', over: 'plus de' };
const TABLE_NAMES = {
  announcement: 'annonce', proposal: 'idée', initiative: 'initiative', event: 'événement', room: 'salle',
  organization: 'organisation', booking: 'réservation', site: 'lieu', figure: 'chiffre',
  help_offer: 'proposition d’aide',
};

/* ---- API ----------------------------------------------------------------- */

class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.retryAfter = +retryAfter || 0; /* seconds, from a 429 */
  }
}

async function api(method, path, body) {
  const opt = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  const res = await fetch(path, opt);
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (res.status === 401 && path !== '/v1/console/login' && state.me) {
    loggedOut('Votre session a expiré : reconnectez-vous.');
  }
  if (!res.ok) throw new ApiError(res.status, data, res.headers.get('Retry-After'));
  return data;
}

/* One push of several changes; returns the results, in order. */
async function push(changes) {
  const body = {
    format: 'sceaux/1',
    changes: changes.map((c) => ({ id: `console:${randomHex(16)}`, table: c.table, op: c.op || 'upsert', row: c.row })),
  };
  const out = await api('POST', '/v1/push', body);
  setTimeout(loadAudit, 0);
  return out.results;
}

function newId(prefix) {
  return `${prefix}-${randomHex(6)}`;
}

/* ---- state and sync -------------------------------------------------------- */

const state = {
  me: null,
  rows: {},       /* table -> Map(id -> row) */
  cursor: 0,
  epoch: null,
  loaded: false,
  syncGen: 0,
  fleet: null,
  fleetAt: 0,
  audit: [],
};

function table(name) {
  if (!state.rows[name]) state.rows[name] = new Map();
  return state.rows[name];
}
function rowsOf(name) {
  return Array.from(table(name).values());
}

function applyPage(page) {
  if (page.reset || (state.epoch && page.epoch !== state.epoch)) {
    state.rows = {};
  }
  state.epoch = page.epoch;
  for (const c of page.changes) {
    if (c.op === 'upsert') table(c.table).set(c.row.id, c.row);
    else table(c.table).delete(c.id);
  }
  state.cursor = page.next;
}

async function syncLoop(gen) {
  let wait = 0;
  while (gen === state.syncGen) {
    try {
      const page = await api('GET', `/v1/changes?since=${state.cursor}&limit=5000&wait=${wait}`);
      if (gen !== state.syncGen) return;
      const changed = page.changes.length > 0 || page.reset;
      applyPage(page);
      if (page.more) continue;
      if (!state.loaded || changed) {
        state.loaded = true;
        scheduleRender();
      }
      wait = 25;
    } catch (e) {
      if (gen !== state.syncGen) return;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderAll();
  });
}

/* ---- session ----------------------------------------------------------------- */

function loggedIn(me) {
  state.me = me;
  annCounters();
  $('who-name').textContent = `${me.name} · ${me.role === 'admin' ? 'administration' : 'personnel'}`;
  $('who').hidden = false;
  $('tabs').hidden = false;
  state.syncGen++;
  state.cursor = 0;
  state.rows = {};
  state.loaded = false;
  syncLoop(state.syncGen);
  loadFleet();
  loadAudit();
  if (!location.hash || location.hash === '#connexion') location.hash = '#annonces';
  route();
}

function loggedOut(message) {
  state.me = null;
  state.syncGen++;
  $('who').hidden = true;
  $('tabs').hidden = true;
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-login';
  $('login-error').textContent = message || '';
  $('login-password').value = '';
  $('login-name').focus();
}

async function onLogin(ev) {
  ev.preventDefault();
  const name = $('login-name').value.trim();
  const password = $('login-password').value;
  const err = $('login-error');
  if (!name || !password) {
    err.textContent = 'Indiquez votre identifiant et votre mot de passe.';
    return;
  }
  err.textContent = '';
  try {
    const me = await api('POST', '/v1/console/login', { name, password });
    $('login-password').value = '';
    loggedIn(me);
  } catch (e) {
    /* A one-second wait: the hub was checking another password. */
    if (e.status === 429 && e.retryAfter <= 1) err.textContent = 'Le serveur vérifie une autre connexion : réessayez dans une seconde.';
    else if (e.status === 429) err.textContent = `Trop de tentatives depuis ce poste : patientez ${Math.ceil(e.retryAfter / 60) || 1} min avant de réessayer.`;
    else if (e.status === 401) err.textContent = 'Identifiant ou mot de passe incorrect.';
    else err.textContent = 'La connexion a échoué : le serveur ne répond pas comme prévu.';
    $('login-password').select();
  }
}

async function onLogout() {
  try { await api('POST', '/v1/console/logout', {}); } catch (e) { /* gone already */ }
  loggedOut('Vous êtes déconnecté.');
}

/* ---- routing ----------------------------------------------------------------- */

const VIEWS = ['annonces', 'idees', 'engagements', 'parc', 'contenus', 'reservations', 'journal'];
function currentView() {
  const h = location.hash.replace('#', '');
  return VIEWS.includes(h) ? h : 'annonces';
}
function route() {
  if (!state.me) return;
  const v = currentView();
  for (const s of document.querySelectorAll('.view')) s.hidden = s.id !== `view-${v}`;
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === v) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (v === 'parc') loadFleet();
  if (v === 'journal') loadAudit();
  renderAll();
}

function renderAll() {
  if (!state.me) return;
  renderCounts();
  const v = currentView();
  if (v === 'annonces') { fillTargets(); renderAnnouncements(); renderPreview(); }
  if (v === 'idees') renderIdeas();
  if (v === 'engagements') renderOffers();
  if (v === 'parc') renderFleet();
  if (v === 'contenus') renderContentList();
  if (v === 'reservations') renderBookings();
  if (v === 'journal') renderAudit();
}

function renderCounts() {
  const pending = rowsOf('proposal').filter((p) => p.status === 'submitted').length;
  $('count-ideas').textContent = pending ? String(pending) : '';
  const offers = rowsOf('help_offer').filter((o) => o.status === 'new').length;
  $('count-offers').textContent = offers ? String(offers) : '';
  const off = state.fleet ? state.fleet.kiosks.filter((k) => !kioskOnline(k)).length : 0;
  $('count-offline').textContent = off ? String(off) : '';
}

/* ---- announcements --------------------------------------------------------------- */

let annFilter = 'current';

function targetLabel(t) {
  if (!t || t === 'all') return 'Toutes les bornes';
  if (t.startsWith('site:')) {
    const s = table('site').get(t.slice(5));
    return `Lieu : ${s ? s.name : t.slice(5)}`;
  }
  if (t.startsWith('kiosk:')) return `Borne ${t.slice(6)}`;
  return t;
}

function fillTargets() {
  const sel = $('ann-site');
  const keep = sel.value;
  const sites = rowsOf('site').sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  if (sel.options.length !== sites.length) {
    clear(sel);
    for (const s of sites) sel.append(el('option', { value: s.id }, s.name));
    if (keep) sel.value = keep;
  }
  const box = $('ann-kiosk-box');
  const names = state.fleet ? state.fleet.kiosks.map((k) => k.name) : [];
  const have = Array.from(box.querySelectorAll('input')).map((i) => i.value);
  if (have.join('\n') !== names.join('\n')) {
    const checked = new Set(Array.from(box.querySelectorAll('input:checked')).map((i) => i.value));
    clear(box);
    if (!names.length) box.append(el('span', { class: 'hint' }, 'Aucune borne enregistrée.'));
    names.forEach((n, i) => {
      const id = `ann-kiosk-${i}`;
      box.append(el('div', { class: 'check' },
        el('input', { type: 'checkbox', id, value: n, checked: checked.has(n) }),
        el('label', { for: id }, n)));
    });
  }
  syncTargetBoxes();
}

function syncTargetBoxes() {
  const kind = document.querySelector('input[name="target-kind"]:checked').value;
  $('ann-site').disabled = kind !== 'site';
  for (const i of $('ann-kiosk-box').querySelectorAll('input')) i.disabled = kind !== 'kiosks';
}

function annBucket(a, now) {
  const s = Date.parse(a.starts_at);
  const e = Date.parse(a.ends_at);
  if (e <= now) return 'past';
  if (s > now) return 'scheduled';
  return 'current';
}

async function withdraw(a) {
  const now = isoUtc(Math.floor(Date.now() / 1000) * 1000);
  const row = { ...a, ends_at: now };
  if (Date.parse(a.starts_at) > Date.now()) row.starts_at = now;
  const results = await push([{ table: 'announcement', row }]);
  if (results[0].status === 'rejected') toast(frenchMessage(results[0], 'announcement', row));
  else {
    table('announcement').set(a.id, row);
    toast('Annonce retirée des bornes.');
    scheduleRender();
  }
}

function renderAnnouncements() {
  const now = Date.now();
  const all = rowsOf('announcement');
  const counts = { current: 0, scheduled: 0, past: 0 };
  for (const a of all) counts[annBucket(a, now)]++;
  for (const s of document.querySelectorAll('[data-ann-count]')) s.textContent = `(${counts[s.dataset.annCount]})`;
  for (const b of document.querySelectorAll('[data-ann-filter]')) b.setAttribute('aria-pressed', String(b.dataset.annFilter === annFilter));
  const order = { urgent: 0, important: 1, info: 2 };
  const list = all.filter((a) => annBucket(a, now) === annFilter).sort((a, b) =>
    (annFilter === 'past' ? b.ends_at.localeCompare(a.ends_at) : (order[a.priority] - order[b.priority]) || a.starts_at.localeCompare(b.starts_at)));
  const ul = $('ann-list');
  clear(ul);
  if (!list.length) {
    ul.append(el('li', { class: 'empty' }, { current: 'Aucune annonce en cours.', scheduled: 'Aucune annonce programmée.', past: 'Aucune annonce passée.' }[annFilter]));
    return;
  }
  for (const a of list) {
    ul.append(el('li', { class: `item p-${a.priority}` },
      el('div', { class: 'item-main' },
        el('span', { class: `badge ${a.priority}` }, PRIORITIES[a.priority] || a.priority),
        el('p', { class: 'item-title' }, a.title),
        el('p', { class: 'item-text' }, a.body),
        el('p', { class: 'item-meta' },
          `${targetLabel(a.target)} · du ${showTime(a.starts_at)} au ${showTime(a.ends_at)}${a.author ? ` · par ${a.author}` : ''}`)),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'btn btn-small', onclick: () => editAnnouncement(a), 'aria-label': `Modifier l’annonce « ${a.title} »` }, 'Modifier'),
        annFilter !== 'past' && el('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: () => withdraw(a), 'aria-label': `Retirer maintenant l’annonce « ${a.title} »` }, 'Retirer maintenant'))));
  }
}

let previewOrientation = 'landscape';
function renderPreview() {
  const box = $('preview');
  box.className = `kiosk-frame ${previewOrientation}`;
  clear(box);
  const title = $('ann-title').value.trim() || 'Titre de l’annonce';
  const body = $('ann-body').value.trim() || 'Le texte de l’annonce s’affiche ici.';
  const prio = $('ann-priority').value;
  const endIso = parisInputToIso($('ann-end').value);
  const kind = document.querySelector('input[name="target-kind"]:checked').value;
  let place = 'Hôtel de ville';
  if (kind === 'site') {
    const s = table('site').get($('ann-site').value);
    if (s) place = s.name;
  }
  box.append(el('div', { class: 'k-status' },
    el('span', {}, place), el('span', { class: 'k-time' }, fmtHM.format(new Date())), el('span', { class: 'k-sync' }, 'En ligne')));
  if (prio === 'urgent') box.append(el('div', { class: 'k-banner' }, `${title} : ${body}`));
  const label = { info: 'Info', important: 'Important', urgent: 'Urgent' }[prio];
  /* The picture at the right of the words, as the kiosk's list shows it. */
  const pic = $('ann-picture') && $('ann-picture').value;
  box.append(el('div', { class: 'k-body' },
    el('p', { class: 'k-h' }, 'Annonces'),
    el('div', { class: `k-card ${prio}` },
      pic ? el('img', { class: 'k-picture', src: `/v1/blobs/${pic}`, alt: '' }) : null,
      el('span', { class: `k-badge ${prio}` }, label),
      el('p', { class: 'k-title' }, title),
      el('p', { class: 'k-text' }, body),
      endIso && el('p', { class: 'k-until' }, `Jusqu’au ${fmtUntil.format(new Date(endIso))}`)),
    el('div', { class: 'k-card ghost' }, el('p', { class: 'k-title' }, 'Autre annonce'))));
  box.append(el('div', { class: 'k-nav' },
    ['Accueil', 'Initiatives', 'Agenda', 'Salles', 'Annonces', 'Annuaire', 'Idées'].map((n) =>
      el('span', { class: n === 'Annonces' ? 'on' : '' }, n))));
}

/* ---- help offers ------------------------------------------------------------------ */

let offerFilter = 'new';

async function passOn(o) {
  const row = { ...o, status: 'passed_on' };
  delete row.created_at;
  const results = await push([{ table: 'help_offer', row }]);
  if (results[0].status === 'rejected') {
    toast(frenchMessage(results[0], 'help_offer', row));
    return;
  }
  table('help_offer').set(o.id, { ...o, status: 'passed_on' });
  toast('Proposition marquée transmise.');
  scheduleRender();
}

/* The offers of the filter, by initiative: its carrier and public contact
 * above them, so staff see to whom to pass them on. */
function renderOffers() {
  const all = rowsOf('help_offer');
  const fresh = all.filter((o) => o.status === 'new').length;
  const stats = $('offer-stats');
  clear(stats);
  stats.append(
    el('div', { class: `stat${fresh ? ' alert' : ''}` }, el('b', {}, String(fresh)), el('span', {}, 'à transmettre')),
    el('div', { class: 'stat' }, el('b', {}, String(all.length - fresh)), el('span', {}, 'transmises')));
  for (const b of document.querySelectorAll('[data-offer-filter]')) b.setAttribute('aria-pressed', String(b.dataset.offerFilter === offerFilter));
  const groups = new Map();
  for (const o of all.filter((x) => x.status === offerFilter).sort((a, b) => (a.created_at || '').localeCompare(b.created_at || ''))) {
    if (!groups.has(o.initiative_id)) groups.set(o.initiative_id, []);
    groups.get(o.initiative_id).push(o);
  }
  const box = $('offer-groups');
  clear(box);
  if (!groups.size) {
    box.append(el('p', { class: 'empty' }, offerFilter === 'new' ? 'Aucune proposition à transmettre.' : 'Aucune proposition transmise.'));
    return;
  }
  for (const [id, offers] of groups) {
    const ini = table('initiative').get(id);
    const title = ini ? ini.title : id;
    box.append(el('section', { class: 'card offer-group', 'data-initiative': id },
      el('h2', {}, title),
      ini && el('p', { class: 'item-meta' }, `Porteur : ${ini.carrier}${ini.contact ? ` · ${ini.contact}` : ''}`),
      el('ul', { class: 'list' }, offers.map((o) => el('li', { class: 'item', 'data-id': o.id },
        el('div', { class: 'item-main' },
          el('p', { class: 'item-title' }, `${o.first_name} · ${o.contact}`),
          el('p', { class: 'item-meta' }, `proposée ${showTime(o.created_at)}`)),
        o.status === 'new' && el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'btn btn-small btn-ok', onclick: () => passOn(o), 'aria-label': `Marquer transmise la proposition de ${o.first_name} pour « ${title} »` }, 'Marquer transmise')))))));
  }
}

/* ---- fleet ------------------------------------------------------------------------ */

let fleetTimer = null;

async function loadFleet() {
  if (!state.me) return;
  try {
    state.fleet = await api('GET', '/v1/fleet');
    state.fleetAt = Date.now();
  } catch (e) { /* keep the last answer */ }
  renderCounts();
  if (currentView() === 'parc') renderFleet();
  if (currentView() === 'annonces') fillTargets();
}

function offlineAfter() {
  return (state.fleet && state.fleet.offline_after) || 90;
}

function kioskOnline(k) {
  if (typeof k.online === 'boolean') return k.online;
  return !!k.last_seen && Date.now() - Date.parse(k.last_seen) <= offlineAfter() * 1000;
}

/* A kiosk's fault on its own machine (GET /v1/fleet `fault`, sent by its
 * syncd as X-Sceaux-Fault): what is wrong, and what to do about it. A code
 * this page does not know yet still shows, as a fault. */
const FAULTS = {
  disk_full: ['Disque plein', 'La borne ne peut plus enregistrer les mises à jour : libérer de la place sur son disque.'],
  read_only: ['Disque en lecture seule', 'La borne ne peut plus écrire sur son disque : vérifier la carte mémoire ou le système de fichiers.'],
};

function faultNote(code) {
  const [label, what] = FAULTS[code] || [`Panne signalée (${code})`, 'Un problème sur la machine de la borne elle-même.'];
  return el('span', { class: 'fault-note' }, el('span', { class: 'badge fault' }, label), el('span', { class: 'hint' }, what));
}

function renderFleet() {
  const f = state.fleet;
  const body = $('fleet-body');
  clear(body);
  $('fleet-note').textContent = `Une borne est hors ligne quand le serveur ne l’a pas vue depuis plus de ${offlineAfter()} s. La page se met à jour toute seule.`;
  const stats = $('fleet-stats');
  clear(stats);
  if (!f) return;
  const on = f.kiosks.filter(kioskOnline).length;
  const off = f.kiosks.length - on;
  const faulty = f.kiosks.filter((k) => k.fault).length;
  stats.append(
    el('div', { class: 'stat' }, el('b', {}, String(on)), el('span', {}, 'en ligne')),
    el('div', { class: `stat${off ? ' alert' : ''}` }, el('b', {}, String(off)), el('span', {}, 'hors ligne')));
  if (faulty) stats.append(el('div', { class: 'stat alert' }, el('b', {}, String(faulty)), el('span', {}, 'en panne sur place')));
  if (!f.kiosks.length) {
    body.append(el('tr', {}, el('td', { colspan: 8, class: 'empty' }, 'Aucune borne enregistrée (sceaux-hub token add --role kiosk).')));
    return;
  }
  for (const k of f.kiosks) {
    const online = kioskOnline(k);
    const seen = k.last_seen ? Date.parse(k.last_seen) : null;
    const site = k.site && table('site').get(k.site);
    let status;
    if (online) status = el('span', { class: 'badge ok' }, 'En ligne');
    else if (seen) status = el('span', {}, el('span', { class: 'badge off' }, 'Hors ligne'), ' ', el('span', { class: 'hint' }, `depuis ${fmtHM.format(new Date(seen))}`));
    else status = el('span', { class: 'badge muted' }, 'Jamais vue');
    body.append(el('tr', { class: online ? 'online' : 'offline', 'data-kiosk': k.name },
      el('th', { scope: 'row' }, k.name, k.fault ? faultNote(k.fault) : null),
      el('td', {}, site ? site.name : (k.site || '—')),
      el('td', { class: 'state' }, status),
      el('td', {}, seen ? `${ago(seen)} (${showTime(k.last_seen)})` : '—'),
      el('td', { class: 'num' }, `${k.lag} changement${k.lag > 1 ? 's' : ''}`),
      el('td', { class: 'num' }, k.outbox === null ? '—' : String(k.outbox)),
      el('td', {}, k.version || '—'),
      el('td', {}, k.address || '—')));
  }
}

/* ---- bookings ------------------------------------------------------------------------ */

function renderBookings() {
  const sel = $('booking-room');
  const rooms = rowsOf('room').sort((a, b) => refLabel('room', a).localeCompare(refLabel('room', b), 'fr'));
  if (sel.options.length !== rooms.length) {
    const keep = sel.value;
    clear(sel);
    for (const r of rooms) sel.append(el('option', { value: r.id }, refLabel('room', r)));
    if (keep) sel.value = keep;
  }
  if (!$('booking-day').value) $('booking-day').value = isoToParisInput(isoUtc(Date.now())).slice(0, 10);
  const day = $('booking-day').value;
  const list = rowsOf('booking').filter((b) => b.room_id === sel.value && parisDay(b.starts_at) === day)
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const ul = $('booking-list');
  clear(ul);
  if (!list.length) {
    ul.append(el('li', { class: 'empty' }, 'Aucune réservation ce jour-là pour cette salle.'));
    return;
  }
  for (const b of list) {
    const when = `${fmtHM.format(new Date(b.starts_at))} – ${fmtHM.format(new Date(b.ends_at))}`;
    const confirmed = b.status === 'confirmed';
    ul.append(el('li', { class: `item ${confirmed ? 'p-info' : 'p-important'}` },
      el('div', { class: 'item-main' },
        el('span', { class: `badge ${confirmed ? 'ok' : 'muted'}` }, confirmed ? 'Confirmée' : 'Annulée'),
        el('p', { class: 'item-title' }, `${when} · ${b.holder}`),
        b.purpose && el('p', { class: 'item-text' }, b.purpose)),
      confirmed && el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: () => cancelBooking(b), 'aria-label': `Annuler la réservation de ${b.holder}, ${when}` }, 'Annuler la réservation'))));
  }
}

async function cancelBooking(b) {
  const results = await push([{ table: 'booking', row: { id: b.id, status: 'cancelled' } }]);
  if (results[0].status === 'rejected') toast(frenchMessage(results[0], 'booking', b));
  else {
    table('booking').set(b.id, { ...b, status: 'cancelled' });
    toast('Réservation annulée.');
    scheduleRender();
  }
}

/* ---- audit ------------------------------------------------------------------------ */

async function loadAudit() {
  if (!state.me) return;
  try {
    const out = await api('GET', '/v1/console/audit?limit=200');
    state.audit = out.entries;
  } catch (e) { /* keep the last answer */ }
  if (currentView() === 'journal') renderAudit();
}

const ACTIONS = { upsert: 'Enregistrement', delete: 'Suppression', invalid: 'Enregistrement (mal formé)', login: 'Connexion', logout: 'Déconnexion', login_failed: 'Connexion refusée', signature: 'Signature' };
const STATUSES = { submitted: 'à modérer', published: 'publiée', rejected: 'refusée', confirmed: 'confirmée', cancelled: 'annulée', new: 'à transmettre', passed_on: 'transmise' };
const RESULTS = { applied: 'fait', ok: 'fait', duplicate: 'déjà fait', rejected: 'refusé', refused: 'refusé' };
function renderAudit() {
  const body = $('audit-body');
  clear(body);
  if (!state.audit.length) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'empty' }, 'Rien pour l’instant.')));
    return;
  }
  for (const a of state.audit) {
    /* A moderation or a cancel is noted by its new status. */
    const detail = ['proposal', 'booking', 'help_offer'].includes(a.table) && STATUSES[a.detail] ? STATUSES[a.detail] : a.detail;
    const why = a.error ? frenchMessage({ error: a.error, field: a.field }, a.table) : '';
    const what = [a.table ? `${TABLE_NAMES[a.table] || a.table} ${a.row_id || ''}` : '', detail, why].filter(Boolean).join(' — ');
    const ok = a.status === 'applied' || a.status === 'ok';
    body.append(el('tr', {},
      el('td', { class: 'when' }, showTime(a.at)), el('td', {}, a.user), el('td', {}, ACTIONS[a.action] || a.action),
      el('td', { class: 'what' }, what), el('td', {}, el('span', { class: `badge ${ok ? 'ok' : 'off'}` }, RESULTS[a.status] || a.status || 'refusé'))));
  }
}

/* ---- wiring ---------------------------------------------------------------------------- */

function wire() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  window.addEventListener('hashchange', route);

  $('ann-form').addEventListener('submit', onAnnSubmit);
  $('ann-reset').addEventListener('click', resetAnnForm);
  for (const id of ['ann-title', 'ann-body', 'ann-author']) {
    $(id).addEventListener('input', () => { counter($(id), $(`${id}-count`)); renderPreview(); });
  }
  for (const id of ['ann-priority', 'ann-end', 'ann-site']) $(id).addEventListener('change', renderPreview);
  for (const r of document.querySelectorAll('input[name="target-kind"]')) {
    r.addEventListener('change', () => { syncTargetBoxes(); renderPreview(); });
  }
  const orient = (o) => {
    previewOrientation = o;
    $('pv-landscape').setAttribute('aria-pressed', String(o === 'landscape'));
    $('pv-portrait').setAttribute('aria-pressed', String(o === 'portrait'));
    renderPreview();
  };
  $('pv-landscape').addEventListener('click', () => orient('landscape'));
  $('pv-portrait').addEventListener('click', () => orient('portrait'));
  for (const b of document.querySelectorAll('[data-ann-filter]')) {
    b.addEventListener('click', () => { annFilter = b.dataset.annFilter; renderAnnouncements(); });
  }
  wireIdeas();
  for (const b of document.querySelectorAll('[data-offer-filter]')) {
    b.addEventListener('click', () => { offerFilter = b.dataset.offerFilter; renderOffers(); });
  }
  for (const b of document.querySelectorAll('[data-kind]')) {
    b.addEventListener('click', () => { contentKind = b.dataset.kind; $('content-search').value = ''; openContent(null); });
  }
  $('content-new').addEventListener('click', () => { openContent(null); $('content-fields').querySelector('input, textarea, select').focus(); });
  $('content-search').addEventListener('input', renderContentList);
  $('content-form').addEventListener('submit', onContentSubmit);
  $('content-delete').addEventListener('click', onContentDelete);
  $('confirm-ok').addEventListener('click', () => $('confirm').close('ok'));
  $('confirm-cancel').addEventListener('click', () => $('confirm').close('cancel'));
  $('booking-room').addEventListener('change', renderBookings);
  $('booking-day').addEventListener('change', renderBookings);
  $('booking-form').addEventListener('submit', (e) => e.preventDefault());

  /* The fleet refreshes by itself: often while it is on screen. */
  fleetTimer = setInterval(() => {
    if (!state.me) return;
    const onFleet = currentView() === 'parc';
    if (onFleet || Date.now() - state.fleetAt > 15000) loadFleet();
    else if (onFleet) renderFleet();
  }, 1000);
}

async function start() {
  wire();
  try {
    await loadSchema();
  } catch (e) {
    loggedOut('Le serveur ne répond pas : rechargez la page dans un instant.');
    return;
  }
  resetAnnForm();
  try {
    const me = await api('GET', '/v1/console/session');
    loggedIn(me);
  } catch (e) {
    loggedOut('');
  }
}

document.addEventListener('DOMContentLoaded', start);
