package core

import (
	"context"
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

// AccountPurgeJobKind is the job that deletes a closed account's data.
const AccountPurgeJobKind = "account.purge"

// maxAccountNameLength: "A human readable description of this account, up
// to 64 characters long" (https://www.twilio.com/docs/iam/api/account).
const maxAccountNameLength = 64

// AccountFields are the writable fields of an account (2010 update).
type AccountFields struct {
	FriendlyName *string
	Status       *string
}

// managed resolves an account the principal may manage through the 2010
// API: its own, or one of its sub-accounts. Anything else, the parent of a
// sub-account included, does not exist for it. Standard API keys (the only
// kind the Keys resource creates) may not use the Accounts and Keys
// resources at all ("Standard: access to all Twilio API resources, except
// for Accounts or Keys", https://www.twilio.com/docs/iam/api-keys/keys-in-console).
func (a *App) managed(tx parley.Tx, p *parley.Principal, sid string) (*parley.Account, error) {
	if p.KeySID != "" {
		return nil, parley.Errorf(parley.CodeAuthFailed, "A Standard API key cannot use the Accounts and Keys resources")
	}
	return ownedAccount(tx, p, sid)
}

// CreateSubaccount creates a sub-account of the principal's account, with
// its own auth token and default Conversation Service. A sub-account
// cannot have sub-accounts (21101).
func (a *App) CreateSubaccount(ctx context.Context, name *string) (*parley.Account, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := maxLength("FriendlyName", name, maxAccountNameLength); err != nil {
		return nil, err
	}
	var acct *parley.Account
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		owner, err := a.managed(tx, p, p.Account.SID)
		if err != nil {
			return err
		}
		if !owner.IsRoot() {
			return parley.Errorf(parley.CodeSubaccountNesting, "Subaccounts cannot contain subaccounts")
		}
		// The owner's row lock serialises its sub-account creations, so each
		// gets the next seq.
		if _, err := tx.LockAccount(owner.SID); err != nil {
			return err
		}
		seq, err := tx.NextAccountSeq(owner.SID)
		if err != nil {
			return err
		}
		now := tx.Now()
		acct = &parley.Account{Seq: seq, SID: parley.NewSID(parley.PrefixAccount), AuthToken: parley.NewSecret(),
			OwnerAccountSID: owner.SID, Status: parley.AccountActive, DefaultServiceSID: parley.NewSID(parley.PrefixService),
			DateCreated: now, DateUpdated: now}
		// Twilio's default: "SubAccount Created at {YYYY-MM-DD HH:MM meridian}".
		acct.FriendlyName = "SubAccount Created at " + now.UTC().Format("2006-01-02 03:04 pm")
		if name != nil && *name != "" {
			acct.FriendlyName = *name
		}
		if err := tx.CreateAccount(acct); err != nil {
			return err
		}
		_, err = createService(tx, acct.SID, acct.DefaultServiceSID, "Default Conversation Service")
		return err
	})
	return acct, err
}

// FetchAccount returns the principal's account or one of its sub-accounts.
func (a *App) FetchAccount(ctx context.Context, sid string) (*parley.Account, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var acct *parley.Account
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		acct, err = a.managed(tx, p, sid)
		return err
	})
	return acct, err
}

// Accounts lists the principal's account and, for a root account, its
// sub-accounts.
func (a *App) Accounts(ctx context.Context, f parley.AccountFilter, pr parley.PageRequest) (parley.Page[*parley.Account], error) {
	p, err := principal(ctx)
	if err != nil {
		return parley.Page[*parley.Account]{}, err
	}
	var page parley.Page[*parley.Account]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		acct, err := a.managed(tx, p, p.Account.SID)
		if err != nil {
			return err
		}
		if acct.IsRoot() {
			page, err = tx.ListAccounts(acct.SID, f, pr)
			return err
		}
		// A sub-account sees only itself, never its parent or siblings.
		if (f.FriendlyName == nil || *f.FriendlyName == acct.FriendlyName) && (f.Status == nil || *f.Status == acct.Status) &&
			pr.After == nil && pr.Before == nil {
			page.Items = []*parley.Account{acct}
		}
		return nil
	})
	return page, err
}

// UpdateAccount renames an account or, for a parent acting on one of its
// sub-accounts, changes its status. Closing is final: the account's data
// is deleted by a job enqueued in the same transaction.
func (a *App) UpdateAccount(ctx context.Context, sid string, f AccountFields) (*parley.Account, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := maxLength("FriendlyName", f.FriendlyName, maxAccountNameLength); err != nil {
		return nil, err
	}
	var acct *parley.Account
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		var err error
		if acct, err = a.managed(tx, p, sid); err != nil {
			return err
		}
		if acct, err = tx.LockAccount(acct.SID); err != nil {
			return err
		}
		if acct.Status == parley.AccountClosed {
			return parley.Errorf(parley.CodeInvalidParameter, "Account %s is closed and cannot be changed", sid)
		}
		if f.FriendlyName != nil && *f.FriendlyName != "" {
			acct.FriendlyName = *f.FriendlyName
		}
		if f.Status != nil {
			if err := a.setStatus(tx, p, acct, *f.Status); err != nil {
				return err
			}
		}
		acct.DateUpdated = tx.Now()
		return tx.UpdateAccount(acct)
	})
	a.accounts.forget(sid)
	return acct, err
}

// setStatus applies a status change. Only a parent changes its
// sub-accounts' status: a main account is suspended or closed by its
// operator, not through its own credentials.
func (a *App) setStatus(tx parley.Tx, p *parley.Principal, acct *parley.Account, status string) error {
	s, err := configEnum("Status", status, parley.AccountActive, parley.AccountSuspended, parley.AccountClosed)
	if err != nil {
		return err
	}
	if s == acct.Status {
		return nil
	}
	if acct.SID == p.Account.SID {
		return parley.Errorf(parley.CodeInvalidParameter, "An account cannot change its own Status; its parent account can")
	}
	acct.Status = s
	if s != parley.AccountClosed {
		return nil
	}
	payload, err := json.Marshal(purgePayload{AccountSID: acct.SID})
	if err != nil {
		return err
	}
	return tx.EnqueueJob(&parley.Job{Kind: AccountPurgeJobKind, Payload: payload, RunAt: tx.Now()})
}

type purgePayload struct {
	AccountSID string `json:"account_sid"`
}

// RunAccountPurge is the handler of AccountPurgeJobKind: it deletes the
// closed account's services (and all in them), configuration, credentials
// and keys in one transaction. The account row stays, with status closed,
// as Twilio keeps closed accounts listed. Running it twice is harmless.
func (a *App) RunAccountPurge(ctx context.Context, j *parley.Job) error {
	var p purgePayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := tx.Account(p.AccountSID)
		if parley.IsNotFound(err) {
			return nil
		}
		if err != nil || acct.Status != parley.AccountClosed {
			return err
		}
		if err := forgetMedia(tx, acct.SID); err != nil {
			return err
		}
		if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventAccountPurged}); err != nil {
			return err
		}
		return tx.PurgeAccountData(acct.SID)
	})
}
