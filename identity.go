package parley

import "time"

// Account statuses (the 2010 API's account_enum_status).
const (
	AccountActive    = "active"
	AccountSuspended = "suspended"
	AccountClosed    = "closed"
)

// PrefixKey starts API key SIDs.
const PrefixKey = "SK"

// IsRoot reports whether the account is a main account (its own owner).
func (a *Account) IsRoot() bool { return a.OwnerAccountSID == a.SID }

// APIKey is an account's API key: SK… with a secret that works as Basic
// credentials and signs access tokens. The secret is kept sealed under the
// master key; Secret is filled only when the key is created or opened.
type APIKey struct {
	Seq          int64
	SID          string
	AccountSID   string
	FriendlyName *string
	Sealed       []byte
	Secret       string
	DateCreated  time.Time
	DateUpdated  time.Time
}

// Principal is who a request acts as, whatever credential it came with: an
// account (auth token), an account through one of its API keys, or an
// access token's identity (account, key, identity and Chat service).
type Principal struct {
	Account *Account
	// KeySID is the API key behind the credential; empty for the auth token.
	KeySID string
	// Identity and ServiceSID come from an access token's grants.
	Identity   string
	ServiceSID string
}

// AccountFilter selects an owner's accounts (the 2010 list filters).
type AccountFilter struct {
	FriendlyName *string
	Status       *string
}

// IdentityTx is the part of Tx that keeps sub-accounts and API keys.
type IdentityTx interface {
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

	CreateAPIKey(k *APIKey) error
	APIKey(accountSID, sid string) (*APIKey, error)
	// APIKeyBySID finds a key by SID alone (authentication).
	APIKeyBySID(sid string) (*APIKey, error)
	// APIKeyByName finds an account's oldest key with a friendly name.
	APIKeyByName(accountSID, name string) (*APIKey, error)
	ListAPIKeys(accountSID string, p PageRequest) (Page[*APIKey], error)
	UpdateAPIKey(k *APIKey) error
	DeleteAPIKey(accountSID, sid string) error
}
