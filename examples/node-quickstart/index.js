// The README's twilio-node example: it points the official helper library
// at a Parley server and walks a conversation, like examples/quickstart.
"use strict";

const twilio = require("twilio");

// ToParley sends the helper library's https://conversations.twilio.com
// requests to Parley instead.
class ToParley extends twilio.RequestClient {
  constructor(base) {
    super();
    this.base = new URL(base);
  }
  request(opts) {
    const uri = new URL(opts.uri);
    uri.protocol = this.base.protocol;
    uri.host = this.base.host;
    return super.request({ ...opts, uri: uri.toString() });
  }
}

async function main() {
  const base = process.env.PARLEY_URL; // e.g. http://127.0.0.1:8080
  if (!base) {
    throw new Error("set PARLEY_URL to your Parley server, e.g. http://127.0.0.1:8080");
  }
  const sid = process.env.TWILIO_ACCOUNT_SID;
  const token = process.env.TWILIO_AUTH_TOKEN;
  const client = twilio(sid, token, { httpClient: new ToParley(base) });
  const api = client.conversations.v1;

  const c = await api.conversations.create({ friendlyName: "Support", uniqueName: "node-quickstart" });
  for (const identity of ["alice", "bob"]) {
    await api.conversations(c.sid).participants.create({ identity });
  }
  await api.conversations(c.sid).messages.create({ author: "alice", body: "Hello, Bob!" });
  const messages = await api.conversations("node-quickstart").messages.list();
  for (const m of messages) {
    console.log(`#${m.index} ${m.author}: ${m.body}`);
  }
  await api.conversations(c.sid).remove();
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
