package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/parley-dev/parley/internal/bench"
)

// runBench runs "parley bench": every scenario against Parley and the floor,
// a table on stdout, progress on stderr, and optionally JSON and a CPU profile.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opt, jsonPath, profilePath, err := parseBenchFlags(args, stderr)
	if err != nil {
		return err
	}
	opt.Progress = stderr
	// The memory rows run this very binary as "parley serve", without the
	// per-account rate limit: the bench posts faster than its default.
	if exe, err := os.Executable(); err == nil {
		opt.ServeCommand = []string{exe, "serve", "--rate-limit", "0"}
	}
	if profilePath != "" {
		stop, err := startProfile(profilePath)
		if err != nil {
			return err
		}
		defer stop()
	}
	rep, runErr := bench.Run(ctx, opt)
	if rep == nil {
		return runErr
	}
	err = rep.WriteTable(stdout)
	if jsonPath != "" {
		err = errors.Join(err, rep.WriteJSON(jsonPath))
	}
	return errors.Join(runErr, err)
}

func parseBenchFlags(args []string, stderr io.Writer) (opt bench.Options, jsonPath, profilePath string, err error) {
	fs := flag.NewFlagSet("parley bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opt.DatabaseURL, "database-url", "", "bench on this PostgreSQL (postgres://...; a fresh schema, dropped afterwards) instead of a fresh temporary SQLite file")
	fs.StringVar(&opt.Target, "target", "", "bench a running Parley at this base URL instead of an in-process one")
	fs.StringVar(&opt.AccountSID, "account-sid", "", "account SID for --target")
	fs.StringVar(&opt.AuthToken, "auth-token", "", "auth token for --target")
	fs.DurationVar(&opt.Duration, "duration", 0, "length of each measured run (default 2s)")
	fs.IntVar(&opt.Count, "count", 0, "operations per measured run; overrides --duration")
	fs.DurationVar(&opt.Warmup, "warmup", 500*time.Millisecond, "unmeasured load before each contender's first run (0s for none)")
	fs.IntVar(&opt.Rounds, "rounds", 0, "measured runs per contender, alternating Parley and the floor (default 3)")
	conc := fs.String("concurrency", "1,8,64", "clients of the one-conversation message create, comma-separated")
	fs.IntVar(&opt.SpreadConcurrency, "spread-concurrency", 0, "clients of the message create spread over conversations (default 64)")
	fs.IntVar(&opt.Conversations, "conversations", 0, "conversations the spread message create writes to (default 1000)")
	fs.IntVar(&opt.CreateConcurrency, "create-concurrency", 0, "clients of conversation create + participant add (default 8)")
	fs.IntVar(&opt.Depth, "depth", 0, "depth of the deep message page (default 100000)")
	fs.BoolVar(&opt.Large, "large", false, "also measure a message page at depth 1,000,000, and memory after 1,000,000 messages")
	fs.BoolVar(&opt.GroupCommitFloor, "group-commit-floor", true, "also measure a floor that commits concurrent message creates together, and take Parley's ratio against it")
	fs.IntVar(&opt.MemoryMessages, "memory-messages", 0, "messages Parley, as its own process, writes before its memory is read again (default 10000; --large adds 1000000)")
	fs.IntVar(&opt.FanoutConnections, "fanout-connections", 0, "client-SDK connections subscribed to one conversation in the fan-out scenario (default 1000)")
	fs.IntVar(&opt.FanoutMessages, "fanout-messages", 0, "messages posted, one at a time, to the fan-out connections (default 50)")
	fs.StringVar(&jsonPath, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&profilePath, "cpuprofile", "", "write a CPU profile of the run (label system=parley|floor) to this file")
	if err = fs.Parse(args); err != nil {
		return
	}
	if fs.NArg() > 0 {
		return opt, "", "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	opt.Concurrency, err = parseInts(*conc)
	return opt, jsonPath, profilePath, err
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--concurrency: want positive numbers separated by commas, got %q", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
