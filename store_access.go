package parley

// AccessTx is the part of Tx for roles, service configuration, user
// conversations and participant conversations.
type AccessTx interface{}
