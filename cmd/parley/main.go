// Command parley runs Parley, a self-hosted server that speaks the Twilio
// Conversations API.
//
//	parley serve [flags]   start the server (flags have PARLEY_* twins)
//	parley bench [flags]   measure Parley against its floor
//	parley token [flags]   print an access token for an identity
//	parley keys ...        create, list and delete API keys
package main

import (
	"context"
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
  serve    start the server
  bench    measure Parley against its floor (see docs/performance.md)
  token    print an access token: parley token --identity alice [--service IS…] [--ttl 1h]
  keys     manage API keys: parley keys create [--name N] | list | delete SK…
  help     show this text

Run "parley serve -h" for the server's flags.
`

// Main runs one subcommand until ctx ends; getenv supplies PARLEY_* settings.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "token":
		return token(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		return keys(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
