package parley

import "time"

// Push credential types.
const (
	CredentialAPN = "apn"
	CredentialGCM = "gcm"
	CredentialFCM = "fcm"
)

// Credential is a push credential of an account. Its secrets never leave the
// domain in the clear: the store holds them sealed under the master key.
type Credential struct {
	Seq          int64
	SID          string
	AccountSID   string
	FriendlyName *string
	Type         string
	Sandbox      *bool
	// Sealed is the encrypted CredentialSecrets.
	Sealed      []byte
	DateCreated time.Time
	DateUpdated time.Time
}

// CredentialSecrets are a credential's write-only values.
type CredentialSecrets struct {
	Certificate string `json:"certificate,omitempty"`
	PrivateKey  string `json:"private_key,omitempty"`
	APIKey      string `json:"api_key,omitempty"`
	Secret      string `json:"secret,omitempty"`
}

// CredentialFields are the writable fields of a credential.
type CredentialFields struct {
	Type         *string
	FriendlyName *string
	Certificate  *string
	PrivateKey   *string
	Sandbox      *bool
	APIKey       *string
	Secret       *string
}

// CredentialTx keeps push credentials.
type CredentialTx interface {
	CreateCredential(c *Credential) error
	Credential(accountSID, sid string) (*Credential, error)
	ListCredentials(accountSID string, p PageRequest) (Page[*Credential], error)
	UpdateCredential(c *Credential) error
	DeleteCredential(accountSID, sid string) error
}
