package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/accesstoken"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/server"
)

// tokenKeyName names the API key parley token signs with, created on first
// use and reused after.
const tokenKeyName = "parley token"

// operatorFlags are the settings that locate the server's data: the same
// flags and PARLEY_* variables as parley serve.
func operatorFlags(fs *flag.FlagSet, getenv func(string) string) (*server.Config, *string) {
	cfg := &server.Config{}
	masterKey := new(string)
	for _, s := range []setting{
		{"data-dir", "PARLEY_DATA_DIR", "./parley-data", "the server's data directory", &cfg.DataDir},
		{"database-url", "PARLEY_DATABASE_URL", "", "the server's database (default: <data-dir>/parley.db)", &cfg.DatabaseURL},
		{"account-sid", "PARLEY_ACCOUNT_SID", "", "the account to act for (default: the server's first account)", &cfg.AccountSID},
	} {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.target, s.flag, def, s.help+" ($"+s.env+")")
	}
	fs.StringVar(masterKey, "master-key", "", "the server's master key (default: <data-dir>/master.key) ($PARLEY_MASTER_KEY)")
	return cfg, masterKey
}

// openOperator parses fs's remaining settings and opens the server's data.
func openOperator(ctx context.Context, cfg *server.Config, masterKey string, getenv func(string) string) (*server.Operator, error) {
	key, err := parseMasterKey(masterKey, getenv)
	if err != nil {
		return nil, err
	}
	cfg.MasterKey = key
	return server.OpenOperator(ctx, *cfg)
}

// token prints an access token for an identity, signed with the account's
// "parley token" API key (created on first use, reused after).
func token(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parley token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, masterKey := operatorFlags(fs, getenv)
	identity := fs.String("identity", "", "the identity the token is for (required)")
	service := fs.String("service", "", "Conversation Service SID (IS…) of the chat grant (default: the account's default service)")
	ttl := fs.Duration("ttl", time.Hour, "lifetime, at most 24h")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *identity == "" || fs.NArg() > 0 {
		return errors.New("usage: parley token --identity NAME [--service IS…] [--ttl 1h]")
	}
	if *ttl <= 0 || *ttl > accesstoken.MaxLifetime {
		return fmt.Errorf("--ttl: want more than 0 and at most 24h (Twilio's maximum), got %s", *ttl)
	}
	op, err := openOperator(ctx, cfg, *masterKey, getenv)
	if err != nil {
		return err
	}
	defer op.Close()
	k, created, err := op.App.NamedKey(ctx, op.Account.SID, tokenKeyName)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stderr, "parley token: created API key %s (%q) in account %s to sign tokens; delete it with parley keys delete to revoke them\n", k.SID, tokenKeyName, op.Account.SID)
	} else {
		fmt.Fprintf(stderr, "parley token: signing with API key %s (%q) of account %s\n", k.SID, tokenKeyName, op.Account.SID)
	}
	jwt, err := accesstoken.Mint(accesstoken.Key{SID: k.SID, AccountSID: k.AccountSID, Secret: k.Secret}, *identity, *service, time.Now(), *ttl)
	if err != nil {
		return err
	}
	// The token goes through the verifier every transport uses, so a
	// token that would be refused (an unknown --service) is never printed.
	if _, err := op.App.VerifyToken(ctx, jwt); err != nil {
		return err
	}
	fmt.Fprintln(stdout, jwt)
	return nil
}

// keys manages API keys: parley keys create|list|delete.
func keys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: parley keys create [--name NAME] | list | delete SK…  [--data-dir …] [--database-url …] [--account-sid AC…]"
	if len(args) == 0 {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("parley keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, masterKey := operatorFlags(fs, getenv)
	name := fs.String("name", "", "friendly name of the new key (create)")
	positional, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	want := map[string]int{"create": 0, "list": 0, "delete": 1}
	n, ok := want[args[0]]
	if !ok || len(positional) != n {
		return errors.New(usage)
	}
	op, err := openOperator(ctx, cfg, *masterKey, getenv)
	if err != nil {
		return err
	}
	defer op.Close()
	ctx = core.AsOperator(ctx, op.Account.SID)
	switch args[0] {
	case "create":
		var fn *string
		if *name != "" {
			fn = name
		}
		k, err := op.App.CreateKey(ctx, op.Account.SID, fn)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Key SID: %s\nSecret:  %s\n", k.SID, k.Secret)
		fmt.Fprintln(stderr, "parley keys: the secret is shown only now; keep it safe")
		return nil
	case "list":
		return listKeys(ctx, op, stdout)
	}
	return op.App.DeleteKey(ctx, op.Account.SID, positional[0])
}

// parseInterspersed parses flags before and after positional arguments
// (parley keys delete SK… --data-dir d), which the flag package alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func listKeys(ctx context.Context, op *server.Operator, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SID\tFRIENDLY NAME\tCREATED")
	req := parley.PageRequest{Size: 100}
	for {
		page, err := op.App.Keys(ctx, op.Account.SID, req)
		if err != nil {
			return err
		}
		for _, k := range page.Items {
			name := ""
			if k.FriendlyName != nil {
				name = *k.FriendlyName
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", k.SID, name, k.DateCreated.UTC().Format(time.RFC3339))
		}
		if !page.More {
			return tw.Flush()
		}
		last := page.Items[len(page.Items)-1].Seq
		req.After = &last
	}
}
