/* Staff console: a row's picture (loaded after forms.js, sharing its
 * globals). The content forms of initiatives, organizations and events,
 * and the announcement form, get a picture field (ids after the form's
 * prefix, "cf-" or "ann-"): a file picker and a drop zone that send the file
 * to the hub (POST /v1/blobs, docs/protocol.md "Pictures"), the hub's
 * rendition shown as a kiosk shows it, and the picture's description,
 * required once there is a picture. A refusal is worded in French from
 * the hub's `reason`, beside the field, never in the hub's English. */
'use strict';

const PICTURE_ERRORS = {
  not_image: 'Ce fichier n’est pas une image JPEG ou PNG.',
  too_many_pixels: 'Image trop grande : 50 mégapixels au plus.',
  truncated: 'Ce fichier est incomplet : l’image s’arrête avant sa fin.',
  malformed: 'Cette image est abîmée et ne peut pas être lue.',
  metadata_too_big: 'Cette image transporte trop de données cachées (métadonnées) : enregistrez-la de nouveau depuis un logiciel d’images.',
  polyglot: 'Ce fichier contient autre chose qu’une image (une archive ZIP) : il est refusé.',
  unsupported: 'Ce serveur ne peut pas vérifier les images : prévenez l’administrateur.',
  check_failed: 'La vérification de cette image n’a pas abouti (trop longue ou trop lourde) : essayez une version plus petite, ou une autre image.',
  too_big: (mb) => `Fichier trop lourd : ${mb} Mo au plus.`,
  busy: 'Une autre image est en cours de vérification : réessayez dans un instant.',
  failed: 'L’envoi de l’image a échoué : vérifiez la connexion et réessayez.',
};

/* The picture's field and its description's, for the form whose ids
 * start with p. */
function pictureFields(tableName, picture, alt, p) {
  const preview = el('img', { id: `${p}picture-preview`, class: 'picture-preview', alt: '' });
  const file = el('input', { type: 'file', id: `${p}picture-file`, accept: 'image/jpeg,image/png', 'aria-describedby': `${p}picture-error ${p}picture-status` });
  const drop = el('div', { class: 'picture-drop', id: `${p}picture-drop` },
    el('div', { class: 'picture-frame' }, preview),
    el('p', { class: 'hint' }, 'Glissez une photo ici, ou choisissez un fichier (JPEG ou PNG). L’aperçu montre l’image que recevront les bornes, sans ses métadonnées (position GPS comprise).'),
    file);
  const remove = el('button', { type: 'button', id: `${p}picture-remove`, class: 'btn btn-small' }, 'Retirer l’image');
  const field = el('div', { class: 'field', 'data-field': 'picture' },
    el('label', { for: `${p}picture-file` }, 'Image (facultatif)'),
    drop, el('input', { type: 'hidden', id: `${p}picture` }), remove,
    el('span', { class: 'hint', id: `${p}picture-status`, 'aria-live': 'polite' }),
    el('span', { class: 'field-error', id: `${p}picture-error` }));
  const spec = column(tableName, 'picture_alt');
  const text = el('input', { type: 'text', id: `${p}picture_alt`, name: 'picture_alt', 'data-max': spec.max, 'aria-describedby': `${p}picture_alt-error ${p}picture_alt-count` });
  text.value = alt || '';
  const count = el('span', { class: 'hint', id: `${p}picture_alt-count` });
  counter(text, count);
  text.addEventListener('input', () => counter(text, count));
  const altField = el('div', { class: 'field', 'data-field': 'picture_alt' },
    el('label', { for: `${p}picture_alt` }, 'Description de l’image (lue à la place de l’image, obligatoire avec une image)'),
    text, count, el('span', { class: 'field-error', id: `${p}picture_alt-error` }));
  file.addEventListener('change', () => { if (file.files[0]) uploadPicture(p, file.files[0]); });
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('dragging'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('dragging');
    if (ev.dataTransfer.files[0]) uploadPicture(p, ev.dataTransfer.files[0]);
  });
  remove.addEventListener('click', () => setPicture(p, null));
  const box = document.createDocumentFragment();
  box.append(field, altField);
  queueMicrotask(() => setPicture(p, picture || null));
  return box;
}

/* Shows `hash` (the hub's name of a picture, or null) in the form. */
function setPicture(p, hash) {
  $(`${p}picture`).value = hash || '';
  const preview = $(`${p}picture-preview`);
  preview.hidden = !hash;
  if (hash) preview.src = `/v1/blobs/${hash}`;
  else preview.removeAttribute('src');
  $(`${p}picture-remove`).hidden = !hash;
  if (p === 'ann-') renderPreview();
}

function pictureError(p, message) {
  $(`${p}picture-status`).textContent = '';
  const form = $(`${p}picture-error`).closest('form');
  showErrors(form, p, [{ field: 'picture', message }], form.querySelector('.form-error').id);
}

/* Sends the file to the hub, which checks it and answers its rendition's
 * name; the form then shows that rendition. */
async function uploadPicture(p, f) {
  const field = $(`${p}picture-error`).closest('.field');
  field.classList.remove('has-error');
  $(`${p}picture-error`).textContent = '';
  const max = (SCHEMA_CAPS && SCHEMA_CAPS.picture_max) || 0;
  if (max && f.size > max) return pictureError(p, PICTURE_ERRORS.too_big(Math.round(max / 1048576)));
  $(`${p}picture-status`).textContent = 'Vérification de l’image…';
  let res;
  let data = null;
  try {
    res = await fetch('/v1/blobs', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/octet-stream' }, body: f });
    data = await res.json().catch(() => null);
  } catch (e) {
    return pictureError(p, PICTURE_ERRORS.failed);
  }
  if (res.ok && data && data.sha256) {
    $(`${p}picture-status`).textContent = 'Image prête : enregistrez pour la publier.';
    setPicture(p, data.sha256);
    if (!$(`${p}picture_alt`).value.trim()) $(`${p}picture_alt`).focus();
    return null;
  }
  if (res.status === 401 && state.me) loggedOut('Votre session a expiré : reconnectez-vous.');
  if (res.status === 400 && data && data.reason) return pictureError(p, PICTURE_ERRORS[data.reason] || PICTURE_ERRORS.malformed);
  if (res.status === 413) return pictureError(p, PICTURE_ERRORS.too_big(Math.round(max / 1048576)));
  if (res.status === 429) return pictureError(p, PICTURE_ERRORS.busy);
  return pictureError(p, PICTURE_ERRORS.failed);
}

/* The form's picture and description into row, returned. */
function readPicture(p, row) {
  row.picture = $(`${p}picture`).value || null;
  row.picture_alt = $(`${p}picture_alt`).value.trim() || null;
  return row;
}
