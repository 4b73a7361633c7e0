// Drives the official @twilio/conversations client SDK against a Parley
// server and prints what it saw as one JSON line. The Go test in the
// parent directory starts Parley, prepares data over REST and runs this
// script once per scenario:
//
//   node sdk.mjs <scenario> '<json config>'
//
// config: {wsURL, accountSid, keySid, keySecret, identity, serviceSid, ttl},
// plus what a scenario reads (sid, other, uniqueName...)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const twilio = require('twilio');
const { Client } = require('@twilio/conversations');

const [scenario, rawConfig] = process.argv.slice(2);
const config = JSON.parse(rawConfig);

// token mints an access token the way a developer's token endpoint does.
function token(overrides = {}) {
  const c = { ...config, ...overrides };
  const { AccessToken } = twilio.jwt;
  const t = new AccessToken(c.accountSid, c.keySid, c.keySecret, { identity: c.identity, ttl: c.ttl ?? 3600 });
  t.addGrant(new AccessToken.ChatGrant(c.serviceSid ? { serviceSid: c.serviceSid } : {}));
  return t.toJwt();
}

// connect points the SDK at Parley: the twilsock URI is the only option
// needed; every other URL comes from Parley's Configuration document.
function connect(jwt) {
  return new Client(jwt, { twilsock: { uri: config.wsURL }, logLevel: 'silent' });
}

function initialized(client) {
  return new Promise((resolve, reject) => {
    client.on('stateChanged', (state) => state === 'initialized' && resolve());
    client.on('initFailed', ({ error }) => reject(Object.assign(new Error('initFailed'), { sdkError: error })));
  });
}

const scenarios = {
  // login, list the conversations REST made, read their messages.
  async login() {
    const started = performance.now();
    const client = connect(token());
    await initialized(client);
    const initMs = performance.now() - started;
    const out = { identity: client.user.identity, friendlyName: client.user.friendlyName, conversations: [] };
    let page = await client.getSubscribedConversations();
    for (;;) {
      for (const conv of page.items) {
        const messages = await conv.getMessages(config.pageSize ?? 30);
        let all = messages.items;
        let p = messages;
        while (p.hasPrevPage) {
          p = await p.prevPage();
          all = [...p.items, ...all];
        }
        const participants = await conv.getParticipants();
        out.conversations.push({
          sid: conv.sid, friendlyName: conv.friendlyName, uniqueName: conv.uniqueName, attributes: conv.attributes,
          lastMessageIndex: conv.lastMessage?.index ?? null,
          participants: participants.map((p) => p.identity).sort(),
          messages: all.map((m) => ({ index: m.index, body: m.body, author: m.author, attributes: m.attributes })),
        });
      }
      if (!page.hasNextPage) break;
      page = await page.nextPage();
    }
    out.conversations.sort((a, b) => (a.sid < b.sid ? -1 : 1));
    out.timings = { initMs: Math.round(initMs), listAndReadMs: Math.round(performance.now() - started - initMs) };
    if (config.uniqueName) {
      out.byUniqueName = (await client.getConversationByUniqueName(config.uniqueName)).sid;
    }
    if (config.sid) {
      out.bySid = (await client.getConversationBySid(config.sid)).friendlyName;
    }
    if (config.otherUser) {
      const u = await client.getUser(config.otherUser);
      out.otherUser = { identity: u.identity, friendlyName: u.friendlyName, attributes: u.attributes };
    }
    await client.updateToken(token());
    out.updatedToken = true;
    await client.shutdown();
    return out;
  },
  // writes as the token's identity: create, join, add, send 25 with
  // attributes, page back through them, edit and remove, update the
  // conversation, the read horizon, the notification level and the user.
  async writes() {
    const client = connect(token());
    await initialized(client);
    const conv = await client.createConversation({ friendlyName: 'Demo', uniqueName: config.uniqueName, attributes: { topic: 'x' } });
    await conv.join();
    await conv.add(config.other, { nick: 'b' });
    const first = await conv.sendMessage('hello', { mood: 'happy' });
    for (let i = 1; i < 25; i++) {
      await conv.sendMessage(`m${i}`, { n: i });
    }
    let page = await conv.getMessages(10);
    let all = page.items;
    while (page.hasPrevPage) {
      page = await page.prevPage();
      all = [...page.items, ...all];
    }
    const byIndex = (i) => all.find((m) => m.index === i);
    await byIndex(first).updateBody('hello, edited');
    await byIndex(first).updateAttributes({ mood: 'calm' });
    await byIndex(first + 1).remove();
    await conv.updateAttributes({ topic: 'y' });
    await conv.updateFriendlyName('Demo 2');
    await conv.setUserNotificationLevel('muted');
    const unread = await conv.updateLastReadMessageIndex(first + 10);
    await client.user.updateFriendlyName('Alice A.');
    await client.user.updateAttributes({ team: 'red' });
    await client.shutdown();
    return { sid: conv.sid, firstIndex: first, unread,
      messages: all.map((m) => ({ index: m.index, body: m.body, author: m.author, attributes: m.attributes })) };
  },
  // leave a conversation the user takes part in (a fresh login sees it
  // joined).
  async leave() {
    const client = connect(token());
    await initialized(client);
    const conv = await client.getConversationBySid(config.sid);
    const status = conv.status;
    await conv.leave();
    await client.shutdown();
    return { statusBefore: status };
  },
  // actions the user's roles do not permit: report how each promise was
  // rejected.
  async denied() {
    const client = connect(token());
    await initialized(client);
    const conv = await client.getConversationBySid(config.sid);
    const attempt = async (fn) => {
      try {
        await fn();
        return { rejected: false };
      } catch (e) {
        return { rejected: true, status: e.status ?? null, code: e.body?.code ?? null, message: e.body?.message ?? e.message };
      }
    };
    const out = {
      send: await attempt(() => conv.sendMessage('not allowed')),
      updateAttributes: await attempt(() => conv.updateAttributes({ topic: 'hijacked' })),
      removeOther: await attempt(() => conv.removeParticipant(config.other)),
      create: await attempt(() => client.createConversation({ friendlyName: 'nope' })),
    };
    await client.shutdown();
    return out;
  },
  // a refused token: report how the SDK failed. SDK 3.0.1 emits initFailed
  // twice for a refused token: first for the socket it closes itself
  // ("Twilsock has disconnected.", no code), then with the server's
  // errorCode; both are collected.
  async refused() {
    const jwt = config.rawToken ?? token(config.overrides ?? {});
    const client = connect(jwt);
    const failures = [];
    const connectionErrors = [];
    client.on('initFailed', ({ error }) => failures.push(error ?? {}));
    client.on('connectionError', (e) => connectionErrors.push(e));
    let initializedOK = false;
    client.on('stateChanged', (state) => { if (state === 'initialized') initializedOK = true; });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !initializedOK && !failures.some((f) => f.errorCode)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const state = client.connectionState;
    await client.shutdown().catch(() => {});
    const coded = failures.find((f) => f.errorCode) ?? {};
    return { initialized: initializedOK, errorCode: coded.errorCode ?? null, httpStatusCode: coded.httpStatusCode ?? null,
      terminal: coded.terminal ?? null, state,
      connectionErrorCodes: connectionErrors.map((e) => e.errorCode ?? null) };
  },
};

const timer = setTimeout(() => {
  console.error(`scenario ${scenario}: no result in 60s`);
  process.exit(2);
}, 60_000);
try {
  const result = await scenarios[scenario]();
  console.log(JSON.stringify(result));
  clearTimeout(timer);
  process.exit(0);
} catch (e) {
  console.error(`scenario ${scenario}: ${e.stack ?? e}`);
  process.exit(1);
}
