package core

import (
	"context"
	"encoding/json"
	"errors"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/secrets"
)

// maxCredentialNameLength is the spec's FriendlyName limit for credentials.
const maxCredentialNameLength = 64

// CreateCredential stores a push credential; its secrets are sealed under
// the master key before they reach the store.
func (a *App) CreateCredential(ctx context.Context, f parley.CredentialFields) (*parley.Credential, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if f.Type == nil || *f.Type == "" {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Type in the post body")
	}
	c := &parley.Credential{SID: parley.NewSID(parley.PrefixCredential), AccountSID: acct.SID}
	var s parley.CredentialSecrets
	if err := applyCredential(c, &s, f); err != nil {
		return nil, err
	}
	if err := a.seal(c, s); err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		c.DateCreated, c.DateUpdated = tx.Now(), tx.Now()
		return tx.CreateCredential(c)
	})
	return c, err
}

// applyCredential applies the request to c and its secrets s, then checks
// that c's type has what it needs to send a push: APNs a certificate and
// private key, GCM an API key, FCM a server key.
func applyCredential(c *parley.Credential, s *parley.CredentialSecrets, f parley.CredentialFields) error {
	if f.Type != nil {
		t, err := configEnum("Type", *f.Type, parley.CredentialAPN, parley.CredentialGCM, parley.CredentialFCM)
		if err != nil {
			return err
		}
		c.Type = t
	}
	if err := maxLength("FriendlyName", f.FriendlyName, maxCredentialNameLength); err != nil {
		return err
	}
	if f.FriendlyName != nil {
		c.FriendlyName = nonEmpty(f.FriendlyName)
	}
	for _, v := range []struct {
		dst *string
		src *string
	}{{&s.Certificate, f.Certificate}, {&s.PrivateKey, f.PrivateKey}, {&s.APIKey, f.APIKey}, {&s.Secret, f.Secret}} {
		if v.src != nil {
			*v.dst = *v.src
		}
	}
	if f.Sandbox != nil {
		c.Sandbox = f.Sandbox
	}
	return completeCredential(c, s)
}

// completeCredential checks that c's type has the secrets it needs and
// drops what belongs to other types, so a type change leaves no stale
// secret behind.
func completeCredential(c *parley.Credential, s *parley.CredentialSecrets) error {
	missing := func(param string) error {
		return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter %s for a %s credential", param, c.Type)
	}
	keep := parley.CredentialSecrets{}
	switch c.Type {
	case parley.CredentialAPN:
		if s.Certificate == "" {
			return missing("Certificate")
		}
		if s.PrivateKey == "" {
			return missing("PrivateKey")
		}
		keep.Certificate, keep.PrivateKey = s.Certificate, s.PrivateKey
		if c.Sandbox == nil {
			production := false
			c.Sandbox = &production
		}
	case parley.CredentialGCM:
		if s.APIKey == "" {
			return missing("ApiKey")
		}
		keep.APIKey = s.APIKey
	case parley.CredentialFCM:
		if s.Secret == "" {
			return missing("Secret")
		}
		keep.Secret = s.Secret
	}
	if c.Type != parley.CredentialAPN {
		c.Sandbox = nil // an APNs setting only
	}
	*s = keep
	return nil
}

// credentialAAD binds a sealed value to its credential and account.
func credentialAAD(c *parley.Credential) []byte { return []byte(c.AccountSID + "/" + c.SID) }

func (a *App) seal(c *parley.Credential, s parley.CredentialSecrets) error {
	if len(a.masterKey) == 0 {
		return errors.New("core: no master key configured; credentials cannot be stored")
	}
	plain, err := json.Marshal(s)
	if err != nil {
		return err
	}
	c.Sealed, err = secrets.Seal(a.masterKey, plain, credentialAAD(c))
	return err
}

func (a *App) open(c *parley.Credential) (parley.CredentialSecrets, error) {
	var s parley.CredentialSecrets
	if len(a.masterKey) == 0 {
		return s, errors.New("core: no master key configured; credentials cannot be read")
	}
	plain, err := secrets.Open(a.masterKey, c.Sealed, credentialAAD(c))
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(plain, &s)
}

// Credential fetches one of the account's credentials (without secrets).
func (a *App) Credential(ctx context.Context, sid string) (*parley.Credential, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.Credential
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		c, err = tx.Credential(acct.SID, sid)
		return err
	})
	return c, err
}

// CredentialSecrets returns a credential's secrets in the clear, for the
// push sender; they never go back out over the API.
func (a *App) CredentialSecrets(ctx context.Context, sid string) (parley.CredentialSecrets, error) {
	c, err := a.Credential(ctx, sid)
	if err != nil {
		return parley.CredentialSecrets{}, err
	}
	return a.open(c)
}

// ListCredentials lists the account's credentials in creation order.
func (a *App) ListCredentials(ctx context.Context, p parley.PageRequest) (parley.Page[*parley.Credential], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Credential]{}, err
	}
	var page parley.Page[*parley.Credential]
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		page, err = tx.ListCredentials(acct.SID, p)
		return err
	})
	return page, err
}

// UpdateCredential changes a credential; secrets not sent are kept, and all
// are sealed again under a fresh nonce.
func (a *App) UpdateCredential(ctx context.Context, sid string, f parley.CredentialFields) (*parley.Credential, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.Credential
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if c, err = tx.Credential(acct.SID, sid); err != nil {
			return err
		}
		s, err := a.open(c)
		if err != nil {
			return err
		}
		if err := applyCredential(c, &s, f); err != nil {
			return err
		}
		if err := a.seal(c, s); err != nil {
			return err
		}
		c.DateUpdated = tx.Now()
		return tx.UpdateCredential(c)
	})
	return c, err
}

// DeleteCredential deletes one of the account's credentials.
func (a *App) DeleteCredential(ctx context.Context, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error { return tx.DeleteCredential(acct.SID, sid) })
}
