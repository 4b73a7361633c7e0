package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/store"
)

const accountsUsage = `usage: parley accounts <action> [flags]

actions:
  show          print the account SID and auth token
  reset-token   give the account a new random auth token and print it

Both read the database parley serve uses (the same --data-dir and
--database-url flags and PARLEY_* variables). A running server accepts a
new token within 2 seconds; the old one stops working then.
`

// runAccounts runs "parley accounts": the documented way to see the
// credentials after the first start printed them, or to replace a token.
func runAccounts(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		if len(args) == 0 {
			fmt.Fprint(stderr, accountsUsage)
			return errors.New("accounts: no action given")
		}
		fmt.Fprint(stdout, accountsUsage)
		return nil
	}
	action := args[0]
	if action != "show" && action != "reset-token" {
		fmt.Fprint(stderr, accountsUsage)
		return fmt.Errorf("accounts: unknown action %q", action)
	}
	fs := flag.NewFlagSet("parley accounts "+action, flag.ContinueOnError)
	fs.SetOutput(stderr)
	// The same settings as token and keys; the master key is not needed
	// here (auth tokens are not sealed with it).
	cfg, _ := operatorFlags(fs, getenv)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("accounts %s: unexpected argument %q", action, fs.Arg(0))
	}
	dbURL, sid := cfg.DatabaseURL, cfg.AccountSID
	if dbURL == "" {
		dbURL = filepath.Join(cfg.DataDir, "parley.db")
	}
	if !strings.HasPrefix(dbURL, "postgres://") && !strings.HasPrefix(dbURL, "postgresql://") {
		// Reading credentials must not create an empty database.
		if _, err := os.Stat(dbURL); err != nil {
			return fmt.Errorf("accounts %s: no database at %s (start `parley serve` first, or pass --data-dir / --database-url): %w", action, dbURL, err)
		}
	}
	db, err := store.Open(ctx, dbURL, store.Options{MaxConns: 1})
	if err != nil {
		return fmt.Errorf("accounts %s: open store: %w", action, err)
	}
	defer db.Close()
	var acct *parley.Account
	err = db.Write(ctx, func(tx parley.Tx) (err error) {
		if sid == "" {
			acct, err = tx.FirstAccount()
		} else {
			acct, err = tx.Account(sid)
		}
		if err != nil || action != "reset-token" {
			return err
		}
		acct.AuthToken, acct.DateUpdated = parley.NewSecret(), tx.Now()
		return tx.UpdateAccount(acct)
	})
	if parley.IsNotFound(err) {
		return fmt.Errorf("accounts %s: the database holds no such account (start `parley serve` to create one)", action)
	}
	if err != nil {
		return fmt.Errorf("accounts %s: %w", action, err)
	}
	fmt.Fprintf(stdout, "Account SID: %s\nAuth token:  %s\n", acct.SID, acct.AuthToken)
	return nil
}
