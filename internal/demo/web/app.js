// Parley's demo chat: a plain front-end on the official Twilio
// Conversations SDK (twilio-conversations.min.js, the SDK's own browser
// bundle). Everything goes through the SDK's public API, as in a real
// application; the only Parley-specific parts are the twilsock address and
// the dev-mode token endpoint (POST /demo/token).
//
// Typing, read marks and presence show only when their events arrive: a
// server that does not send them leaves the page working without them.
'use strict';

const { Client } = Twilio.Conversations;
const $ = (sel) => document.querySelector(sel);

const state = {
  client: null,
  identity: '',
  pastedToken: false, // no dev endpoint: the token was pasted
  conversations: new Map(), // sid → Conversation
  current: null, // the open Conversation
  participants: new Map(), // identity → Participant, of the open conversation
  users: new Map(), // identity → User (presence)
  typing: new Set(), // identities typing in the open conversation
};

// Tests read the page's state (window.demo.state).
window.demo = { state };

// The SDK's one Parley-specific option: the twilsock WebSocket on this
// server. Every other URL comes from the server's configuration document.
function wsURL() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v3/wsconnect`;
}

async function fetchToken(identity) {
  const res = await fetch('token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Identity: identity }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw Object.assign(new Error(body.message || `HTTP ${res.status}`), { status: res.status });
  }
  return body.token;
}

function toast(message) {
  const el = $('#toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 5000);
}

// ---- sign in and out

$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const identity = $('#identity').value.trim();
  $('#signin-error').textContent = '';
  $('#sign-in').disabled = true;
  try {
    let token = $('#token').value.trim();
    if (!token) {
      try {
        token = await fetchToken(identity);
      } catch (e) {
        if (e.status === 404) {
          $('#paste').hidden = false;
          $('#token').focus();
          return;
        }
        throw e;
      }
    } else {
      state.pastedToken = true;
    }
    await signIn(token);
  } catch (e) {
    $('#signin-error').textContent = `Could not sign in: ${e.message}`;
  } finally {
    $('#sign-in').disabled = false;
  }
});

$('#sign-out').addEventListener('click', async () => {
  await state.client?.shutdown().catch(() => {});
  location.reload();
});

async function signIn(token) {
  const client = new Client(token, { twilsock: { uri: wsURL() }, logLevel: 'warn' });
  state.client = client;
  try {
    await new Promise((resolve, reject) => {
      client.on('stateChanged', (s) => s === 'initialized' && resolve());
      client.on('initFailed', ({ error }) => reject(new Error(error?.message || 'the server refused the token')));
    });
  } catch (e) {
    state.client = null;
    client.shutdown().catch(() => {});
    throw e;
  }
  state.identity = client.user.identity;
  listen(client);
  $('#signin').hidden = true;
  $('#app').hidden = false;
  $('#me').hidden = false;
  $('#me-identity').textContent = state.identity;
  watchUser(client.user);
  let page = await client.getSubscribedConversations();
  for (;;) {
    page.items.forEach(addConversation);
    if (!page.hasNextPage) break;
    page = await page.nextPage();
  }
  document.body.dataset.state = 'ready';
}

// A token lasts an hour; the SDK warns before it expires. Pasted tokens
// cannot be renewed from here.
async function renewToken() {
  if (state.pastedToken) {
    toast('Your token is about to expire: sign in again with a new one.');
    return;
  }
  try {
    await state.client.updateToken(await fetchToken(state.identity));
  } catch (e) {
    toast(`Could not renew the token: ${e.message}`);
  }
}

// ---- SDK events

function listen(client) {
  client.on('connectionStateChanged', (s) => {
    $('#connection').textContent = s === 'connected' ? '' : s;
  });
  client.on('tokenAboutToExpire', renewToken);
  client.on('tokenExpired', renewToken);
  client.on('conversationAdded', addConversation);
  client.on('conversationJoined', addConversation);
  client.on('conversationLeft', dropConversation);
  client.on('conversationRemoved', dropConversation);
  client.on('conversationUpdated', ({ conversation }) => {
    renderList();
    if (isOpen(conversation)) $('#chat-title').textContent = title(conversation);
  });
  client.on('messageAdded', (m) => {
    renderList();
    if (!isOpen(m.conversation)) return;
    appendMessage(m);
    markRead();
  });
  client.on('messageUpdated', ({ message }) => {
    if (isOpen(message.conversation)) replaceMessage(message);
  });
  client.on('messageRemoved', (m) => {
    if (isOpen(m.conversation)) messageElement(m.index)?.remove();
  });
  client.on('participantJoined', (p) => isOpen(p.conversation) && addParticipant(p));
  client.on('participantLeft', (p) => {
    if (!isOpen(p.conversation)) return;
    state.participants.delete(p.identity);
    renderPeople();
  });
  client.on('participantUpdated', ({ participant }) => {
    if (!isOpen(participant.conversation)) return;
    state.participants.set(participant.identity, participant);
    renderReadMarks();
  });
  client.on('typingStarted', (p) => setTyping(p, true));
  client.on('typingEnded', (p) => setTyping(p, false));
  client.on('userUpdated', ({ user }) => renderPresence(user));
}

// ---- conversation list

// isOpen compares by SID: the SDK may hand out more than one object for a
// conversation.
function isOpen(c) {
  return c != null && state.current?.sid === c.sid;
}

function title(c) {
  return c.friendlyName || c.uniqueName || c.sid;
}

function addConversation(c) {
  if (c.status && c.status !== 'joined') return;
  state.conversations.set(c.sid, c);
  renderList();
}

function dropConversation(c) {
  state.conversations.delete(c.sid);
  if (state.current?.sid === c.sid) closeConversation();
  renderList();
}

function unread(c) {
  const last = c.lastMessage?.index;
  return last != null && !isOpen(c) && last > (c.lastReadMessageIndex ?? -1);
}

function renderList() {
  const list = $('#conversations');
  const items = [...state.conversations.values()].sort((a, b) => title(a).localeCompare(title(b)));
  list.replaceChildren(...items.map((c) => {
    const li = document.createElement('li');
    li.className = 'conv';
    li.dataset.sid = c.sid;
    li.classList.toggle('active', isOpen(c));
    li.classList.toggle('unread', unread(c));
    li.tabIndex = 0;
    li.textContent = title(c);
    li.addEventListener('click', () => openConversation(c));
    li.addEventListener('keydown', (ev) => ev.key === 'Enter' && openConversation(c));
    return li;
  }));
  $('#no-conversations').hidden = items.length > 0;
}

$('#new-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const name = $('#new-name').value.trim();
  const others = $('#new-with').value.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    const c = await state.client.createConversation({ friendlyName: name });
    await c.join();
    for (const identity of others) {
      await c.add(identity).catch((e) => toast(`Could not add ${identity}: ${e.message}`));
    }
    $('#new-name').value = '';
    $('#new-with').value = '';
    state.conversations.set(c.sid, c);
    openConversation(c);
  } catch (e) {
    toast(`Could not create the conversation: ${e.message}`);
  }
});

$('#add-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const identity = $('#add-identity').value.trim();
  try {
    await state.current.add(identity);
    $('#add-identity').value = '';
  } catch (e) {
    toast(`Could not add ${identity}: ${e.message}`);
  }
});

// ---- the open conversation

async function openConversation(c) {
  if (isOpen(c)) return;
  state.current = c;
  state.participants.clear();
  state.typing.clear();
  renderTyping();
  renderList();
  $('#chat-empty').hidden = true;
  $('#chat').hidden = false;
  $('#chat-title').textContent = title(c);
  delete $('#chat').dataset.loaded;
  $('#messages').replaceChildren();
  $('#people').replaceChildren();
  try {
    const [page, participants] = await Promise.all([c.getMessages(50), c.getParticipants()]);
    if (!isOpen(c)) return;
    participants.forEach(addParticipant);
    page.items.forEach(appendMessage);
    $('#chat').dataset.loaded = c.sid;
    markRead();
  } catch (e) {
    toast(`Could not open the conversation: ${e.message}`);
  }
  $('#text').focus();
}

function closeConversation() {
  state.current = null;
  $('#chat').hidden = true;
  $('#chat-empty').hidden = false;
}

// markRead moves the read horizon to the last message while the page is
// visible; others then see their messages marked read.
function markRead() {
  const c = state.current;
  if (!c || document.visibilityState === 'hidden') return;
  c.setAllMessagesRead().then(renderList).catch(() => {});
}
document.addEventListener('visibilitychange', markRead);

// ---- messages

function messageElement(index) {
  return $(`#messages li[data-index="${index}"]`);
}

function renderMessage(m) {
  const li = document.createElement('li');
  li.className = 'msg';
  li.dataset.index = m.index;
  li.classList.toggle('mine', m.author === state.identity);
  const meta = document.createElement('div');
  meta.className = 'meta';
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = m.author;
  const time = document.createElement('time');
  time.textContent = m.dateCreated?.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) ?? '';
  meta.append(author, time);
  li.append(meta);
  if (m.body) {
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = m.body;
    li.append(body);
  }
  for (const media of m.attachedMedia ?? []) li.append(renderMedia(media));
  if (li.classList.contains('mine')) {
    const status = document.createElement('div');
    status.className = 'status';
    li.append(status);
  }
  return li;
}

// renderMedia shows a picture inline and anything else as a link; the
// content URL is temporary, so a picture that fails to load asks again once.
function renderMedia(media) {
  const isImage = media.contentType?.startsWith('image/');
  const el = document.createElement(isImage ? 'img' : 'a');
  el.className = 'media';
  if (isImage) {
    el.alt = media.filename || 'picture';
    el.addEventListener('error', () => {
      if (el.dataset.retried) return;
      el.dataset.retried = 'yes';
      media.getContentTemporaryUrl().then((url) => { el.src = url; });
    });
  } else {
    el.textContent = media.filename || 'attachment';
    el.target = '_blank';
    el.rel = 'noopener';
  }
  media.getContentTemporaryUrl()
    .then((url) => { if (isImage) el.src = url; else el.href = url; })
    .catch((e) => { el.title = `Could not load: ${e.message}`; });
  return el;
}

function appendMessage(m) {
  if (messageElement(m.index)) return;
  const list = $('#messages');
  const next = [...list.children].find((li) => Number(li.dataset.index) > m.index);
  list.insertBefore(renderMessage(m), next ?? null);
  renderReadMarks();
  list.scrollTop = list.scrollHeight;
}

function replaceMessage(m) {
  messageElement(m.index)?.replaceWith(renderMessage(m));
  renderReadMarks();
}

// renderReadMarks marks each of my messages read once another participant's
// read horizon has reached it.
function renderReadMarks() {
  const others = [...state.participants.values()].filter((p) => p.identity !== state.identity);
  for (const li of document.querySelectorAll('#messages li.mine')) {
    const index = Number(li.dataset.index);
    const readers = others.filter((p) => p.lastReadMessageIndex != null && p.lastReadMessageIndex >= index);
    li.classList.toggle('read', readers.length > 0);
    li.querySelector('.status').textContent = readers.length
      ? `✓✓ read by ${readers.map((p) => p.identity).join(', ')}`
      : '✓ sent';
  }
}

$('#composer').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = $('#text').value;
  if (!text.trim() || !state.current) return;
  $('#text').value = '';
  try {
    await state.current.sendMessage(text);
  } catch (e) {
    $('#text').value = text;
    toast(`Not sent: ${e.message}`);
  }
});

$('#file').addEventListener('change', async (ev) => {
  const file = ev.target.files[0];
  ev.target.value = '';
  if (!file || !state.current) return;
  try {
    await state.current.sendMessage({ contentType: file.type || 'application/octet-stream', filename: file.name, media: file });
  } catch (e) {
    toast(`Could not send ${file.name}: ${e.message}`);
  }
});

// ---- typing

$('#text').addEventListener('input', () => {
  state.current?.typing().catch(() => {});
});

function setTyping(p, on) {
  if (!isOpen(p.conversation) || p.identity === state.identity) return;
  if (on) state.typing.add(p.identity); else state.typing.delete(p.identity);
  renderTyping();
}

function renderTyping() {
  const who = [...state.typing];
  $('#typing').textContent = who.length === 0 ? ''
    : `${who.join(' and ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
}

// ---- participants and presence

function addParticipant(p) {
  state.participants.set(p.identity ?? p.sid, p);
  renderPeople();
  renderReadMarks();
  if (p.identity && !state.users.has(p.identity)) {
    p.getUser().then(watchUser).catch(() => {});
  }
}

function watchUser(user) {
  state.users.set(user.identity, user);
  renderPresence(user);
}

function renderPeople() {
  $('#people').replaceChildren(...[...state.participants.values()].map((p) => {
    const li = document.createElement('li');
    li.className = 'person';
    li.dataset.identity = p.identity ?? '';
    const dot = document.createElement('span');
    dot.className = 'dot';
    li.append(dot, document.createTextNode(p.identity ?? p.address ?? 'guest'));
    return li;
  }));
  state.users.forEach(renderPresence);
}

// renderPresence colours a user's dots: green online, grey offline, hollow
// when the service does not track presence.
function renderPresence(user) {
  state.users.set(user.identity, user);
  const tracked = state.client?.reachabilityEnabled;
  const dots = [...document.querySelectorAll('#people li.person')]
    .filter((li) => li.dataset.identity === user.identity)
    .map((li) => li.querySelector('.dot'));
  if (user.identity === state.identity) dots.push($('#me-dot'));
  for (const dot of dots) {
    dot.classList.toggle('online', Boolean(tracked && user.isOnline));
    dot.classList.toggle('offline', Boolean(tracked && !user.isOnline));
    dot.title = !tracked ? 'presence is off on this service' : user.isOnline ? 'online' : 'offline';
  }
}

// ?as=alice signs in at once (handy for a second tab).
const as = new URLSearchParams(location.search).get('as');
if (as) {
  $('#identity').value = as;
  $('#signin-form').requestSubmit();
}
