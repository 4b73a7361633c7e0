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

// step tells the Go test that the scenario reached a named point (one line
// "STEP <name>" on stdout) and waits for its "ok" on stdin: the Go side
// changes things over REST in between.
const stdinLines = (async function* () {
  let buf = '';
  for await (const chunk of process.stdin) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
})();
async function step(name) {
  console.log(`STEP ${name}`);
  const { value } = await stdinLines.next();
  if (value !== 'ok') throw new Error(`step ${name}: got ${value}`);
}

// until waits for cond() to hold, failing after ms.
async function until(what, cond, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// cuttableProxy forwards TCP connections to Parley; cut() drops them all and
// refuses new ones until up(), as a network outage would.
async function cuttableProxy(target) {
  const net = await import('node:net');
  const url = new URL(target);
  const sockets = new Set();
  let down = false;
  const server = net.createServer((inbound) => {
    if (down) { inbound.destroy(); return; }
    const outbound = net.connect(Number(url.port), url.hostname);
    sockets.add(inbound); sockets.add(outbound);
    inbound.pipe(outbound); outbound.pipe(inbound);
    for (const s of [inbound, outbound]) {
      s.on('error', () => {});
      s.on('close', () => { sockets.delete(s); inbound.destroy(); outbound.destroy(); });
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    uri: `ws://127.0.0.1:${server.address().port}${url.pathname}`,
    cut() { down = true; for (const s of sockets) s.destroy(); },
    up() { down = false; },
    close() { server.close(); for (const s of sockets) s.destroy(); },
  };
}

const scenarios = {
  // upload a file with the SDK's own media client, as sendMessage does
  // before it posts the message; the Go test then posts the message.
  async mediaUpload() {
    const McsClient = require('@twilio/mcs-client').Client;
    const mcs = new McsClient(token(), config.mediaURL, config.mediaSetURL);
    const media = await mcs.post('image/png', Buffer.from(config.content, 'base64'), 'media', 'cat.png');
    return { sid: media.sid, size: media.size, contentType: media.contentType, filename: media.filename };
  },
  // read the message with media through the SDK and download it through
  // the temporary URL the SDK asks for.
  async mediaRead() {
    const client = connect(token());
    await initialized(client);
    const conv = await client.getConversationBySid(config.sid);
    const page = await conv.getMessages(10);
    const msg = page.items.find((m) => m.attachedMedia?.length);
    const media = msg.attachedMedia[0];
    const url = await media.getContentTemporaryUrl();
    const res = await fetch(url);
    const body = Buffer.from(await res.arrayBuffer()).toString('base64');
    const urls = await msg.getTemporaryContentUrlsForAttachedMedia();
    await client.shutdown();
    return { type: msg.type, sid: media.sid, filename: media.filename, contentType: media.contentType, size: media.size,
      status: res.status, content: body, setURLs: urls.size };
  },
  // alice sends a picture with sendMessage (the SDK uploads it to MCS,
  // then posts the message with its media_sids); bob's client receives it
  // live and downloads it through the temporary URL.
  async mediaSend() {
    const alice = new Client(token({ identity: 'alice' }), { twilsock: { uri: config.wsURL }, logLevel: 'silent' });
    const bob = new Client(token({ identity: 'bob' }), { twilsock: { uri: config.wsURL }, logLevel: 'silent' });
    await Promise.all([initialized(alice), initialized(bob)]);
    const bobConv = await bob.getConversationBySid(config.sid);
    await bobConv.getMessages();
    let received = null;
    bob.on('messageAdded', (m) => { if (m.conversation.sid === config.sid && m.attachedMedia?.length) received = m; });
    const aliceConv = await alice.getConversationBySid(config.sid);
    const index = await aliceConv.sendMessage({ contentType: 'image/png', filename: 'cat.png', media: Buffer.from(config.content, 'base64') });
    await until('bob receives the picture', () => received !== null);
    const media = received.attachedMedia[0];
    const res = await fetch(await media.getContentTemporaryUrl());
    const content = Buffer.from(await res.arrayBuffer()).toString('base64');
    await alice.shutdown();
    await bob.shutdown();
    return { index, received: { index: received.index, author: received.author, type: received.type, sid: media.sid,
      filename: media.filename, contentType: media.contentType, size: media.size }, status: res.status, content };
  },
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
  // live events: two clients see what REST, Chat and the other client do,
  // and one of them catches up after its connection was cut.
  async live() {
    const proxy = await cuttableProxy(config.wsURL);
    const alice = new Client(token({ identity: 'alice' }), { twilsock: { uri: config.wsURL }, logLevel: 'silent' });
    const bob = new Client(token({ identity: 'bob' }), { twilsock: { uri: proxy.uri }, logLevel: 'silent' });
    await Promise.all([initialized(alice), initialized(bob)]);
    const seen = { alice: [], bob: [] };
    const record = (who, client) => {
      client.on('conversationJoined', (c) => seen[who].push(`joined ${c.sid}`));
      client.on('conversationLeft', (c) => seen[who].push(`left ${c.sid}`));
      client.on('messageAdded', (m) => seen[who].push(`added ${m.conversation.sid} ${m.index} ${m.body}`));
      client.on('messageUpdated', ({ message }) => seen[who].push(`updated ${message.conversation.sid} ${message.index} ${message.body}`));
      client.on('messageRemoved', (m) => seen[who].push(`removed ${m.conversation.sid} ${m.index}`));
      client.on('conversationUpdated', ({ conversation, updateReasons }) => {
        if (updateReasons.includes('attributes')) seen[who].push(`attributes ${conversation.sid} ${JSON.stringify(conversation.attributes)}`);
      });
    };
    record('alice', alice);
    record('bob', bob);
    // Open the conversation and its messages and participants on both
    // sides, so all three objects are subscribed before anything changes:
    // what exists when the SDK opens a list is not "added".
    for (const client of [alice, bob]) {
      const c = await client.getConversationBySid(config.sid);
      await c.getMessages();
      await c.getParticipants();
    }
    const has = (who, line) => () => seen[who].includes(line);
    await step('ready');
    const both = async (lines) => {
      for (const line of lines) {
        await until(line, has('alice', line));
        await until(line, has('bob', line));
      }
    };
    await both(config.expect);
    await step('leave');
    await both(config.expectLeft);
    // An SDK-to-SDK round trip is out of scope here (SDK writes come
    // separately); the cut: bob's socket drops, a message is posted while
    // it is down, and it arrives after the SDK reconnected.
    const bobStates = [];
    bob.on('connectionStateChanged', (s) => bobStates.push(s));
    proxy.cut();
    await until('bob disconnected', () => bobStates.includes('connecting') || bobStates.includes('disconnected'));
    await step('down');
    proxy.up();
    for (const line of config.expectAfterCut) {
      await until(line, has('bob', line), 30_000);
    }
    const out = { alice: seen.alice, bob: seen.bob, bobStates };
    await alice.shutdown();
    await bob.shutdown();
    proxy.close();
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
    // Message objects are live (messageUpdated edits them in place), so
    // what paging returned is recorded before the edits below.
    const paged = all.map((m) => ({ index: m.index, body: m.body, author: m.author, attributes: m.attributes }));
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
      messages: paged };
  },
  // two clients, every change made by one SDK client: alice creates,
  // joins, adds bob and carol, sends, edits, removes, updates the
  // conversation and her profile, removes carol, then bob; bob sees each
  // as the SDK's own event, and alice sees bob's reply. Then alice sends
  // config.latencyMessages messages one at a time and reports how long
  // each took to reach bob.
  async twoClients() {
    const alice = connect(token({ identity: 'alice' }));
    const bob = connect(token({ identity: 'bob' }));
    await Promise.all([initialized(alice), initialized(bob)]);
    const seen = { alice: [], bob: [] };
    // The latency pings are not recorded: a result line of thousands of
    // entries would not be flushed before the process exits.
    let paused = false;
    const note = (who, line) => { if (!paused) seen[who].push(line); };
    const record = (who, client) => {
      client.on('conversationJoined', (c) => note(who, `joined ${c.uniqueName}`));
      client.on('conversationLeft', (c) => note(who, `left ${c.uniqueName}`));
      client.on('participantJoined', (p) => note(who, `participantJoined ${p.identity}`));
      client.on('participantLeft', (p) => note(who, `participantLeft ${p.identity}`));
      client.on('participantUpdated', ({ participant, updateReasons }) => {
        if (updateReasons.includes('attributes')) note(who, `participantUpdated ${participant.identity} ${JSON.stringify(participant.attributes)}`);
      });
      client.on('messageAdded', (m) => note(who, `messageAdded ${m.index} ${m.author} ${m.body}`));
      client.on('messageUpdated', ({ message, updateReasons }) => {
        if (updateReasons.includes('body')) note(who, `messageUpdated ${message.index} ${message.body}`);
      });
      client.on('messageRemoved', (m) => note(who, `messageRemoved ${m.index}`));
      client.on('conversationUpdated', ({ conversation, updateReasons }) => {
        for (const r of ['attributes', 'friendlyName']) {
          if (updateReasons.includes(r)) note(who, `conversationUpdated ${r} ${JSON.stringify(conversation[r])}`);
        }
      });
      client.on('userUpdated', ({ user, updateReasons }) => note(who, `userUpdated ${user.identity} ${updateReasons.join(',')}`));
    };
    record('alice', alice);
    record('bob', bob);
    const saw = (who, line) => until(`${who}: ${line} (saw ${JSON.stringify(seen[who])})`, () => seen[who].includes(line));

    const conv = await alice.createConversation({ friendlyName: 'Pair', uniqueName: config.uniqueName });
    await conv.join();
    await conv.add('bob', { nick: 'b' });
    await saw('bob', `joined ${config.uniqueName}`);
    // bob opens what the SDK subscribes lazily: the messages list, the
    // participants map, alice's user.
    const bobConv = await bob.getConversationBySid(conv.sid);
    await bobConv.getMessages();
    await bobConv.getParticipants();
    await bob.getUser('alice');
    await conv.add('carol');
    await saw('bob', 'participantJoined carol');
    const index = await conv.sendMessage('hi bob');
    await saw('bob', `messageAdded ${index} alice hi bob`);
    const [msg] = (await conv.getMessages(1)).items;
    await msg.updateBody('hi bob!');
    await saw('bob', `messageUpdated ${index} hi bob!`);
    const reply = await bobConv.sendMessage('hi alice');
    await saw('alice', `messageAdded ${reply} bob hi alice`);
    await msg.remove();
    await saw('bob', `messageRemoved ${index}`);
    await conv.updateAttributes({ topic: 'pairs' });
    await saw('bob', 'conversationUpdated attributes {"topic":"pairs"}');
    await conv.updateFriendlyName('Pair 2');
    await saw('bob', 'conversationUpdated friendlyName "Pair 2"');
    const carol = await conv.getParticipantByIdentity('carol');
    await carol.updateAttributes({ seat: 3 });
    await saw('bob', 'participantUpdated carol {"seat":3}');
    await alice.user.updateFriendlyName('Alice A.');
    await saw('bob', 'userUpdated alice friendlyName');

    const latencies = [];
    paused = true;
    for (let i = 0; i < (config.latencyMessages ?? 0); i++) {
      const body = `ping ${i}`;
      const arrived = new Promise((resolve) => {
        const on = (m) => { if (m.body === body) { bob.off('messageAdded', on); resolve(performance.now()); } };
        bob.on('messageAdded', on);
      });
      const sent = performance.now();
      await conv.sendMessage(body);
      latencies.push((await arrived) - sent);
    }

    paused = false;
    await conv.removeParticipant('carol');
    await saw('bob', 'participantLeft carol');
    await conv.removeParticipant('bob');
    await saw('bob', `left ${config.uniqueName}`);
    const out = { alice: seen.alice, bob: seen.bob, latencies };
    await alice.shutdown();
    await bob.shutdown();
    return out;
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
  // typing, read horizons and reachability between two clients in one
  // conversation (the Go test enabled reachability and set a 1 s typing
  // timeout); the Go side cross-checks REST and Chat at each step.
  async presence() {
    const alice = new Client(token({ identity: 'alice' }), { twilsock: { uri: config.wsURL }, logLevel: 'silent' });
    const bob = new Client(token({ identity: 'bob' }), { twilsock: { uri: config.wsURL }, logLevel: 'silent' });
    await Promise.all([initialized(alice), initialized(bob)]);
    const a = await alice.getConversationBySid(config.sid);
    const b = await bob.getConversationBySid(config.sid);
    for (const c of [a, b]) {
      await c.getMessages();
      await c.getParticipants();
    }
    const out = { typing: { bob: [], alice: [] }, horizon: {}, reachability: {} };

    // Typing: alice types, bob sees it start and end; alice sees nothing.
    for (const [who, conv] of [['bob', b], ['alice', a]]) {
      conv.on('typingStarted', (p) => out.typing[who].push(`started ${p.identity}`));
      conv.on('typingEnded', (p) => out.typing[who].push(`ended ${p.identity}`));
    }
    // Alice keeps typing, as a user does: the SDK signals at most once per
    // typing timeout, and bob's client sees it once its subscription to the
    // participants is in place.
    let typingAt = Date.now();
    const keepTyping = setInterval(() => { typingAt = Date.now(); a.typing().catch(() => {}); }, 1100);
    await a.typing();
    await until('bob sees alice typing', () => out.typing.bob.includes('started alice'));
    clearInterval(keepTyping);
    await until('alice stops typing for bob', () => out.typing.bob.includes('ended alice'));
    out.typing.endedAfterMs = Date.now() - typingAt;

    // Read horizons: alice sends, bob marks everything read after every
    // message as a chat window does; alice counts bob's roster updates.
    const bobsHorizons = [];
    alice.on('participantUpdated', ({ participant, updateReasons }) => {
      if (participant.identity === 'bob' && updateReasons.includes('lastReadMessageIndex')) {
        bobsHorizons.push(participant.lastReadMessageIndex);
      }
    });
    const received = [];
    b.on('messageAdded', (m) => received.push(m.index));
    let last = -1;
    const n = config.messages;
    for (let i = 0; i < n; i++) last = await a.sendMessage(`m${i}`);
    // Bob reads each message as it arrives, then marks all read.
    let calls = 0;
    const unreadAfterRead = [];
    for (let i = 0; i < n; i++) {
      await until(`bob receives message ${i}`, () => received.length > i);
      unreadAfterRead.push(await b.advanceLastReadMessageIndex(received[i]));
      calls++;
    }
    unreadAfterRead.push(await b.setAllMessagesRead());
    calls++;
    await until('alice sees bob read everything', () => bobsHorizons.at(-1) === last);
    await until("bob's own conversation reads everything", () => b.lastReadMessageIndex === last);
    out.horizon = { last, calls, rosterEvents: bobsHorizons.length, unreadAfterRead,
      unreadCount: await b.getUnreadMessagesCount() };
    await step('allRead');
    out.horizon.unreadAfterUpdate = await b.updateLastReadMessageIndex(config.readTo);
    await until('alice sees bob go back', () => bobsHorizons.at(-1) === config.readTo);
    await step('readTo');
    out.horizon.unreadAfterUnread = await b.setAllMessagesUnread();
    await until('alice sees bob unread everything', () => bobsHorizons.at(-1) === null);
    await step('unread');

    // Reachability: alice watches bob; bob shuts down.
    const bobUser = await alice.getUser('bob');
    out.reachability.bobOnlineAtStart = bobUser.isOnline;
    out.reachability.aliceOnline = alice.user.isOnline;
    await step('online');
    const reasons = [];
    bobUser.on('updated', ({ updateReasons }) => reasons.push(...updateReasons));
    await bob.shutdown();
    await until('alice sees bob offline', () => bobUser.isOnline === false);
    out.reachability.reasons = reasons;
    await step('offline');
    out.typing.aliceSawOwn = out.typing.alice.length;
    await alice.shutdown();
    return out;
  },
  // token lifecycle on the server's virtual clock: the Go test minted the
  // tokens and moves the clock; the SDK reports what it was told.
  async expiry() {
    const client = connect(config.tokens.first);
    await initialized(client);
    const seen = [];
    client.on('tokenAboutToExpire', () => seen.push('aboutToExpire'));
    client.on('tokenExpired', () => seen.push('expired'));
    const states = [];
    client.on('connectionStateChanged', (s) => states.push(s));
    const count = (what) => seen.filter((s) => s === what).length;
    await step('warn');
    await until('tokenAboutToExpire', () => count('aboutToExpire') === 1, 20_000);
    await client.updateToken(config.tokens.second);
    await step('pastFirst');
    // The first token's expiry passed: the session lives on the second.
    const conv = await client.getConversationBySid(config.sid);
    const sent = await conv.sendMessage('still here');
    await step('warnAgain');
    await until('second tokenAboutToExpire', () => count('aboutToExpire') === 2, 20_000);
    await step('expire');
    await until('tokenExpired', () => count('expired') === 1, 20_000);
    await until('disconnected', () => client.connectionState === 'disconnected' || client.connectionState === 'denied', 20_000);
    const out = { seen, states, sentAfterUpdate: sent, stateAfterExpiry: client.connectionState };
    await client.shutdown().catch(() => {});
    // Another identity's token on update is refused.
    const other = connect(config.tokens.third);
    await initialized(other);
    try {
      await other.updateToken(config.tokens.otherIdentity);
      out.identityChange = 'accepted';
    } catch (e) {
      out.identityChange = `refused ${e.message}`;
    }
    await other.shutdown().catch(() => {});
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

// After a user leaves a conversation the SDK may still read the
// conversation's objects once and gets 403/54007 (as from Twilio, for a
// non-participant); the SDK leaves that rejection unhandled. Log it
// instead of dying of it.
process.on('unhandledRejection', (e) => console.error(`unhandled rejection: ${e?.message ?? e}`));

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
