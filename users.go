package parley

import "time"

// User is a chat identity within a service.
type User struct {
	Seq          int64
	SID          string
	AccountSID   string
	ServiceSID   string
	Identity     string
	FriendlyName *string
	Attributes   string
	RoleSID      *string
	DateCreated  time.Time
	DateUpdated  time.Time
}

// UserFields are the writable fields of a user.
type UserFields struct {
	Identity     *string
	FriendlyName *string
	Attributes   *string
	RoleSID      *string
}

// UserTx keeps users.
type UserTx interface {
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
