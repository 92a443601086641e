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

const byId = (id) => document.getElementById(id);
const form = byId('add-form');
const rows = byId('guest-rows');
const loadMore = byId('load-more');

/** Guests shown, keyed by seq_num, in the order they arrived. */
const guests = new Map();
let nextCursor = null;

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

// --- API access: bearer token from sessionStorage; a 401 asks for a token and retries.
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

async function api(path, init = {}) {
  for (;;) {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(path, { ...init, headers });
    if (response.status !== 401) return response;
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

function errorOf(body, response) {
  return typeof body?.error === 'string' ? body.error : `${response.status} ${response.statusText}`.trim();
}

// --- rendering
function cell(text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
}

function render() {
  const fragment = document.createDocumentFragment();
  for (const [seq, guest] of guests) {
    const tr = document.createElement('tr');
    for (const field of FIELDS) tr.append(cell(guest[field]));
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'delete';
    button.textContent = 'Delete';
    button.setAttribute('aria-label', `Delete ${guest.firstname} ${guest.surname} (${guest.id})`);
    button.addEventListener('click', () => deleteGuest(seq, guest, button));
    const actions = document.createElement('td');
    actions.append(button);
    tr.append(actions);
    fragment.append(tr);
  }
  rows.replaceChildren(fragment);
  byId('empty').hidden = guests.size > 0;
  loadMore.hidden = !nextCursor;
}

// --- actions
async function loadPage(cursor) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  loadMore.disabled = true;
  try {
    const response = await api(`/guests?${params}`);
    const body = await readBody(response);
    if (!response.ok) {
      setStatus(`Could not load guests: ${errorOf(body, response)}`);
      return;
    }
    for (const [seq, guest] of Object.entries(body ?? {})) guests.set(seq, guest);
    nextCursor = response.headers.get('X-Next-Cursor');
    render();
    if (cursor) setStatus(`${guests.size} guests shown.`);
  } catch (error) {
    setStatus(`Could not load guests: ${error.message}`);
  } finally {
    loadMore.disabled = false;
  }
}

async function deleteGuest(seq, guest, button) {
  const name = `${guest.firstname} ${guest.surname}`;
  if (!window.confirm(`Delete guest ${name} (${guest.id})?`)) return;
  button.disabled = true;
  try {
    const response = await api(`/guests/${encodeURIComponent(seq)}`, { method: 'DELETE' });
    const body = await readBody(response);
    // 404 means someone else deleted it already: the row is stale either way.
    if (response.ok || response.status === 404) {
      guests.delete(seq);
      render();
      byId('list-title').focus();
      setStatus(`Deleted guest ${name}.`);
    } else {
      button.disabled = false;
      setStatus(`Could not delete guest ${name}: ${errorOf(body, response)}`);
    }
  } catch (error) {
    button.disabled = false;
    setStatus(`Could not delete guest ${name}: ${error.message}`);
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
    form.elements[firstInvalid].focus();
    return;
  }
  const guest = Object.fromEntries(FIELDS.map((field) => [field, readField(field)]));
  guest.quantity = Number(guest.quantity);
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    const response = await api('/guests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(guest),
    });
    const body = await readBody(response);
    if (response.status === 201 && body?.guest) {
      guests.set(body.guest.seq_num, body.guest);
      render();
      form.reset();
      setStatus(`Added guest ${body.guest.firstname} ${body.guest.surname}.`);
      form.elements.id.focus();
      return;
    }
    formMessage.textContent = errorOf(body, response);
    // Validation failures may name fields; show those next to the field as well.
    for (const issue of Array.isArray(body?.issues) ? body.issues : []) {
      const field = Array.isArray(issue?.path) ? issue.path[0] : issue?.path;
      if (FIELDS.includes(field) && typeof issue.message === 'string') showFieldError(field, issue.message);
    }
  } catch (error) {
    formMessage.textContent = `Could not add guest: ${error.message}`;
  } finally {
    submit.disabled = false;
  }
}

form.addEventListener('submit', addGuest);
for (const field of FIELDS) {
  const input = form.elements[field];
  // Check on leaving a field, and re-check while typing once it shows an error, so fixes clear it at once.
  input.addEventListener('blur', () => {
    if (input.value.trim() !== '') showFieldError(field, validateField(field));
  });
  input.addEventListener('input', () => {
    if (input.hasAttribute('aria-invalid')) showFieldError(field, validateField(field));
  });
}
loadMore.addEventListener('click', () => loadPage(nextCursor));
loadPage(null);
