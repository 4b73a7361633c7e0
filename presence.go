package parley

import "time"

// Reachability is a user's reachability state: Known once the user has
// connected with a client SDK while the service's reachability was on
// (Twilio reports is_online null before that), Online while a live lease
// says a connection of the user is open somewhere.
type Reachability struct {
	Known  bool
	Online bool
}

// PresenceChange is a user whose reachability a sweep turned offline.
type PresenceChange struct {
	UserSID    string
	ServiceSID string
	AccountSID string
}

// PresenceTx keeps reachability: each node process (a holder) leases the
// users connected to it until a store-clock time and renews the leases
// while it lives; a user is online while any lease of theirs is live. A
// user's state row is locked by every method that may change it, so two
// processes never both announce one change.
type PresenceTx interface {
	// EnterPresence takes (or extends) holder's lease of the user until
	// expires and reports whether the user came online with it.
	EnterPresence(userSID, holder string, expires time.Time) (cameOnline bool, err error)
	// LeavePresence drops holder's lease of the user and reports whether
	// the user went offline (no live lease remains).
	LeavePresence(userSID, holder string) (wentOffline bool, err error)
	// RenewPresence extends every lease holder has until expires.
	RenewPresence(holder string, expires time.Time) error
	// SweepPresence deletes the leases expired by now (at most limit
	// users' worth) and turns offline the users left without a live one.
	SweepPresence(limit int) ([]PresenceChange, error)
	// Reachability reads a user's state.
	Reachability(userSID string) (Reachability, error)
}
