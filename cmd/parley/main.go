// Command parley runs Parley, a self-hosted server that speaks the Twilio
// Conversations API.
//
//	parley serve [flags]      start the server (flags have PARLEY_* twins)
//	parley accounts <action>  show the account's credentials, or reset its token
//	parley bench [flags]      measure Parley against its floor
//	parley token [flags]      print an access token for an identity
//	parley keys ...           create, list and delete API keys
//	parley version            print the version, commit and Go version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		os.Exit(1)
	}
}

const usage = `usage: parley <command> [flags]

commands:
  serve     start the server
  accounts  show the account's SID and auth token, or reset the token
  bench     measure Parley against its floor (see docs/performance.md)
  token     print an access token: parley token --identity alice [--service IS…] [--ttl 1h]
  keys      manage API keys: parley keys create [--name N] | list | delete SK…
  import    copy an account from Twilio: parley import --account-sid AC… --auth-token … [--dry-run] | verify
  version   print the version, commit, build date and Go version
  help      show this text

Run "parley <command> -h" for a command's flags.
`

// Main runs one subcommand until ctx ends; getenv supplies PARLEY_* settings.
// Asking for help (-h, --help) is success: the usage is printed and Main
// returns nil.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	err := dispatch(ctx, args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "accounts":
		return runAccounts(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "token":
		return token(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		return keys(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version":
		return printVersion(args[1:], stdout)
	case "import":
		return runImport(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}
