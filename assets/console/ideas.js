/* Staff console: the citizens' ideas (loaded after console.js and
 * forms.js, sharing their globals).
 *
 * Ideas come from the kiosks as proposals with status `submitted`: staff
 * publish or refuse them (moderation), then say what became of a
 * published one: its outcome (à l'étude, retenue, réalisée, non retenue)
 * and the city's answer, both shown on the kiosks with its supports
 * (docs/protocol.md, "Ideas"). Only staff set these: the hub refuses
 * them from a kiosk token. */
'use strict';

const OUTCOMES = { a_l_etude: 'À l’étude', retenue: 'Retenue', realisee: 'Réalisée', non_retenue: 'Non retenue' };

let ideaFilter = 'submitted';
let answering = null; /* the id of the idea in the answer form */

/* The row as the console pushes it back: the hub sets created_at and
 * supports itself. */
function ideaRow(p, changes) {
  const row = { ...p, ...changes };
  delete row.created_at;
  delete row.supports;
  return row;
}

async function moderate(p, status) {
  const row = ideaRow(p, { status });
  const results = await push([{ table: 'proposal', row }]);
  if (results[0].status === 'rejected') {
    toast(frenchMessage(results[0], 'proposal', row));
    return;
  }
  table('proposal').set(p.id, { ...p, status });
  toast(status === 'published' ? 'Idée publiée sur les bornes.' : 'Idée refusée.');
  scheduleRender();
}

/* ---- the answer form ---- */

function openAnswer(p) {
  answering = p.id;
  const f = $('idea-form');
  clearErrors(f);
  $('idea-form-text').textContent = p.text;
  const sel = $('idea-outcome');
  clear(sel);
  sel.append(el('option', { value: '' }, '— pas encore de suite —'));
  for (const v of column('proposal', 'outcome').values || []) sel.append(el('option', { value: v }, OUTCOMES[v] || v));
  sel.value = p.outcome || '';
  $('idea-answer').dataset.max = column('proposal', 'answer').max;
  $('idea-answer').value = p.answer || '';
  counter($('idea-answer'), $('idea-answer-count'));
  f.hidden = false;
  sel.focus();
}

function closeAnswer() {
  answering = null;
  $('idea-form').hidden = true;
}

/* An outcome that decides needs the answer (the hub says the same). */
function answerProblems(row) {
  if (row.outcome && row.outcome !== 'a_l_etude' && !row.answer) {
    return [{ field: 'answer', message: 'Indiquez la réponse de la ville : elle s’affiche sur les bornes avec la suite donnée.' }];
  }
  return [];
}

async function onAnswerSubmit(ev) {
  ev.preventDefault();
  const f = $('idea-form');
  clearErrors(f);
  const p = answering && table('proposal').get(answering);
  if (!p) return;
  const row = ideaRow(p, { outcome: $('idea-outcome').value || null, answer: $('idea-answer').value.trim() || null });
  const problems = answerProblems(row);
  if (problems.length) {
    showErrors(f, 'idea-', problems, 'idea-error');
    return;
  }
  await saveRows('proposal', [row], f, 'idea-', 'idea-error', 'Réponse enregistrée : elle part vers les bornes.', closeAnswer);
}

/* ---- the list ---- */

function ideaMeta(p) {
  const who = p.author_name || 'Anonyme';
  const theme = p.domain ? ` · ${DOMAINS[p.domain] || p.domain}` : '';
  const sup = p.status === 'published' ? ` · ${p.supports || 0} soutien${(p.supports || 0) > 1 ? 's' : ''}` : '';
  return `${who}${theme} · déposée ${showTime(p.created_at)}${sup}`;
}

function ideaItem(p) {
  const short = p.text.length > 40 ? `${p.text.slice(0, 40)}…` : p.text;
  return el('li', { class: 'item', 'data-id': p.id },
    el('div', { class: 'item-main' },
      p.status === 'published' && el('span', { class: `badge${p.outcome ? '' : ' muted'}` }, OUTCOMES[p.outcome] || 'Sans réponse'),
      el('p', { class: 'item-text' }, p.text),
      el('p', { class: 'item-meta' }, ideaMeta(p)),
      p.answer && el('p', { class: 'item-answer' }, el('b', {}, 'Réponse : '), p.answer)),
    el('div', { class: 'actions' },
      p.status === 'published' && el('button', { type: 'button', class: 'btn btn-small', onclick: () => openAnswer(p), 'aria-label': `Répondre à l’idée « ${short} »` }, 'Répondre'),
      p.status !== 'published' && el('button', { type: 'button', class: 'btn btn-small btn-ok', onclick: () => moderate(p, 'published'), 'aria-label': `Publier l’idée « ${short} »` }, 'Publier'),
      p.status !== 'rejected' && el('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: () => moderate(p, 'rejected'), 'aria-label': `Refuser l’idée « ${short} »` }, 'Refuser')));
}

function renderIdeas() {
  const all = rowsOf('proposal');
  const n = { submitted: 0, published: 0, rejected: 0 };
  for (const p of all) n[p.status] = (n[p.status] || 0) + 1;
  const answered = all.filter((p) => p.status === 'published' && p.outcome).length;
  const stats = $('idea-stats');
  clear(stats);
  stats.append(
    el('div', { class: `stat${n.submitted ? ' alert' : ''}` }, el('b', {}, String(n.submitted)), el('span', {}, 'à modérer')),
    el('div', { class: 'stat' }, el('b', {}, String(n.published)), el('span', {}, 'publiées')),
    el('div', { class: 'stat' }, el('b', {}, String(answered)), el('span', {}, 'avec une suite')),
    el('div', { class: 'stat' }, el('b', {}, String(n.rejected)), el('span', {}, 'refusées')));
  for (const b of document.querySelectorAll('[data-idea-filter]')) b.setAttribute('aria-pressed', String(b.dataset.ideaFilter === ideaFilter));
  const list = all.filter((p) => p.status === ideaFilter).sort((a, b) => (b.created_at || '').localeCompare(a.created_at || ''));
  const ul = $('idea-list');
  clear(ul);
  if (answering && !(table('proposal').get(answering) || {}).status) closeAnswer();
  if (!list.length) {
    ul.append(el('li', { class: 'empty' }, ideaFilter === 'submitted' ? 'Aucune idée en attente : tout est relu.' : 'Aucune idée ici.'));
    return;
  }
  for (const p of list) ul.append(ideaItem(p));
}

function wireIdeas() {
  for (const b of document.querySelectorAll('[data-idea-filter]')) {
    b.addEventListener('click', () => { ideaFilter = b.dataset.ideaFilter; renderIdeas(); });
  }
  $('idea-form').addEventListener('submit', onAnswerSubmit);
  $('idea-cancel').addEventListener('click', closeAnswer);
  $('idea-answer').addEventListener('input', () => counter($('idea-answer'), $('idea-answer-count')));
}
