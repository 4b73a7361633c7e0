package parley

import (
	"context"
	"time"
)

// Store keeps Parley's state. Every operation runs in one transaction: Write
// commits when fn returns nil and rolls back otherwise; Read sees a consistent
// snapshot. Implementations retry transient conflicts themselves, so fn may
// run more than once and must not have side effects outside tx.
type Store interface {
	Write(ctx context.Context, fn func(Tx) error) error
	Read(ctx context.Context, fn func(Tx) error) error
	// Engine names the database engine ("sqlite" or "postgres").
	Engine() string
	Close() error
}

// Page is one page of a keyset-ordered list. More reports whether at least one
// further item exists in the direction the page was read.
type Page[T any] struct {
	Items []T
	More  bool
}

// Tx is one transaction. Lookups return a CodeNotFound *Error when the row
// does not exist; writes return the Twilio error a violated rule maps to.
type Tx interface {
	AccessTx
	ConfigTx
	DeliveryTx
	ChatTx
	ChatUsersTx
	JobsTx
	ClockTx
	IdentityTx
	NumbersTx
	MessagingTx
	ChannelsTx

	// Now is the transaction's clock reading, taken once per transaction.
	Now() time.Time

	// FirstAccount is the oldest account (the one a zero-config server runs as).
	FirstAccount() (*Account, error)
	CreateAccount(a *Account) error
	Account(sid string) (*Account, error)
	UpdateAccount(a *Account) error

	CreateService(s *Service) error
	Service(accountSID, sid string) (*Service, error)
	ListServices(accountSID string, p PageRequest) (Page[*Service], error)
	// DeleteService removes the service and everything in it.
	DeleteService(accountSID, sid string) error

	CreateRole(r *Role) error
	Role(serviceSID, sid string) (*Role, error)

	CreateConversation(c *Conversation) error
	// Conversation finds a conversation by SID or unique name (50353 guards
	// unique names per service).
	Conversation(serviceSID, sidOrUniqueName string) (*Conversation, error)
	ListConversations(serviceSID string, f ConversationFilter, p PageRequest) (Page[*Conversation], error)
	UpdateConversation(c *Conversation) error
	// LockConversation re-reads a conversation by SID and holds it against
	// concurrent writers until the transaction ends (PostgreSQL row lock;
	// SQLite's single writer holds it anyway), for read-modify-write
	// changes that run beside API requests, such as timer transitions.
	LockConversation(sid string) (*Conversation, error)
	// DeleteConversation removes the conversation, its participants and messages.
	DeleteConversation(serviceSID, sid string) error
	// NextMessageIndex reserves the next message index of a conversation,
	// serialising concurrent writers on the conversation row, and counts the
	// message CreateMessage then writes with it in the same transaction.
	NextMessageIndex(conversationSID string) (int64, error)
	// ReserveMessageIndex is Conversation and NextMessageIndex in one: it
	// finds the service's conversation by SID or unique name, reserves its
	// next message index and returns the conversation as updated. The
	// caller checks the conversation afterwards; a rejected one rolls the
	// reservation back with the transaction.
	ReserveMessageIndex(serviceSID, sidOrUniqueName string) (*Conversation, int64, error)
	// RaiseLastMessageIndex moves a conversation's last message index up to
	// index (never down) without counting a message: parley import writes
	// messages with the indexes they had at the source, gaps included.
	RaiseLastMessageIndex(conversationSID string, index int64) error

	// CreateParticipant adds p (50433 when its identity is taken; 20404 when
	// its conversation is gone).
	CreateParticipant(p *Participant) error
	// Participant finds a participant by SID or identity (50433 guards
	// identities per conversation).
	Participant(conversationSID, sidOrIdentity string) (*Participant, error)
	ListParticipants(conversationSID string, p PageRequest) (Page[*Participant], error)
	UpdateParticipant(p *Participant) error
	DeleteParticipant(conversationSID, sid string) error

	// CreateMessage writes m. A nil ParticipantSID is set to the participant
	// whose identity is m.Author, if there is one.
	CreateMessage(m *Message) error
	Message(conversationSID, sid string) (*Message, error)
	// ListMessages pages by message index.
	ListMessages(conversationSID string, p PageRequest) (Page[*Message], error)
	UpdateMessage(m *Message) error
	DeleteMessage(conversationSID, sid string) error

	CreateUser(u *User) error
	// EnsureUser creates u unless the service already has a User with u's
	// identity, which then replaces *u; it reports whether it created u.
	// Concurrent calls for one identity all succeed with the same User
	// (INSERT ... ON CONFLICT DO NOTHING, never 50201), and the User is
	// held against concurrent writers until the transaction ends (as
	// LockConversation holds a conversation), so rules that count a user's
	// rows see each other's changes.
	EnsureUser(u *User) (created bool, err error)
	// User finds a user by SID or identity (50201 guards identities per service).
	User(serviceSID, sidOrIdentity string) (*User, error)
	ListUsers(serviceSID string, p PageRequest) (Page[*User], error)
	UpdateUser(u *User) error
	DeleteUser(serviceSID, sid string) error
}

// Clock tells the time. Parley reads every timestamp from one injected Clock
// so that a virtual clock can drive timers in tests.
type Clock interface {
	Now() time.Time
}

// ClockTx keeps the virtual clock's reading across restarts.
type ClockTx interface {
	// VirtualClock is the last saved reading; ok is false before the first.
	VirtualClock() (t time.Time, ok bool, err error)
	SaveVirtualClock(t time.Time) error
}
