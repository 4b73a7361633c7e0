// Package sdktest runs the official Twilio Conversations client SDK
// (@twilio/conversations from npm, unmodified) against a real Parley on a
// loopback port, on SQLite and PostgreSQL. The Node project in node/ pins
// the SDK and the twilio helper library that mints access tokens; the
// tests install it with npm ci when node_modules is missing, and skip only
// when node is not installed.
package sdktest
