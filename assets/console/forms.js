/* Staff console: forms (loaded after console.js, sharing its globals).
 *
 * The protocol's numbers come from the hub (GET /v1/console/schema, built
 * from shared/tables.h and shared/caps.h): field lengths, required
 * columns, enum values. Nothing here repeats them. Every error staff see
 * is French and sits beside its field: the console checks a row before
 * sending it (checkRow), and a refusal from the hub is turned into French
 * from its error code and field (frenchMessage), never shown in the hub's
 * English. Also here: the announcement form (with the account's
 * signature) and the content forms (initiatives, events, rooms,
 * organizations) with their delete, behind a confirmation dialog. */
'use strict';

/* ---- schema ------------------------------------------------------------------ */

let SCHEMA = null; /* table -> Map(column -> {type, required, pushable, max, values}) */
let SCHEMA_CAPS = null; /* {body_max, picture_max, ...} */

async function loadSchema() {
  const out = await api('GET', '/v1/console/schema');
  SCHEMA = {};
  for (const [t, cols] of Object.entries(out.tables)) SCHEMA[t] = new Map(cols.map((c) => [c.name, c]));
  SCHEMA_CAPS = out.caps;
  for (const id of ['ann-title', 'ann-body']) $(id).dataset.max = column('announcement', id.slice(4)).max;
  $('ann-author').dataset.max = column('announcement', 'author').max;
  if (out.retention) $('offer-days').textContent = String(out.retention.offer_days);
}

function column(tableName, col) {
  return (SCHEMA && SCHEMA[tableName] && SCHEMA[tableName].get(col)) || {};
}

/* ---- French messages ---------------------------------------------------------- */

/* A refusal per error code; for `invalid`, per what the field holds. The
 * hub's English message is never shown. */
const ERRORS = {
  required: 'Ce champ est obligatoire.',
  too_long: (max) => `Trop long : ${max} caractères au plus.`,
  invalid: {
    text: 'Texte refusé : vide, trop long ou avec des caractères interdits.',
    time: 'Indiquez une date et une heure valides.',
    hhmm: 'Indiquez une heure au format HH:MM.',
    enum: 'Choisissez une valeur de la liste.',
    set: 'Cochez des valeurs de la liste, chacune une fois.',
    id: 'Choisissez un élément de la liste.',
    int: 'Indiquez un nombre entier, 0 ou plus.',
    target: 'Choisissez les bornes concernées.',
    code: 'Le code doit compter de 6 à 12 chiffres.',
    ends_at: 'La fin doit venir après le début, et pas dans le passé.',
    starts_at: 'Ce début ne convient pas (heures d’ouverture de la salle ?).',
    closes: 'La fermeture doit venir après l’ouverture.',
    rrule: 'Cette répétition n’est pas acceptée : choisissez-en une de la liste.',
    value: 'Indiquez un nombre entier, 0 ou plus (100 au plus pour un pourcentage).',
    year: 'Indiquez une année entre 1900 et 2100.',
    chart: 'Un identifiant : lettres sans accent, chiffres, « - » ou « _ », sans espace.',
    picture: 'Cette image n’est pas reconnue : envoyez-la de nouveau.',
    picture_alt: 'Décrivez l’image en quelques mots, pour les personnes qui ne la voient pas.',
    _: 'Valeur refusée.',
  },
  forbidden: 'Vous n’avez pas le droit de faire cette modification.',
  conflict: 'La salle est déjà réservée sur ce créneau.',
  bad_code: 'Le code d’annulation ne correspond pas.',
  unavailable: 'Cette salle n’existe plus ou n’est pas réservable.',
  exists: 'Un élément porte déjà cet identifiant.',
  not_found: 'Cet élément n’existe plus : il a peut-être été supprimé.',
  too_big: 'Trop de données en une fois : enregistrez en plusieurs fois.',
  _: 'Le serveur a refusé cette modification.',
};

/* The French message of a check or a push result ({error, field}) about
 * `row` of tableName (both may be missing: the journal has no row). */
function frenchMessage(r, tableName, row) {
  if (r.error !== 'invalid') return ERRORS[r.error] || ERRORS._;
  const col = (r.field || '').split('.').pop();
  if (col === 'picture_alt') return ERRORS.invalid.picture_alt;
  const spec = column(tableName, col);
  if (row) {
    const v = row[col];
    if (spec.type && (v === undefined || v === null || (typeof v === 'string' && !v.trim()))) return ERRORS.required;
    if (spec.max && typeof v === 'string' && Array.from(v).length > spec.max) return ERRORS.too_long(spec.max);
  }
  return ERRORS.invalid[col] || ERRORS.invalid[spec.type] || ERRORS.invalid._;
}

/* The problems of `row` for tableName that the console can see before
 * sending: a required column empty or blank, a text too long, an integer
 * out of range. [{field, message}] in column order. */
function checkRow(tableName, row) {
  const out = [];
  for (const [col, spec] of (SCHEMA && SCHEMA[tableName]) || []) {
    if (!spec.pushable || !(col in row)) continue;
    const v = row[col];
    const empty = v === null || v === undefined || (typeof v === 'string' && !v.trim());
    let bad = null;
    /* A picture goes with its description (docs/protocol.md). */
    if (empty && (spec.required || (col === 'picture_alt' && row.picture))) bad = { error: 'invalid', field: col };
    else if (!empty && spec.type === 'text' && Array.from(v).length > spec.max) bad = { error: 'invalid', field: col };
    else if (!empty && spec.type === 'int' && !(Number.isInteger(v) && v >= 0 && v <= 2147483647)) bad = { error: 'invalid', field: col };
    if (bad) out.push({ field: col, message: frenchMessage(bad, tableName, row) });
  }
  return out;
}

/* ---- field errors ------------------------------------------------------------ */

function clearErrors(form) {
  for (const f of form.querySelectorAll('.field')) f.classList.remove('has-error');
  for (const e of form.querySelectorAll('.field-error, .form-error')) e.textContent = '';
}

/* Shows each {field, message} beside its field (`${prefix}${field}-error`),
 * or in the form's own line (fallbackId) when the form has no such field;
 * the first field in error takes the focus. */
function showErrors(form, prefix, errors, fallbackId) {
  let first = null;
  for (const { field, message } of errors) {
    const target = field && $(`${prefix}${field}-error`);
    if (!target) {
      $(fallbackId).textContent = message;
      continue;
    }
    target.textContent = message;
    const f = target.closest('.field');
    if (f) f.classList.add('has-error');
    first = first || (f && f.querySelector('input, textarea, select'));
  }
  if (first) first.focus();
}

function counter(input, out) {
  const max = +input.dataset.max;
  const n = Array.from(input.value).length;
  out.textContent = max ? `${n} / ${max} caractères` : '';
  out.style.color = max && n > max ? 'var(--urgent)' : '';
}

/* Checks rows of one table, pushes them; on a problem shows it beside its
 * field and stops; on success toasts and calls done(). */
async function saveRows(tableName, rows, form, prefix, fallbackId, okText, done) {
  const problems = rows.flatMap((row) => checkRow(tableName, row));
  if (problems.length) {
    showErrors(form, prefix, problems, fallbackId);
    return false;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const results = await push(rows.map((row) => ({ table: tableName, row })));
    const i = results.findIndex((r) => r.status === 'rejected' || r.error);
    if (i >= 0) {
      const r = results[i];
      showErrors(form, prefix, [{ field: (r.field || '').split('.').pop(), message: frenchMessage(r, tableName, rows[i]) }], fallbackId);
      return false;
    }
    rows.forEach((row) => table(tableName).set(row.id, { ...table(tableName).get(row.id), ...row }));
    toast(okText);
    if (done) done();
    scheduleRender();
    return true;
  } catch (e) {
    $(fallbackId).textContent = e.status === 403
      ? 'Action refusée : vérifiez que la page est bien ouverte à l’adresse du serveur.'
      : `L’enregistrement a échoué (${e.status ? `erreur ${e.status}` : 'serveur injoignable'}).`;
    return false;
  } finally {
    button.disabled = false;
  }
}

/* ---- announcement form ------------------------------------------------------ */

function annDefaults() {
  const now = Date.now();
  const start = Math.floor(now / 60000) * 60000;
  $('ann-start').value = isoToParisInput(isoUtc(start));
  /* a week, ending at 23:59 Paris time */
  const end = isoToParisInput(isoUtc(start + 7 * 86400000)).slice(0, 10) + 'T23:59';
  $('ann-end').value = end;
}

/* The form's picture field, anew with the announcement's picture. */
function annPicture(a) {
  const box = $('ann-picture-box');
  clear(box);
  box.append(pictureFields('announcement', a.picture, a.picture_alt, 'ann-'));
}

function resetAnnForm() {
  const f = $('ann-form');
  f.reset();
  annPicture({});
  clearErrors(f);
  $('ann-id').value = '';
  $('ann-form-title').textContent = 'Nouvelle annonce';
  $('ann-submit').textContent = 'Publier l’annonce';
  annDefaults();
  syncTargetBoxes();
  annCounters();
  renderPreview();
}

function annCounters() {
  if (state.me) $('ann-author').value = state.me.signature || '';
  for (const id of ['ann-title', 'ann-body', 'ann-author']) counter($(id), $(`${id}-count`));
}

function editAnnouncement(a) {
  location.hash = '#annonces';
  const f = $('ann-form');
  clearErrors(f);
  $('ann-id').value = a.id;
  $('ann-title').value = a.title;
  $('ann-body').value = a.body;
  $('ann-priority').value = a.priority;
  $('ann-start').value = isoToParisInput(a.starts_at);
  $('ann-end').value = isoToParisInput(a.ends_at);
  annPicture(a);
  const t = a.target || 'all';
  if (t.startsWith('site:')) {
    $('ann-target-site').checked = true;
    $('ann-site').value = t.slice(5);
  } else if (t.startsWith('kiosk:')) {
    $('ann-target-kiosks').checked = true;
    for (const i of $('ann-kiosk-box').querySelectorAll('input')) i.checked = i.value === t.slice(6);
  } else {
    $('ann-target-all').checked = true;
  }
  syncTargetBoxes();
  $('ann-form-title').textContent = 'Modifier l’annonce';
  $('ann-submit').textContent = 'Enregistrer les modifications';
  annCounters();
  renderPreview();
  $('ann-title').focus();
}

/* The announcement rows of the form (one per chosen kiosk: a target names
 * one kiosk), or null with the error shown when no kiosk is chosen. */
function annRows() {
  const kind = document.querySelector('input[name="target-kind"]:checked').value;
  let targets = ['all'];
  if (kind === 'site') targets = [`site:${$('ann-site').value}`];
  if (kind === 'kiosks') {
    targets = Array.from($('ann-kiosk-box').querySelectorAll('input:checked')).map((i) => `kiosk:${i.value}`);
    if (!targets.length) {
      showErrors($('ann-form'), 'ann-', [{ field: 'target', message: 'Choisissez au moins une borne.' }], 'ann-error');
      return null;
    }
  }
  const editing = $('ann-id').value;
  return targets.map((target, i) => readPicture('ann-', {
    id: i === 0 && editing ? editing : newId('annonce'),
    title: $('ann-title').value.trim(), body: $('ann-body').value.trim(), priority: $('ann-priority').value,
    starts_at: parisInputToIso($('ann-start').value), ends_at: parisInputToIso($('ann-end').value), target,
  }));
}

/* Saves the signature typed in the form as the account's when it changed
 * (blank: back to the service's); false with the error shown. */
async function saveSignature() {
  const typed = $('ann-author').value.trim();
  if (typed === state.me.signature) return true;
  const problems = typed ? checkRow('announcement', { author: typed }) : [];
  if (!problems.length) {
    try {
      state.me = await api('POST', '/v1/console/signature', { signature: typed || null });
      $('ann-author').value = state.me.signature;
      return true;
    } catch (e) {
      problems.push({ field: 'author', message: frenchMessage({ ...e.body, field: 'author' }, 'announcement', { author: typed }) });
    }
  }
  showErrors($('ann-form'), 'ann-', problems, 'ann-error');
  return false;
}

async function onAnnSubmit(ev) {
  ev.preventDefault();
  const f = $('ann-form');
  clearErrors(f);
  const rows = annRows();
  if (!rows || !await saveSignature()) return;
  /* The hub signs a session's announcements itself; the row says the same. */
  for (const r of rows) r.author = state.me.signature;
  await saveRows('announcement', rows, f, 'ann-', 'ann-error',
    $('ann-id').value ? 'Annonce modifiée.' : 'Annonce publiée : elle part vers les bornes.', resetAnnForm);
}

/* ---- confirmation ----------------------------------------------------------- */

/* Asks `question` in the page's modal dialog; true when staff confirm. */
function confirmDialog(question, confirmLabel) {
  const d = $('confirm');
  $('confirm-text').textContent = question;
  $('confirm-ok').textContent = confirmLabel;
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.returnValue = '';
    d.showModal();
    $('confirm-cancel').focus();
  });
}

/* ---- content ----------------------------------------------------------------------- */

/* Form fields per table: [column, label, type, options]. Types: text,
 * textarea, int, bool, time (datetime, Paris), hhmm, enum, ref, rrule
 * (an event's repetition: ruleField), set (checkboxes: setField), picture
 * (with its description: pictureFields in picture.js). Lengths,
 * required columns and enum values come from the schema; `labels` gives
 * an enum's French words. */
const SPECS = {
  initiative: {
    title: 'initiative', a: 'une initiative', the: 'l’initiative', she: true, label: (r) => r.title, prefix: 'initiative',
    meta: (r) => `${DOMAINS[r.domain] || r.domain} · ${STAGES[r.stage] || r.stage}${r.published ? '' : ' · non publiée'}`,
    fields: [
      ['title', 'Titre', 'text'], ['summary', 'Résumé', 'textarea', { rows: 2 }],
      ['description', 'Description', 'textarea', { rows: 6 }], ['domain', 'Domaine', 'enum', { labels: DOMAINS }],
      ['stage', 'Étape', 'enum', { labels: STAGES }], ['carrier', 'Porteur du projet', 'text'],
      ['contact', 'Contact', 'text'], ['url', 'Site web', 'text'],
      ['published', 'Publiée sur les bornes', 'bool'], ['picture', 'Image', 'picture'],
      ['organization_id', 'Acteur qui le porte ou l’accompagne', 'ref', { table: 'organization' }],
    ],
  },
  event: {
    title: 'événement', a: 'un événement', the: 'l’événement', she: false, label: (r) => r.title, prefix: 'evenement',
    meta: (r) => `${CATEGORIES[r.category] || r.category} · ${showTime(r.starts_at)}`,
    fields: [
      ['title', 'Titre', 'text'], ['description', 'Description', 'textarea', { rows: 5 }],
      ['starts_at', 'Début (heure de Paris)', 'time'], ['ends_at', 'Fin (heure de Paris)', 'time'],
      ['category', 'Catégorie', 'enum', { labels: CATEGORIES }], ['site_id', 'Lieu', 'ref', { table: 'site' }],
      ['room_id', 'Salle', 'ref', { table: 'room' }], ['place', 'Adresse ou précision', 'text'],
      ['domain', 'Domaine', 'enum', { labels: DOMAINS }], ['organizer', 'Organisateur', 'text'],
      ['url', 'Site web', 'text'], ['rrule', 'Répétition', 'rrule'], ['picture', 'Affiche', 'picture'],
      ['organization_id', 'Acteur présent', 'ref', { table: 'organization' }],
    ],
  },
  room: {
    title: 'salle', a: 'une salle', the: 'la salle', she: true, label: (r) => r.name, prefix: 'salle',
    meta: (r) => `${(table('site').get(r.site_id) || {}).name || r.site_id} · ${r.capacity} places · ${r.opens}–${r.closes}${r.bookable ? '' : ' · non réservable'}`,
    fields: [
      ['name', 'Nom', 'text'], ['site_id', 'Lieu', 'ref', { table: 'site' }], ['capacity', 'Capacité (personnes)', 'int'],
      ['equipment', 'Équipement', 'text'], ['bookable', 'Réservable sur les bornes', 'bool'],
      ['opens', 'Ouverture', 'hhmm'], ['closes', 'Fermeture', 'hhmm'],
    ],
  },
  organization: {
    title: 'organisation', a: 'une organisation', the: 'l’organisation', she: true, label: (r) => r.name, prefix: 'organisation',
    meta: (r) => KINDS[r.kind] || r.kind,
    fields: [
      ['name', 'Nom', 'text'], ['kind', 'Type', 'enum', { labels: KINDS }],
      ['description', 'Description', 'textarea', { rows: 5 }], ['domain', 'Domaine', 'enum', { labels: DOMAINS }],
      ['contact', 'Contact', 'text'], ['url', 'Site web', 'text'],
      ['address', 'Adresse', 'text'], ['picture', 'Logo', 'picture'],
      ['offers', 'Ce qu’il propose', 'set', { labels: OFFERS }], ['stages', 'Étapes accompagnées', 'set', { labels: STAGES }],
    ],
  },
  /* A key figure of the kiosk's "L'ESS en chiffres": those of one chart
   * (its identifier) show together, by position. */
  figure: {
    title: 'chiffre', a: 'un chiffre', the: 'le chiffre', she: false, label: (r) => r.label, prefix: 'chiffre',
    meta: (r) => `${r.chart} · ${FIGURE_KINDS[r.kind] || r.kind} · ${QUALIFIERS[r.qualifier] ? `${QUALIFIERS[r.qualifier]} ` : ''}${Number(r.value).toLocaleString('fr-FR')}${r.unit === 'percent' ? ' %' : r.unit === 'euro' ? ' €' : ''}`,
    order: (a, b) => a.chart.localeCompare(b.chart, 'fr') || a.position - b.position,
    fields: [
      ['chart', 'Graphique (identifiant commun aux chiffres montrés ensemble)', 'text'],
      ['kind', 'Présentation', 'enum', { labels: FIGURE_KINDS }], ['label', 'Libellé', 'text'],
      ['label_en', 'Libellé en anglais', 'text'], ['domain', 'Domaine', 'enum', { labels: DOMAINS }],
      ['value', 'Valeur (nombre entier)', 'int'], ['unit', 'Unité', 'enum', { labels: FIGURE_UNITS }],
      ['qualifier', 'Précision', 'enum', { labels: QUALIFIERS }], ['source', 'Source', 'text'],
      ['year', 'Année de la source', 'int'], ['position', 'Ordre d’affichage', 'int'],
    ],
  },
};

/* ---- an event's repetition (event.rrule, docs/protocol.md) ---- */

const WEEKDAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const RULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
let ruleKept = null; /* a rule the choices cannot show, kept as written */

/* The start's weekday (0 = Sunday) and its rank in the month (-1: the
 * fifth, which is always the last), from the start field (Paris). */
function startRank() {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(($('cf-starts_at') || {}).value || '');
  if (!m) return null;
  const day = Number(m[3]);
  const n = Math.ceil(day / 7);
  return { wd: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, day)).getUTCDay(), n: n === 5 ? -1 : n };
}

function monthlyLabel() {
  const r = startRank();
  if (!r) return 'Chaque mois, le même jour de la semaine que le début';
  return `Chaque mois, le ${r.n === -1 ? 'dernier' : r.n === 1 ? '1er' : `${r.n}e`} ${WEEKDAYS[r.wd]}`;
}

/* The choice that shows `rule` ('' none, weekly, monthly, keep) and its
 * UNTIL as a Paris date ('' when none). */
function ruleChoice(rule) {
  if (!rule) return { kind: '', until: '' };
  const parts = Object.fromEntries(rule.split(';').map((p) => p.split('=')));
  const u = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(parts.UNTIL || '');
  const until = u ? isoToParisInput(`${u[1]}-${u[2]}-${u[3]}T${u[4]}:${u[5]}:${u[6]}Z`).slice(0, 10) : '';
  const others = Object.keys(parts).filter((k) => !['FREQ', 'BYDAY', 'UNTIL'].includes(k));
  if (!others.length && parts.FREQ === 'WEEKLY' && !parts.BYDAY) return { kind: 'weekly', until };
  if (!others.length && parts.FREQ === 'MONTHLY' && /^(-1|[1-5])[A-Z]{2}$/.test(parts.BYDAY || '')) return { kind: 'monthly', until };
  return { kind: 'keep', until: '' };
}

/* A choice (none, every week, every month on the start's Nth weekday)
 * and an end date; the monthly words follow the start field. */
function ruleField(value) {
  const c = ruleChoice(value);
  ruleKept = c.kind === 'keep' ? value : null;
  const select = el('select', { id: 'cf-rrule', name: 'rrule', 'aria-describedby': 'cf-rrule-error' },
    el('option', { value: '' }, 'Une seule fois'), el('option', { value: 'weekly' }, 'Chaque semaine, le même jour'),
    el('option', { value: 'monthly', id: 'cf-rrule-monthly' }, monthlyLabel()));
  if (ruleKept) select.append(el('option', { value: 'keep' }, `Règle actuelle, conservée : ${value}`));
  select.value = c.kind;
  const until = el('input', { type: 'date', id: 'cf-rrule-until', 'aria-describedby': 'cf-rrule-error' });
  until.value = c.until;
  const untilBox = el('div', { class: 'field' }, el('label', { for: 'cf-rrule-until' }, 'Jusqu’au (facultatif)'), until);
  const sync = () => { untilBox.hidden = select.value === '' || select.value === 'keep'; };
  select.addEventListener('change', sync);
  sync();
  return el('div', { class: 'field', 'data-field': 'rrule' },
    el('label', { for: 'cf-rrule' }, 'Répétition'), select, untilBox, el('span', { class: 'field-error', id: 'cf-rrule-error' }));
}

/* The rule of the choice, for the start in the form; null for none. */
function readRule() {
  const kind = $('cf-rrule').value;
  if (kind === '' || kind === 'keep') return kind ? ruleKept : null;
  const r = startRank() || { wd: 1, n: 1 };
  let rule = kind === 'weekly' ? 'FREQ=WEEKLY' : `FREQ=MONTHLY;BYDAY=${r.n}${RULE_DAYS[r.wd]}`;
  const until = $('cf-rrule-until').value;
  if (until) rule += `;UNTIL=${(parisInputToIso(`${until}T23:59`) || '').replace(/[-:]/g, '')}`;
  return rule;
}

let contentKind = 'initiative';
let contentEditing = null; /* id of the row in the form, null for a new one */

function refLabel(tableName, r) {
  if (tableName === 'room') {
    const s = table('site').get(r.site_id);
    return `${r.name}${s ? ` (${s.name})` : ''}`;
  }
  return r.name || r.title || r.id;
}

function fieldInput(id, col, type, opt, spec, value, describe) {
  if (type === 'textarea') {
    const input = el('textarea', { id, name: col, rows: opt.rows || 3, 'data-max': spec.max, 'aria-describedby': describe });
    input.value = value || '';
    return input;
  }
  if (type === 'enum' || type === 'ref') {
    const input = el('select', { id, name: col, 'aria-describedby': describe });
    if (!spec.required) input.append(el('option', { value: '' }, '—'));
    const entries = type === 'enum' ? (spec.values || []).map((v) => [v, (opt.labels && opt.labels[v]) || v])
      : rowsOf(opt.table).map((r) => [r.id, refLabel(opt.table, r)]).sort((a, b) => a[1].localeCompare(b[1], 'fr'));
    for (const [v, l] of entries) input.append(el('option', { value: v }, l));
    /* A required choice starts on its first option, never on nothing. */
    if (value) input.value = value;
    else if (!spec.required) input.value = '';
    return input;
  }
  const attrs = { id, name: col, 'aria-describedby': describe, 'aria-required': spec.required ? 'true' : null };
  if (type === 'int') Object.assign(attrs, { type: 'number', min: 0, step: 1 });
  else if (type === 'time') attrs.type = 'datetime-local';
  else if (type === 'hhmm') attrs.type = 'time';
  else Object.assign(attrs, { type: 'text', 'data-max': spec.max });
  const input = el('input', attrs);
  if (type === 'time') input.value = value ? isoToParisInput(value) : '';
  else input.value = value === null || value === undefined ? '' : String(value);
  return input;
}

/* A set column (docs/protocol.md): a checkbox per value, read back as
 * "a,b" in the schema's order, null when none is checked. */
function setField(tableName, col, label, opt, value) {
  const spec = column(tableName, col);
  const have = new Set((value || '').split(',').filter(Boolean));
  const boxes = (spec.values || []).map((v) => {
    const input = el('input', { type: 'checkbox', id: `cf-${col}-${v}`, name: col, value: v, checked: have.has(v), 'aria-describedby': `cf-${col}-error` });
    return el('div', { class: 'check' }, input, el('label', { for: input.id }, (opt.labels && opt.labels[v]) || v));
  });
  return el('fieldset', { class: 'field', 'data-field': col, id: `cf-${col}` },
    el('legend', {}, spec.required ? label : `${label} (facultatif)`), ...boxes, el('span', { class: 'field-error', id: `cf-${col}-error` }));
}

function readSet(col) {
  const v = Array.from($(`cf-${col}`).querySelectorAll('input:checked')).map((i) => i.value).join(',');
  return v || null;
}

function buildField(tableName, col, label, type, opt, value) {
  if (type === 'rrule') return ruleField(value);
  if (type === 'set') return setField(tableName, col, label, opt, value);
  const id = `cf-${col}`;
  const spec = column(tableName, col);
  const err = el('span', { class: 'field-error', id: `${id}-error` });
  const describe = `${id}-error${spec.max ? ` ${id}-count` : ''}`;
  if (type === 'bool') {
    const input = el('input', { type: 'checkbox', id, name: col, checked: !!value, 'aria-describedby': describe });
    return el('div', { class: 'field', 'data-field': col }, el('div', { class: 'check' }, input, el('label', { for: id }, label)), err);
  }
  const input = fieldInput(id, col, type, opt, spec, value, describe);
  const parts = [el('label', { for: id }, spec.required ? label : `${label} (facultatif)`), input];
  if (spec.max) {
    const c = el('span', { class: 'hint', id: `${id}-count` });
    counter(input, c);
    input.addEventListener('input', () => counter(input, c));
    parts.push(c);
  }
  parts.push(err);
  return el('div', { class: 'field', 'data-field': col }, ...parts);
}

function openContent(id) {
  const spec = SPECS[contentKind];
  contentEditing = id;
  const row = id ? table(contentKind).get(id) || {} : { published: true, bookable: true, opens: '09:00', closes: '18:00', capacity: 10 };
  $('content-form-title').textContent = id ? `Modifier : ${spec.label(row)}` : spec.title === 'événement' ? 'Nouvelle fiche événement' : `${spec.she ? 'Nouvelle' : 'Nouveau'} ${spec.title}`;
  const box = $('content-fields');
  clear(box);
  clearErrors($('content-form'));
  for (const [col, label, type, opt] of spec.fields) {
    box.append(type === 'picture' ? pictureFields(contentKind, row.picture, row.picture_alt, 'cf-')
      : buildField(contentKind, col, label, type, opt || {}, row[col]));
  }
  if ($('cf-rrule')) $('cf-starts_at').addEventListener('input', () => { $('cf-rrule-monthly').textContent = monthlyLabel(); });
  $('content-delete').hidden = !id;
  renderContentList();
}

function readContent() {
  const spec = SPECS[contentKind];
  const old = contentEditing ? table(contentKind).get(contentEditing) || {} : {};
  const row = { id: contentEditing || newId(spec.prefix) };
  for (const [col, , type] of spec.fields) {
    if (type === 'picture') {
      readPicture('cf-', row);
      continue;
    }
    const input = $(`cf-${col}`);
    let v;
    if (type === 'bool') v = input.checked;
    else if (type === 'int') v = input.value === '' ? null : Number(input.value);
    else if (type === 'time') v = parisInputToIso(input.value);
    else if (type === 'rrule') v = readRule();
    else if (type === 'set') v = readSet(col);
    else v = input.value.trim();
    if (v === '' && !column(contentKind, col).required) v = null;
    row[col] = v;
  }
  for (const k of ['supports', 'updated_at']) if (k in old) row[k] = old[k];
  return row;
}

async function onContentSubmit(ev) {
  ev.preventDefault();
  const form = $('content-form');
  clearErrors(form);
  const row = readContent();
  const isNew = !contentEditing;
  const ok = await saveRows(contentKind, [row], form, 'cf-', 'content-error',
    isNew ? 'Créé : visible sur les bornes dans quelques secondes.' : 'Modifications enregistrées.');
  if (ok) {
    contentEditing = row.id;
    $('content-form-title').textContent = `Modifier : ${SPECS[contentKind].label(row)}`;
    $('content-delete').hidden = false;
    renderContentList();
  }
}

/* Deletes the row of the form once staff confirm; kiosks drop it at their
 * next pull. */
async function onContentDelete() {
  const spec = SPECS[contentKind];
  const row = contentEditing && table(contentKind).get(contentEditing);
  if (!row) return;
  const yes = await confirmDialog(
    `Supprimer « ${spec.label(row)} » ? ${spec.she ? 'Elle' : 'Il'} disparaîtra de toutes les bornes. Cette action ne peut pas être annulée.`,
    `Supprimer ${spec.the}`);
  if (!yes) return;
  clearErrors($('content-form'));
  try {
    const results = await push([{ table: contentKind, op: 'delete', row: { id: row.id } }]);
    if (results[0].status === 'rejected') {
      $('content-error').textContent = frenchMessage(results[0], contentKind, row);
      return;
    }
  } catch (e) {
    $('content-error').textContent = `La suppression a échoué (${e.status ? `erreur ${e.status}` : 'serveur injoignable'}).`;
    return;
  }
  table(contentKind).delete(row.id);
  toast(`Supprimé : « ${spec.label(row)} ».`);
  openContent(null);
}

function renderContentList() {
  const spec = SPECS[contentKind];
  for (const b of document.querySelectorAll('[data-kind]')) b.setAttribute('aria-pressed', String(b.dataset.kind === contentKind));
  $('content-new').textContent = `Créer ${spec.a}`;
  if (!$('content-fields').firstChild && state.loaded && SCHEMA) openContent(null);
  const q = $('content-search').value.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const list = rowsOf(contentKind)
    .filter((r) => !q || spec.label(r).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').includes(q))
    .sort(spec.order || ((a, b) => spec.label(a).localeCompare(spec.label(b), 'fr')));
  const ul = $('content-list');
  clear(ul);
  if (!list.length) ul.append(el('li', { class: 'empty' }, 'Aucun élément.'));
  for (const r of list.slice(0, 200)) {
    ul.append(el('li', { class: 'item', 'aria-current': r.id === contentEditing ? 'true' : null },
      el('div', { class: 'item-main' }, el('p', { class: 'item-title' }, spec.label(r)), el('p', { class: 'item-meta' }, spec.meta(r))),
      el('button', { type: 'button', class: 'btn btn-small', onclick: () => { openContent(r.id); $('content-fields').querySelector('input, textarea, select').focus(); }, 'aria-label': `Modifier « ${spec.label(r)} »` }, 'Modifier')));
  }
}
