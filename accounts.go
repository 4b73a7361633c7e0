package parley

import "time"

// Account statuses (the 2010 API's account_enum_status).
const (
	AccountActive    = "active"
	AccountSuspended = "suspended"
	AccountClosed    = "closed"
)

// Account is a tenant: every other resource belongs to exactly one account.
// It also carries the account-wide Conversations configuration
// (/v1/Configuration).
type Account struct {
	// Seq orders an owner's accounts: 0 for the owner itself, then its
	// sub-accounts in creation order.
	Seq       int64
	SID       string
	AuthToken string
	// OwnerAccountSID is the parent of a sub-account, and the account's own
	// SID for a root account.
	OwnerAccountSID            string
	Status                     string
	FriendlyName               string
	DefaultServiceSID          string
	DefaultMessagingServiceSID *string
	DefaultInactiveTimer       *string
	DefaultClosedTimer         *string
	DateCreated                time.Time
	DateUpdated                time.Time
}

// IsRoot reports whether the account is a main account (its own owner).
func (a *Account) IsRoot() bool { return a.OwnerAccountSID == a.SID }

// AccountFilter selects an owner's accounts (the 2010 list filters).
type AccountFilter struct {
	FriendlyName *string
	Status       *string
}

// ConfigurationFields are the writable fields of the account configuration.
type ConfigurationFields struct {
	DefaultServiceSID          *string
	DefaultMessagingServiceSID *string
	DefaultInactiveTimer       *string
	DefaultClosedTimer         *string
}

// AccountTx keeps accounts and sub-accounts.
type AccountTx interface {
	// FirstAccount is the oldest account (the one a zero-config server runs as).
	FirstAccount() (*Account, error)
	CreateAccount(a *Account) error
	Account(sid string) (*Account, error)
	UpdateAccount(a *Account) error

	// LockAccount re-reads an account and holds it against concurrent
	// writers until the transaction ends.
	LockAccount(sid string) (*Account, error)
	// NextAccountSeq is the seq the owner's next sub-account gets; call it
	// with the owner locked.
	NextAccountSeq(ownerSID string) (int64, error)
	// ListAccounts pages an owner's accounts (the owner itself first).
	ListAccounts(ownerSID string, f AccountFilter, p PageRequest) (Page[*Account], error)
	// PurgeAccountData deletes everything an account owns except its row:
	// services (and all in them), configuration, credentials and keys.
	PurgeAccountData(accountSID string) error
}
