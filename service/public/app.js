// Guest list page: a plain ES module with no build step. Data only ever reaches the DOM through textContent.
const PAGE_SIZE = 50;
const TOKEN_KEY = 'guestlist.token';
const FIELDS = ['id', 'firstname', 'surname', 'quantity', 'phone', 'email'];
const LABELS = {
  id: 'ID number',
  firstname: 'First name',
  surname: 'Surname',
  quantity: 'Quantity',
  phone: 'Phone',
  email: 'Email',
};
// What the page says when the server cannot answer; the server's own message (DynamoDB internals) is
// for operators and logs, never for the page.
const UNAVAILABLE = 'The guest list is unavailable right now. Please try again in a moment.';
const OFFLINE = 'The server cannot be reached. Check your connection and try again.';

const byId = (id) => document.getElementById(id);
const form = byId('add-form');
const addButton = byId('add-button');
const rows = byId('guest-rows');
const loadMore = byId('load-more');
const list = byId('list');

/** Guests shown, keyed by seq_num. */
const guests = new Map();
let nextCursor = null;
/** Exact number of guests in the table (from /health), or null when unknown. */
let total = null;
/** What a click on "Try again" repeats. */
let retryAction = null;

// Mirrors the server's rules so mistakes show before a round trip; the server stays the authority.
const CONTROL_CHARS = /\p{Cc}/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkName(field, value) {
  const length = [...value].length;
  if (length > 100) return `${LABELS[field]} must be at most 100 characters (got ${length})`;
  if (CONTROL_CHARS.test(value)) return `${LABELS[field]} must not contain control characters`;
  return '';
}

const RULES = {
  id: (v) => (/^\d{5,20}$/.test(v) ? '' : `ID number '${v}' must be 5 to 20 digits`),
  firstname: (v) => checkName('firstname', v),
  surname: (v) => checkName('surname', v),
  quantity: (v) =>
    /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100
      ? ''
      : `Quantity '${v}' must be a whole number from 1 to 100`,
  phone: (v) => (/^0\d{8,9}$/.test(v) ? '' : `Phone '${v}' must be 0 followed by 8 or 9 digits`),
  email: (v) =>
    v.length <= 254 && EMAIL.test(v) ? '' : `Email '${v}' must be a valid address of at most 254 characters`,
};

function readField(field) {
  return form.elements[field].value.trim();
}

function validateField(field) {
  const value = readField(field);
  return value === '' ? `${LABELS[field]} is required` : RULES[field](value);
}

function showFieldError(field, message) {
  byId(`${field}-error`).textContent = message;
  const input = form.elements[field];
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function setStatus(message) {
  byId('status').textContent = message;
}

// --- API access: bearer token from sessionStorage; a 401 (or a 400 from the auth check) asks for a token.
let tokenWaiter = null;

function askForToken(message) {
  tokenWaiter ??= new Promise((resolve) => {
    const tokenForm = byId('token-form');
    const input = byId('token');
    tokenForm.hidden = false;
    setStatus(message);
    input.focus();
    tokenForm.onsubmit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      input.value = '';
      tokenForm.hidden = true;
      tokenWaiter = null;
      resolve();
    };
  });
  return tokenWaiter;
}

const isAuthFailure = (response) =>
  response.status === 401 || (response.status === 400 && response.headers.has('WWW-Authenticate'));

async function api(path, init = {}) {
  for (;;) {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(path, { ...init, headers });
    if (!isAuthFailure(response)) return response;
    sessionStorage.removeItem(TOKEN_KEY);
    await askForToken(token ? 'That token was rejected. Enter another API token.' : 'Enter an API token.');
  }
}

async function readBody(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** A message for the page: the server's own words for a request it refused (4xx), a friendly one otherwise. */
function messageOf(body, response) {
  if (response.status >= 500) return UNAVAILABLE;
  return typeof body?.error === 'string' ? body.error : `The server answered ${response.status}.`;
}

// --- rendering
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Stable order: surname, first name, then person id and seq_num so equal names never swap places. */
function sorted() {
  return [...guests.values()].sort(
    (a, b) =>
      collator.compare(a.surname, b.surname) ||
      collator.compare(a.firstname, b.firstname) ||
      collator.compare(a.id, b.id) ||
      (a.seq_num < b.seq_num ? -1 : a.seq_num > b.seq_num ? 1 : 0),
  );
}

function cell(field, text) {
  const td = document.createElement('td');
  td.dataset.label = LABELS[field];
  td.className = `col-${field}`;
  td.textContent = text ?? '';
  return td;
}

function renderCount() {
  const shown = guests.size;
  const count = byId('guest-count');
  if (total === null) count.textContent = shown === 1 ? '1 guest shown' : `${shown} guests shown`;
  else if (shown >= total) count.textContent = total === 1 ? '1 guest' : `${total} guests`;
  else count.textContent = `Showing ${shown} of ${total} guests`;
}

function render() {
  const fragment = document.createDocumentFragment();
  for (const guest of sorted()) {
    const tr = document.createElement('tr');
    for (const field of FIELDS) tr.append(cell(field, guest[field]));
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'delete';
    button.textContent = 'Delete';
    button.setAttribute('aria-label', `Delete ${guest.firstname} ${guest.surname} (${guest.id})`);
    button.addEventListener('click', () => deleteGuest(guest, button));
    const actions = document.createElement('td');
    actions.className = 'actions';
    actions.append(button);
    tr.append(actions);
    fragment.append(tr);
  }
  rows.replaceChildren(fragment);
  byId('guest-table').hidden = guests.size === 0;
  byId('empty').hidden = guests.size > 0;
  loadMore.hidden = !nextCursor;
  renderCount();
}

function showListError(message, retry) {
  retryAction = retry;
  byId('list-error-text').textContent = message;
  byId('list-error').hidden = false;
}

function clearListError() {
  retryAction = null;
  byId('list-error').hidden = true;
}

// --- actions
async function refreshTotal() {
  try {
    const response = await fetch('/health', { headers: { Accept: 'application/json' } });
    const body = await readBody(response);
    total = response.ok && Number.isInteger(body?.guests_count) ? body.guests_count : null;
  } catch {
    total = null;
  }
  renderCount();
}

async function loadPage(cursor) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  loadMore.disabled = true;
  list.setAttribute('aria-busy', 'true');
  if (!cursor) byId('loading').hidden = false;
  try {
    const response = await api(`/guests?${params}`);
    const body = await readBody(response);
    if (!response.ok) {
      showListError(messageOf(body, response), () => loadPage(cursor));
      return;
    }
    clearListError();
    for (const [seq, guest] of Object.entries(body ?? {})) guests.set(seq, guest);
    nextCursor = response.headers.get('X-Next-Cursor');
    render();
    if (cursor) setStatus(`${guests.size} guests shown.`);
    void refreshTotal();
  } catch {
    showListError(OFFLINE, () => loadPage(cursor));
  } finally {
    loadMore.disabled = false;
    byId('loading').hidden = true;
    list.setAttribute('aria-busy', 'false');
  }
}

async function deleteGuest(guest, button) {
  const name = `${guest.firstname} ${guest.surname}`;
  if (!window.confirm(`Delete guest ${name} (${guest.id})?`)) return;
  button.disabled = true;
  try {
    const response = await api(`/guests/${encodeURIComponent(guest.seq_num)}`, { method: 'DELETE' });
    const body = await readBody(response);
    // 404 means someone else deleted it already: the row is stale either way.
    if (response.ok || response.status === 404) {
      guests.delete(guest.seq_num);
      if (total !== null && response.ok) total = Math.max(0, total - 1);
      render();
      byId('list-title').focus();
      setStatus(`Deleted guest ${name}.`);
    } else {
      button.disabled = false;
      setStatus(`Could not delete guest ${name}. ${messageOf(body, response)}`);
    }
  } catch {
    button.disabled = false;
    setStatus(`Could not delete guest ${name}. ${OFFLINE}`);
  }
}

async function addGuest(event) {
  event.preventDefault();
  const formMessage = byId('form-message');
  formMessage.textContent = '';
  let firstInvalid = null;
  for (const field of FIELDS) {
    const message = validateField(field);
    showFieldError(field, message);
    if (message && !firstInvalid) firstInvalid = field;
  }
  if (firstInvalid) {
    formMessage.textContent = 'Please fix the marked fields.';
    form.elements[firstInvalid].focus();
    return;
  }
  const guest = Object.fromEntries(FIELDS.map((field) => [field, readField(field)]));
  guest.quantity = Number(guest.quantity);
  addButton.disabled = true;
  try {
    const response = await api('/guests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(guest),
    });
    const body = await readBody(response);
    if (response.status === 201 && body?.guest) {
      guests.set(body.guest.seq_num, body.guest);
      if (total !== null) total += 1;
      render();
      form.reset();
      setStatus(`Added guest ${body.guest.firstname} ${body.guest.surname}.`);
      form.elements.id.focus();
      return;
    }
    formMessage.textContent = messageOf(body, response);
    // Validation failures may name fields; show those next to the field as well.
    for (const issue of Array.isArray(body?.issues) ? body.issues : []) {
      const field = Array.isArray(issue?.path) ? issue.path[0] : issue?.path;
      if (FIELDS.includes(field) && typeof issue.message === 'string') showFieldError(field, issue.message);
    }
  } catch {
    formMessage.textContent = OFFLINE;
  } finally {
    addButton.disabled = false;
  }
}

// A press on "Add guest" moves focus off the field first; a blur message appearing then would move the
// button out from under the pointer and swallow the click. The submit validates every field anyway.
let pressingAdd = false;
addButton.addEventListener('pointerdown', () => {
  pressingAdd = true;
});
document.addEventListener('pointerup', () => {
  // After the click that follows this pointerup.
  setTimeout(() => {
    pressingAdd = false;
  });
});

form.addEventListener('submit', addGuest);
for (const field of FIELDS) {
  const input = form.elements[field];
  // Check on leaving a field, and re-check while typing once it shows an error, so fixes clear it at once.
  input.addEventListener('blur', (event) => {
    if (pressingAdd || event.relatedTarget === addButton) return;
    if (input.value.trim() !== '') showFieldError(field, validateField(field));
  });
  input.addEventListener('input', () => {
    if (input.hasAttribute('aria-invalid')) showFieldError(field, validateField(field));
  });
}
loadMore.addEventListener('click', () => loadPage(nextCursor));
byId('retry').addEventListener('click', () => retryAction?.());
loadPage(null);
