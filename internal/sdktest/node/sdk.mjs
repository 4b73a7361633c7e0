// Drives the official @twilio/conversations client SDK against a Parley
// server and prints what it saw as one JSON line. The Go test in the
// parent directory starts Parley, prepares data over REST and runs this
// script once per scenario:
//
//   node sdk.mjs <scenario> '<json config>'
//
// config: {wsURL, accountSid, keySid, keySecret, identity, serviceSid, ttl}
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
