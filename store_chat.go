package parley

// ChatTx is the part of Tx for Programmable Chat's own data: channel types,
// invites and the Chat-only service settings.
type ChatTx interface{}
