package importer

import (
	"context"
	"fmt"

	parley "github.com/parley-dev/parley"
)

// Target says which account of the store an import writes into.
type Target struct {
	// SourceAccountSID is the account being copied.
	SourceAccountSID string
	// Into, when set, is an existing account of the store to import into
	// instead of one with the source's SID.
	Into string
	// AuthToken is the token of an account the import creates; empty makes
	// a random one.
	AuthToken string
}

// Account resolves the target account, creating it with the source's SID
// (and the source's default service and timers) when the store has no
// account of that SID. created is the new account, nil when it existed.
// A store that holds other accounts is refused unless Into names one:
// mixing two tenants' data by accident is worse than an error.
func (t Target) Account(ctx context.Context, src *Source, store parley.Store, dryRun bool) (sid string, created *parley.Account, err error) {
	if t.Into != "" {
		err := store.Read(ctx, func(tx parley.Tx) error { _, err := tx.Account(t.Into); return err })
		if err != nil {
			return "", nil, fmt.Errorf("--into %s: %w", t.Into, err)
		}
		return t.Into, nil, nil
	}
	var cfg wireConfig
	if err := src.Get(ctx, "/v1/Configuration", &cfg); err != nil {
		return "", nil, err
	}
	write := store.Write
	if dryRun {
		write = store.Read
	}
	err = write(ctx, func(tx parley.Tx) error {
		created = nil
		if _, err := tx.Account(t.SourceAccountSID); !parley.IsNotFound(err) {
			return err
		}
		if first, err := tx.FirstAccount(); err == nil {
			return fmt.Errorf("the target store belongs to account %s, not %s: pass --into %s to import into it anyway",
				first.SID, t.SourceAccountSID, first.SID)
		} else if !parley.IsNotFound(err) {
			return err
		}
		token := t.AuthToken
		if token == "" {
			token = parley.NewSecret()
		}
		now := tx.Now()
		created = &parley.Account{SID: t.SourceAccountSID, AuthToken: token, FriendlyName: "Parley account",
			DefaultServiceSID: cfg.DefaultChatServiceSID, DefaultMessagingServiceSID: cfg.DefaultMessagingServiceSID,
			DefaultInactiveTimer: cfg.DefaultInactiveTimer, DefaultClosedTimer: cfg.DefaultClosedTimer,
			DateCreated: now, DateUpdated: now}
		if dryRun {
			return nil
		}
		return tx.CreateAccount(created)
	})
	if err != nil {
		return "", nil, err
	}
	return t.SourceAccountSID, created, nil
}
