package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
)

// Lease timings of reachability. A node renews its users' leases every
// PresenceLease/3, so a lease outlives two missed renewals; the sweep runs
// every PresenceSweepEvery on the store clock, so a dead node's users go
// offline at most PresenceLease + PresenceSweepEvery after its last renewal.
const (
	PresenceLease      = 60 * time.Second
	PresenceSweepEvery = 30 * time.Second
)

// PresenceSweepJobKind is the keyed job that turns offline the users of
// nodes that stopped renewing their leases.
const PresenceSweepJobKind = "presence-sweep"

const presenceSweepKey = "presence-sweep"

// Presence tracks this process's client SDK sessions per user and keeps
// their reachability leases (core.EnterPresence): the first session of a
// user here takes the lease, the last one to end drops it. It implements
// twilsock.Presence.
type Presence struct {
	app *core.App
	// holder names this process among the lease holders: the node id and a
	// random incarnation, so a restarted node never renews the leases its
	// previous process left behind; those expire and are swept.
	holder string
	log    *slog.Logger

	mu      sync.Mutex
	users   map[string]*userSessions
	renewal bool // the renewal loop runs (while any user is connected)
}

// userSessions counts one user's sessions here; its lock orders the lease
// writes of that user, so a session ending and another starting cannot
// drop the lease the new one needs.
type userSessions struct {
	mu       sync.Mutex
	sessions int
	leased   bool // the first session took a lease (reachability on)
	refs     int  // goroutines holding or waiting for mu
}

// NewPresence returns the tracker of node's sessions.
func NewPresence(app *core.App, node string, log *slog.Logger) *Presence {
	var b [6]byte
	rand.Read(b[:])
	if log == nil {
		log = slog.Default()
	}
	return &Presence{app: app, holder: node + "/" + hex.EncodeToString(b[:]), log: log, users: map[string]*userSessions{}}
}

// Connected counts a session of c's user, taking the lease with the first.
func (p *Presence) Connected(ctx context.Context, c *parley.Caller) {
	u := p.acquire(c)
	defer p.release(c, u)
	u.sessions++
	if u.sessions == 1 {
		// As the identity: the change is the SDK's (Source SDK, webhooks).
		entered, err := p.app.EnterPresence(parley.WithCaller(ctx, c), c, p.holder, PresenceLease)
		if err != nil {
			p.log.Warn("reachability: taking a lease", "identity", c.Identity, "err", err)
		}
		u.leased = entered
	}
}

// Disconnected uncounts a session, dropping the lease with the last.
func (p *Presence) Disconnected(c *parley.Caller) {
	u := p.acquire(c)
	defer p.release(c, u)
	u.sessions--
	if u.sessions == 0 && u.leased {
		u.leased = false
		ctx := parley.WithCaller(context.Background(), c)
		if err := p.app.LeavePresence(ctx, c, p.holder); err != nil {
			p.log.Warn("reachability: dropping a lease", "identity", c.Identity, "err", err)
		}
	}
}

func presenceKey(c *parley.Caller) string {
	return c.Account.SID + "/" + c.ServiceSID + "/" + c.Identity
}

// acquire locks the user's counter, creating it (and starting the renewal
// loop) as needed.
func (p *Presence) acquire(c *parley.Caller) *userSessions {
	p.mu.Lock()
	u := p.users[presenceKey(c)]
	if u == nil {
		u = &userSessions{}
		p.users[presenceKey(c)] = u
	}
	u.refs++
	if !p.renewal {
		p.renewal = true
		go p.renew()
	}
	p.mu.Unlock()
	u.mu.Lock()
	return u
}

// release unlocks the counter, forgetting a user with no session left.
func (p *Presence) release(c *parley.Caller, u *userSessions) {
	u.mu.Unlock()
	p.mu.Lock()
	u.refs--
	if u.refs == 0 && u.sessions == 0 {
		delete(p.users, presenceKey(c))
	}
	p.mu.Unlock()
}

// renew extends this process's leases every PresenceLease/3 while it has
// sessions. It is wall time: a lease is renewed as long as the process
// lives, whatever the store clock says.
func (p *Presence) renew() {
	t := time.NewTicker(PresenceLease / 3)
	defer t.Stop()
	for range t.C {
		p.mu.Lock()
		if len(p.users) == 0 {
			p.renewal = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		if err := p.Renew(context.Background()); err != nil {
			p.log.Warn("reachability: renewing leases", "err", err)
		}
	}
}

// Renew extends this process's leases by PresenceLease from now.
func (p *Presence) Renew(ctx context.Context) error {
	return p.app.RenewPresence(ctx, p.holder, PresenceLease)
}

// ScheduleSweep (re)starts the sweep job: keyed, so every node scheduling
// it at start still leaves one.
func ScheduleSweep(ctx context.Context, store parley.Store) error {
	return store.Write(ctx, func(tx parley.Tx) error {
		return tx.EnqueueJob(&parley.Job{Kind: PresenceSweepJobKind, Key: presenceSweepKey, Payload: []byte("{}"), RunAt: tx.Now()})
	})
}

// RunSweep is the sweep job's handler. It renews this process's own leases
// first: the process running it is alive, and on a virtual clock moved far
// ahead its leases would otherwise look as dead as a crashed node's. Then
// it turns offline the users whose leases all expired, and schedules the
// next run.
func (p *Presence) RunSweep(store parley.Store) func(ctx context.Context, j *parley.Job) error {
	return func(ctx context.Context, j *parley.Job) error {
		if err := p.Renew(ctx); err != nil {
			return err
		}
		n, err := p.app.SweepPresence(ctx)
		if err != nil {
			return err
		}
		return store.Write(ctx, func(tx parley.Tx) error {
			next := tx.Now().Add(PresenceSweepEvery)
			if n > 0 {
				next = tx.Now() // a full or busy sweep: look again at once
			}
			return tx.EnqueueJob(&parley.Job{Kind: PresenceSweepJobKind, Key: presenceSweepKey, Payload: []byte("{}"), RunAt: next})
		})
	}
}
