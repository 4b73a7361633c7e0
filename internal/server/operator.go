package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/store"
)

// Operator is direct access to the data a server config points at, for
// commands that act on it without serving (parley token, parley keys).
type Operator struct {
	App   *core.App
	Store parley.Store
	// Account is the account the server runs as: cfg.AccountSID, else the
	// store's first account.
	Account *parley.Account
}

// OpenOperator opens cfg's store and master key. It creates nothing a
// first start would: a store without an account is an error.
func OpenOperator(ctx context.Context, cfg Config) (*Operator, error) {
	// A key file the server never made would seal secrets it cannot open.
	if len(cfg.MasterKey) == 0 && cfg.DataDir != "" {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "master.key")); err != nil {
			return nil, fmt.Errorf("master key: %w (set --master-key as the server has it, or --data-dir to the server's)", err)
		}
	}
	key, err := cfg.masterKey()
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	db, err := store.Open(ctx, cfg.databaseURL(), store.Options{Clock: clock.Real{}, MaxConns: 2})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	var acct *parley.Account
	err = db.Read(ctx, func(tx parley.Tx) (err error) {
		if cfg.AccountSID != "" {
			acct, err = tx.Account(cfg.AccountSID)
		} else {
			acct, err = tx.FirstAccount()
		}
		return err
	})
	if parley.IsNotFound(err) {
		err = errors.New("the store holds no such account: start parley serve once first, or check --account-sid")
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Operator{App: core.New(db, core.WithMasterKey(key)), Store: db, Account: acct}, nil
}

// Close closes the store.
func (o *Operator) Close() error { return o.Store.Close() }
