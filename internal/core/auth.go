package core

import (
	"context"
	"crypto/subtle"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/accesstoken"
)

// Authentication is one layer: an auth token, an API key and an access
// token each resolve to a Principal through the same account and key
// lookups and the same cache, so a suspension or a deleted key refuses all
// three alike.

// Authenticate checks HTTP Basic credentials: an account SID with its auth
// token, or an API key SID with its secret (acting as the key's account).
// Comparisons are constant-time. A suspended account is refused with 20005,
// anything else with 20003.
func (a *App) Authenticate(ctx context.Context, username, password string) (*parley.Principal, error) {
	fail := parley.Errorf(parley.CodeAuthFailed, "Authenticate")
	var secret, accountSID, keySID string
	switch {
	case parley.IsSID(username, parley.PrefixAccount):
		accountSID = username
	case parley.IsSID(username, parley.PrefixKey):
		k, err := a.liveKey(ctx, username)
		if parley.IsNotFound(err) {
			return nil, fail
		}
		if err != nil {
			return nil, err
		}
		secret, accountSID, keySID = k.Secret, k.AccountSID, k.SID
	default:
		return nil, fail
	}
	acct, err := a.liveAccount(ctx, accountSID)
	if parley.IsNotFound(err) {
		return nil, fail
	}
	if err != nil {
		return nil, err
	}
	if keySID == "" {
		secret = acct.AuthToken
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(password)) != 1 {
		return nil, fail
	}
	if err := active(acct); err != nil {
		return nil, err
	}
	return &parley.Principal{Account: acct, KeySID: keySID}, nil
}

// active refuses the credentials of an account that is not active: a
// suspended account with Twilio's "Account not active"
// (https://www.twilio.com/docs/api/errors/20005), a closed one as if its
// credentials no longer existed.
func active(acct *parley.Account) error {
	switch acct.Status {
	case parley.AccountActive:
		return nil
	case parley.AccountSuspended:
		return parley.Errorf(parley.CodeAccountNotActive, "Account not active: %s is suspended", acct.SID)
	}
	return parley.Errorf(parley.CodeAuthFailed, "Authenticate")
}

// VerifyToken checks an access token and returns who it acts as: the
// account, the API key that signed it, the identity and the Chat service
// (the account's default service when the token names none). Every refusal
// is one of accesstoken's failures, answered with Twilio's code. Expiry is
// judged by the wall clock, like the helper libraries that mint tokens.
func (a *App) VerifyToken(ctx context.Context, token string) (*parley.Principal, error) {
	return a.VerifyTokenAt(ctx, token, time.Now())
}

// VerifyTokenAt is VerifyToken with expiry judged at now: client SDK
// sessions judge it by the injected clock that also times their expiry
// warning and close, so a test that moves the virtual clock past a token's
// exp sees the token refused as well as the session closed.
func (a *App) VerifyTokenAt(ctx context.Context, token string, now time.Time) (*parley.Principal, error) {
	c, err := accesstoken.Verify(token, now, func(sid string) (accesstoken.Key, error) {
		k, err := a.liveKey(ctx, sid)
		if parley.IsNotFound(err) {
			return accesstoken.Key{}, accesstoken.UnknownKey
		}
		if err != nil {
			return accesstoken.Key{}, err
		}
		return accesstoken.Key{SID: k.SID, AccountSID: k.AccountSID, Secret: k.Secret}, nil
	})
	if err != nil {
		return nil, tokenError(err)
	}
	acct, err := a.liveAccount(ctx, c.AccountSID)
	if parley.IsNotFound(err) {
		return nil, accesstoken.UnknownKey.Err()
	}
	if err != nil {
		return nil, err
	}
	if acct.Status != parley.AccountActive {
		return nil, accesstoken.AccountInactive.Err()
	}
	p := &parley.Principal{Account: acct, KeySID: c.KeySID, Identity: c.Identity, ServiceSID: c.ServiceSID,
		PushCredentialSID: c.PushCredentialSID}
	if p.ServiceSID == "" {
		p.ServiceSID = acct.DefaultServiceSID
		return p, nil
	}
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		_, err := tx.Service(acct.SID, p.ServiceSID)
		return err
	})
	if parley.IsNotFound(err) {
		return nil, accesstoken.UnknownService.Err()
	}
	return p, err
}

// tokenError turns a verifier failure into its Twilio error.
func tokenError(err error) error {
	if f, ok := err.(accesstoken.Failure); ok {
		return f.Err()
	}
	return err
}

// liveAccount reads an account through the cache. The cache's freshness is
// wall-clock time, not the (possibly virtual) domain clock.
func (a *App) liveAccount(ctx context.Context, sid string) (*parley.Account, error) {
	if acct := a.accounts.account(sid, time.Now()); acct != nil {
		return acct, nil
	}
	var acct *parley.Account
	err := a.store.Read(ctx, func(tx parley.Tx) (err error) {
		acct, err = tx.Account(sid)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.accounts.putAccount(acct, time.Now())
	return acct, nil
}

// liveKey reads an API key, its secret opened, through the cache.
func (a *App) liveKey(ctx context.Context, sid string) (*parley.APIKey, error) {
	if k := a.accounts.key(sid, time.Now()); k != nil {
		return k, nil
	}
	var k *parley.APIKey
	err := a.store.Read(ctx, func(tx parley.Tx) (err error) {
		k, err = tx.APIKeyBySID(sid)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := a.openKey(k); err != nil {
		return nil, err
	}
	a.accounts.putKey(k, time.Now())
	return k, nil
}
