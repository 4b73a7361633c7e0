package parley

import "time"

// PrefixKey starts API key SIDs.
const PrefixKey = "SK"

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

// APIKeyTx keeps API keys.
type APIKeyTx interface {
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
