// Package bench measures Parley against its physical floor: the cheapest
// server that does the same irreducible work (parse the form, commit one
// message row durably on the same engine, answer JSON). Both run in the same
// process and are measured in alternating rounds, so drift of a shared
// machine hits both alike and the Parley/floor ratio is what to read.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Options configure a bench run. Zero values pick the documented defaults.
type Options struct {
	// DatabaseURL is a postgres:// URL to bench on PostgreSQL (in a fresh
	// schema, dropped afterwards); empty benches a fresh temporary SQLite file.
	DatabaseURL string
	// Target is the base URL of a running Parley to bench instead of an
	// in-process one; AccountSID and AuthToken authenticate to it.
	Target, AccountSID, AuthToken string

	Duration time.Duration // length of each measured run (when Count is 0)
	Count    int           // operations per measured run; overrides Duration
	Warmup   time.Duration // unmeasured load before a contender's first run
	Rounds   int           // measured runs per contender, alternating

	Concurrency       []int // clients of the one-conversation message create
	SpreadConcurrency int   // clients of the spread message create
	Conversations     int   // conversations the spread create writes to
	CreateConcurrency int   // clients of conversation create + participant add
	Depth             int   // depth of the deep message page
	Large             bool  // also measure a page at depth 1,000,000
	PageSize          int
	// GroupCommitFloor adds a third contender to the message creates: the
	// floor committing concurrent requests together (see groupcommit.go),
	// which Parley's ratio is then taken against.
	GroupCommitFloor bool
	// ServeCommand starts Parley as a process of its own ("parley serve"
	// and its flags follow) for the memory rows; empty skips them.
	ServeCommand []string
	// MemoryMessages is how many messages Parley writes before its memory
	// is read again (--large adds a reading after 1,000,000).
	MemoryMessages int
	// FanoutConnections is how many client-SDK connections subscribe to
	// one conversation in the fan-out scenario; FanoutMessages how many
	// messages are posted to them, one at a time.
	FanoutConnections, FanoutMessages int

	// Progress receives one line per measured run; nil discards them.
	Progress io.Writer
}

func (o *Options) defaults() {
	if o.Duration <= 0 {
		o.Duration = 2 * time.Second
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	if len(o.Concurrency) == 0 {
		o.Concurrency = []int{1, 8, 64}
	}
	setDefault(&o.SpreadConcurrency, 64)
	setDefault(&o.Conversations, 1000)
	setDefault(&o.CreateConcurrency, 8)
	setDefault(&o.Depth, 100_000)
	setDefault(&o.PageSize, 50)
	setDefault(&o.MemoryMessages, 10_000)
	setDefault(&o.FanoutConnections, 1000)
	setDefault(&o.FanoutMessages, 50)
	if o.Progress == nil {
		o.Progress = io.Discard
	}
}

func setDefault(n *int, def int) {
	if *n <= 0 {
		*n = def
	}
}

// largeDepth is the extra page depth --large measures.
const largeDepth = 1_000_000

// Run benches every scenario and returns the report. It fails when setup
// fails or any measured request failed; the report then holds what was
// measured.
func Run(ctx context.Context, opt Options) (rep *Report, err error) {
	opt.defaults()
	if opt.Target != "" && (opt.AccountSID == "" || opt.AuthToken == "") {
		return nil, fmt.Errorf("a --target needs --account-sid and --auth-token")
	}
	start := time.Now()
	e, err := newEnv(ctx, opt)
	if err != nil {
		return nil, err
	}
	// Closing drops the PostgreSQL schema; a failure to do so is worth knowing.
	defer func() { err = errors.Join(err, e.close()) }()
	b := &bencher{opt: opt, env: e}
	rep = &Report{Engine: e.engine, Target: opt.Target, Machine: describeMachine(), Started: start.UTC(),
		Settings: settingsOf(opt)}
	defer func() { rep.Seconds, rep.Skipped = time.Since(start).Seconds(), b.skipped }()
	for _, scenario := range []func(context.Context) ([]Row, error){b.messageCreate, b.listDepth, b.conversationCreate, b.memory, b.fanout} {
		rows, err := scenario(ctx)
		rep.Rows = append(rep.Rows, rows...)
		if err != nil {
			return rep, err
		}
	}
	return rep, rep.failures()
}

// bencher runs the scenarios of one bench run.
type bencher struct {
	opt Options
	env *env
	// identities numbers the participants the create scenario adds, across
	// its warm-up and rounds, so no identity is added twice.
	identities atomic.Int64
	skipped    []string // scenarios this run could not measure, and why
}

// skip notes a scenario this run cannot measure.
func (b *bencher) skip(why string) { b.skipped = append(b.skipped, why) }

// contender is one thing measured in an alternation.
type contender struct {
	system, scenario string
	fn               op
}

// alternate warms each contender up once, then measures them in turn, round
// after round (A B A B ...), so machine drift hits all of them alike.
func (b *bencher) alternate(ctx context.Context, conc int, cs []contender) []sample {
	if b.opt.Warmup > 0 {
		for _, c := range cs {
			measure(ctx, conc, budget{duration: b.opt.Warmup}, c.fn)
		}
	}
	out := make([]sample, len(cs))
	for round := 1; round <= b.opt.Rounds; round++ {
		for i, c := range cs {
			s := measure(ctx, conc, budget{count: b.opt.Count, duration: b.opt.Duration}, c.fn)
			fmt.Fprintf(b.opt.Progress, "%-36s %-7s C=%-3d round %d/%d: %8.0f ops/s  p50 %6.2f ms  p99 %6.2f ms\n",
				c.scenario, c.system, conc, round, b.opt.Rounds, s.rate(), s.percentile(0.5), s.percentile(0.99))
			if round == 1 {
				out[i] = s
			} else {
				out[i].merge(s)
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// rows turns an alternation's samples into report rows.
func rows(cs []contender, conc int, ss []sample) []Row {
	out := make([]Row, len(cs))
	for i, c := range cs {
		out[i] = newRow(c.scenario, c.system, conc, ss[i])
	}
	return out
}
