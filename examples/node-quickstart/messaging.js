// The twilio-node transports of docs/channels.md: Twilio's Messaging API
// (https://messaging.twilio.com/v1/Services) and Conversations
// (https://conversations.twilio.com/v1/Services) share their paths on one
// Parley origin, so a transport tells them apart by a path prefix or by
// keeping Twilio's Host header. Each creates and fetches a Messaging
// Service and lists Conversation Services.
"use strict";

const twilio = require("twilio");

// ToParleyByPath puts /messaging in front of the messaging host's paths.
class ToParleyByPath extends twilio.RequestClient {
  constructor(base) {
    super();
    this.base = new URL(base);
  }
  request(opts) {
    const uri = new URL(opts.uri);
    if (uri.host.startsWith("messaging.")) {
      uri.pathname = "/messaging" + uri.pathname;
    }
    uri.protocol = this.base.protocol;
    uri.host = this.base.host;
    return super.request({ ...opts, uri: uri.toString() });
  }
}

// ToParleyByHost connects to Parley but keeps Twilio's Host header.
class ToParleyByHost extends twilio.RequestClient {
  constructor(base) {
    super();
    this.base = new URL(base);
  }
  request(opts) {
    const uri = new URL(opts.uri);
    const headers = { ...opts.headers, Host: uri.host }; // messaging.twilio.com, ...
    uri.protocol = this.base.protocol;
    uri.host = this.base.host;
    return super.request({ ...opts, uri: uri.toString(), headers });
  }
}

async function main() {
  const base = process.env.PARLEY_URL; // e.g. http://127.0.0.1:8080
  if (!base) {
    throw new Error("set PARLEY_URL to your Parley server, e.g. http://127.0.0.1:8080");
  }
  const sid = process.env.TWILIO_ACCOUNT_SID;
  const token = process.env.TWILIO_AUTH_TOKEN;
  for (const [name, httpClient] of [["path", new ToParleyByPath(base)], ["host", new ToParleyByHost(base)]]) {
    const client = twilio(sid, token, { httpClient });
    const created = await client.messaging.v1.services.create({ friendlyName: `Support (${name})` });
    const fetched = await client.messaging.v1.services(created.sid).fetch();
    const chats = await client.conversations.v1.services.list({ limit: 20 });
    console.log(`${name}: ${fetched.sid.slice(0, 2)} ${fetched.friendlyName}; ${chats.length > 0 ? "IS" : "none"}`);
    await client.messaging.v1.services(created.sid).remove();
  }
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
