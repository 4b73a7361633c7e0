package core

import (
	"context"
	"errors"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/secrets"
)

// maxKeyNameLength is the Key resource's FriendlyName limit ("up to 64
// characters", https://www.twilio.com/docs/iam/api-keys/key-resource-v2010).
const maxKeyNameLength = 64

// keyAAD binds a sealed secret to its key and account.
func keyAAD(k *parley.APIKey) []byte { return []byte(k.AccountSID + "/" + k.SID) }

// CreateKey makes an API key for an account the principal manages. The
// returned key carries its secret, which is never shown again.
func (a *App) CreateKey(ctx context.Context, accountSID string, name *string) (*parley.APIKey, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := maxLength("FriendlyName", name, maxKeyNameLength); err != nil {
		return nil, err
	}
	if len(a.masterKey) == 0 {
		return nil, errors.New("core: no master key configured; API keys cannot be stored")
	}
	k := &parley.APIKey{SID: parley.NewSID(parley.PrefixKey), FriendlyName: name, Secret: parley.NewSecret()}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := a.managed(tx, p, accountSID)
		if err != nil {
			return err
		}
		k.AccountSID, k.DateCreated, k.DateUpdated = acct.SID, tx.Now(), tx.Now()
		if k.Sealed, err = secrets.Seal(a.masterKey, []byte(k.Secret), keyAAD(k)); err != nil {
			return err
		}
		return tx.CreateAPIKey(k)
	})
	return k, err
}

// Key fetches an API key (without its secret).
func (a *App) Key(ctx context.Context, accountSID, sid string) (*parley.APIKey, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var k *parley.APIKey
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		acct, err := a.managed(tx, p, accountSID)
		if err != nil {
			return err
		}
		k, err = tx.APIKey(acct.SID, sid)
		return err
	})
	return k, err
}

// Keys lists an account's API keys.
func (a *App) Keys(ctx context.Context, accountSID string, pr parley.PageRequest) (parley.Page[*parley.APIKey], error) {
	p, err := principal(ctx)
	if err != nil {
		return parley.Page[*parley.APIKey]{}, err
	}
	var page parley.Page[*parley.APIKey]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		acct, err := a.managed(tx, p, accountSID)
		if err != nil {
			return err
		}
		page, err = tx.ListAPIKeys(acct.SID, pr)
		return err
	})
	return page, err
}

// UpdateKey renames an API key.
func (a *App) UpdateKey(ctx context.Context, accountSID, sid string, name *string) (*parley.APIKey, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := maxLength("FriendlyName", name, maxKeyNameLength); err != nil {
		return nil, err
	}
	var k *parley.APIKey
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := a.managed(tx, p, accountSID)
		if err != nil {
			return err
		}
		if k, err = tx.APIKey(acct.SID, sid); err != nil {
			return err
		}
		if name != nil {
			k.FriendlyName, k.DateUpdated = name, tx.Now()
		}
		return tx.UpdateAPIKey(k)
	})
	return k, err
}

// DeleteKey revokes an API key: its secret stops working as REST
// credentials and every token it signed stops verifying, at once on this
// node and within CredentialFreshness on others.
func (a *App) DeleteKey(ctx context.Context, accountSID, sid string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := a.managed(tx, p, accountSID)
		if err != nil {
			return err
		}
		return tx.DeleteAPIKey(acct.SID, sid)
	})
	a.accounts.forget(sid)
	return err
}

// openKey unseals a key's secret.
func (a *App) openKey(k *parley.APIKey) error {
	if len(a.masterKey) == 0 {
		return errors.New("core: no master key configured; API keys cannot be read")
	}
	plain, err := secrets.Open(a.masterKey, k.Sealed, keyAAD(k))
	if err != nil {
		return err
	}
	k.Secret = string(plain)
	return nil
}

// NamedKey returns the account's oldest key named name with its secret, or
// creates one; created reports which. It serves operator tools (parley
// token), which act on the store directly rather than through REST.
func (a *App) NamedKey(ctx context.Context, accountSID, name string) (k *parley.APIKey, created bool, err error) {
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		k, err = tx.APIKeyByName(accountSID, name)
		return err
	})
	if err == nil {
		return k, false, a.openKey(k)
	}
	if !parley.IsNotFound(err) {
		return nil, false, err
	}
	k, err = a.CreateKey(AsOperator(ctx, accountSID), accountSID, &name)
	return k, true, err
}

// AsOperator returns ctx acting as a tool with direct access to the store
// (parley token, parley keys): the caller is the account itself.
func AsOperator(ctx context.Context, accountSID string) context.Context {
	return parley.WithCaller(ctx, &parley.Caller{Source: parley.SourceAPI,
		Principal: &parley.Principal{Account: &parley.Account{SID: accountSID, OwnerAccountSID: accountSID}}})
}
