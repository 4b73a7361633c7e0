// Package jobs runs Parley's durable jobs: a bounded pool of workers claims
// due rows from the store's outbox (parley.JobsTx), runs the handler of each
// job's kind, and deletes the job when it succeeds or reschedules it with
// exponential backoff when it fails. Jobs outlive restarts because they are
// rows: a job that was never finished is claimed again by the next worker,
// once its lease runs out.
//
// Leases are short and renewed: while a pool runs jobs, a heartbeat extends
// their leases every Heartbeat, so a job whose worker died is claimed again
// within one Lease. Each pool holds its leases under an owner name made of
// its node's id and a random incarnation; when a node starts again, its pool
// releases what the node's previous process held, and those jobs run at once.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
)

// Handler runs one job. A nil error finishes it; parley.ErrJobSettled leaves
// it as the handler's own transaction left it; any other error retries it
// unless the error is parley.PermanentJobError or attempts are exhausted.
type Handler func(ctx context.Context, j *parley.Job) error

// Config tunes a Pool; zero values pick the defaults in brackets.
type Config struct {
	Concurrency int           // jobs run at once [8]
	Poll        time.Duration // how often due jobs are looked for without a wake-up [250ms]
	// Lease is how long a claimed job is hidden from other workers
	// without a heartbeat: the longest a dead worker's job waits [5s].
	Lease time.Duration
	// Heartbeat is how often the leases of running jobs are renewed
	// [Lease/3, so that two renewals may fail before a lease runs out].
	Heartbeat time.Duration
	// Node names this node, unique among the nodes sharing the store; the
	// pool releases on Start the leases an earlier process of the same
	// node left. Empty: a random name, so nothing is released early.
	Node        string
	MaxAttempts int // attempts before a job is given up [8]
	// BackoffBase is the wait before the first retry; each later retry
	// waits twice as long as the one before, up to BackoffMax [1s, 10m].
	BackoffBase time.Duration
	BackoffMax  time.Duration
	Logger      *slog.Logger
	// Clock schedules retries; the store's clock decides what is due. The
	// two must be the same clock [the wall clock].
	Clock parley.Clock
}

func (c *Config) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	def(&c.Poll, 250*time.Millisecond)
	def(&c.Lease, 5*time.Second)
	def(&c.Heartbeat, c.Lease/3)
	if c.Node == "" {
		c.Node = parley.NewSecret()[:16]
	}
	def(&c.BackoffBase, time.Second)
	def(&c.BackoffMax, 10*time.Minute)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
}

// Backoff is the wait after the attempt-th failed attempt (1-based).
func (c Config) Backoff(attempt int) time.Duration {
	d := c.BackoffBase
	for i := 1; i < attempt && d < c.BackoffMax; i++ {
		d *= 2
	}
	return min(d, c.BackoffMax)
}

// Pool is the worker pool.
type Pool struct {
	store    parley.Store
	cfg      Config
	owner    string // this process's name on the leases it holds
	handlers map[string]Handler
	wake     chan struct{}
	slots    chan struct{}
	ctx      context.Context // handlers' context, cancelled when Shutdown gives up waiting
	cancel   context.CancelFunc
	quit     chan struct{}
	loopDone chan struct{}
	beatDone chan struct{}
	running  sync.WaitGroup

	// inflight counts running jobs by kind, so RunDue can wait for the
	// ones the background loop claimed; claiming counts the loop's claims
	// whose jobs are not counted in inflight yet (a claim commits before
	// its jobs can be counted, and RunDue must not slip through between).
	mu       sync.Mutex
	idle     *sync.Cond
	inflight map[string]int
	claiming int
}

// New returns a pool over store; register handlers, then Start it.
func New(store parley.Store, cfg Config) *Pool {
	cfg.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{store: store, cfg: cfg, owner: cfg.Node + "/" + parley.NewSecret()[:16], handlers: map[string]Handler{}, wake: make(chan struct{}, 1),
		slots: make(chan struct{}, cfg.Concurrency), ctx: ctx, cancel: cancel,
		quit: make(chan struct{}), loopDone: make(chan struct{}), beatDone: make(chan struct{}), inflight: map[string]int{}}
	p.idle = sync.NewCond(&p.mu)
	return p
}

// Config is the pool's effective configuration.
func (p *Pool) Config() Config { return p.cfg }

// Handle registers the handler of a job kind. Call it before Start.
func (p *Pool) Handle(kind string, h Handler) { p.handlers[kind] = h }

// Start takes back the jobs an earlier process of this node held, then
// begins claiming jobs and renewing the leases of those it runs.
func (p *Pool) Start(ctx context.Context) error {
	var released int64
	err := p.store.Write(ctx, func(tx parley.Tx) (err error) {
		released, err = tx.ReleaseLeases(p.cfg.Node+"/", p.owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("release jobs of this node's previous process: %w", err)
	}
	if released > 0 {
		p.cfg.Logger.Info("took back jobs held by this node's previous process", "jobs", released, "node", p.cfg.Node)
	}
	go p.loop()
	go p.heartbeat()
	return nil
}

// heartbeat renews the leases of running jobs until the pool shuts down.
func (p *Pool) heartbeat() {
	defer close(p.beatDone)
	tick := time.NewTicker(p.cfg.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-tick.C:
		}
		if !p.busy() {
			continue
		}
		until := time.Now().Add(p.cfg.Lease)
		err := p.store.Write(p.ctx, func(tx parley.Tx) error {
			_, err := tx.RenewLeases(p.owner, until)
			return err
		})
		if err != nil && p.ctx.Err() == nil {
			p.cfg.Logger.Error("renew job leases", "err", err)
		}
	}
}

// busy reports whether any job runs.
func (p *Pool) busy() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.inflight {
		if n > 0 {
			return true
		}
	}
	return false
}

// Notify wakes the pool: a commit enqueued jobs. It never blocks.
func (p *Pool) Notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Shutdown stops claiming and waits for running jobs until ctx ends; then
// cancels them (they are rescheduled, not lost).
func (p *Pool) Shutdown(ctx context.Context) error {
	close(p.quit)
	<-p.loopDone
	done := make(chan struct{})
	go func() { p.running.Wait(); close(done) }()
	// The heartbeat renews leases until the last job ended, then stops
	// before the caller closes the store.
	select {
	case <-done:
		p.cancel()
		<-p.beatDone
		return nil
	case <-ctx.Done():
		p.cancel()
		<-done
		<-p.beatDone
		return ctx.Err()
	}
}

func (p *Pool) loop() {
	defer close(p.loopDone)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-p.wake:
		case <-timer.C:
		}
		for p.claimAndRun() {
		}
		timer.Reset(p.cfg.Poll)
	}
}

// claimAndRun claims as many due jobs as there are free slots and starts
// them. It reports whether it filled every slot (more may be due).
func (p *Pool) claimAndRun() bool {
	free := cap(p.slots) - len(p.slots)
	if free == 0 {
		return false
	}
	var claimed []*parley.Job
	p.mu.Lock()
	p.claiming++
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		if p.claiming--; p.claiming == 0 {
			p.idle.Broadcast()
		}
		p.mu.Unlock()
	}()
	err := p.store.Write(p.ctx, func(tx parley.Tx) (err error) {
		claimed, err = p.claim(tx, free, "")
		return err
	})
	if err != nil {
		if p.ctx.Err() == nil {
			p.cfg.Logger.Error("claim jobs", "err", err)
		}
		return false
	}
	for _, j := range claimed {
		p.slots <- struct{}{}
		p.running.Add(1)
		p.begin(j.Kind)
		go p.run(j)
	}
	return len(claimed) == free && len(claimed) > 0 && len(p.slots) < cap(p.slots)
}

// run runs one job and records its outcome.
func (p *Pool) run(j *parley.Job) {
	defer func() {
		<-p.slots
		p.end(j.Kind)
		p.running.Done()
		p.Notify() // a slot is free: look for more due jobs
	}()
	p.execute(j)
}

// execute runs one job's handler and records its outcome.
func (p *Pool) execute(j *parley.Job) {
	err := p.runHandler(j)
	ctx := context.Background() // the outcome is recorded even during shutdown
	var werr error
	switch {
	case errors.Is(err, parley.ErrJobSettled):
	case err == nil:
		werr = p.store.Write(ctx, func(tx parley.Tx) error { return tx.FinishJob(j.Seq) })
	case parley.IsPermanentJobError(err) || j.Attempts >= p.cfg.MaxAttempts:
		p.cfg.Logger.Warn("job given up", "kind", j.Kind, "seq", j.Seq, "attempts", j.Attempts, "err", err)
		werr = p.store.Write(ctx, func(tx parley.Tx) error { return tx.FinishJob(j.Seq) })
	default:
		at := p.cfg.Clock.Now().Add(p.cfg.Backoff(j.Attempts))
		werr = p.store.Write(ctx, func(tx parley.Tx) error { return tx.RetryJob(j.Seq, at, err.Error()) })
	}
	if werr != nil {
		p.cfg.Logger.Error("record job outcome", "kind", j.Kind, "seq", j.Seq, "err", werr)
	}
}

func (p *Pool) runHandler(j *parley.Job) error {
	h := p.handlers[j.Kind]
	if h == nil {
		return parley.PermanentJobError(errors.New("no handler for job kind " + j.Kind))
	}
	return h(p.ctx, j)
}

// claim leases due jobs on the wall clock: a lease detects a dead worker,
// which a virtual clock's jump must not fake.
func (p *Pool) claim(tx parley.Tx, limit int, kind string) ([]*parley.Job, error) {
	now := time.Now()
	return tx.ClaimJobs(limit, parley.Lease{Owner: p.owner, Now: now, Until: now.Add(p.cfg.Lease)}, kind)
}

func (p *Pool) begin(kind string) {
	p.mu.Lock()
	p.inflight[kind]++
	p.mu.Unlock()
}

func (p *Pool) end(kind string) {
	p.mu.Lock()
	if p.inflight[kind]--; p.inflight[kind] == 0 {
		p.idle.Broadcast()
	}
	p.mu.Unlock()
}

// RunDue runs every job of kind that is due now, and those that running
// them makes due, before it returns; it also waits for such jobs the
// background loop is running. A virtual clock calls it after each move, so
// that everything the move made due has happened when the move returns.
func (p *Pool) RunDue(ctx context.Context, kind string) error {
	for {
		var claimed []*parley.Job
		err := p.store.Write(ctx, func(tx parley.Tx) (err error) {
			claimed, err = p.claim(tx, p.cfg.Concurrency*8, kind)
			return err
		})
		if err != nil {
			return err
		}
		if len(claimed) == 0 {
			if !p.waitIdle(ctx, kind) {
				return nil // nothing ran meanwhile that could have made more due
			}
			continue
		}
		var wg sync.WaitGroup
		limit := make(chan struct{}, p.cfg.Concurrency)
		for _, j := range claimed {
			limit <- struct{}{}
			wg.Add(1)
			p.begin(j.Kind)
			go func() {
				defer func() { p.end(j.Kind); <-limit; wg.Done() }()
				p.execute(j)
			}()
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// waitIdle waits until no job of kind is running and reports whether it
// had to wait.
func (p *Pool) waitIdle(ctx context.Context, kind string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	waited := false
	for (p.inflight[kind] > 0 || p.claiming > 0) && ctx.Err() == nil {
		waited = true
		p.idle.Wait()
	}
	return waited
}
