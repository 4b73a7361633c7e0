package store_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
)

// cut is how commitCutter breaks the connection that sends a COMMIT.
type cut int

const (
	// cutBefore drops the COMMIT and closes both sides: the server sees
	// the client go and aborts the transaction.
	cutBefore cut = iota + 1
	// cutAfter lets the COMMIT reach the server, then closes only the
	// client's side: the server commits, the client never hears it.
	cutAfter
	// cutSilently drops the COMMIT and the client's side but keeps the
	// server's side open, as a network that stopped answering: the server
	// holds the transaction open until the test ends.
	cutSilently
)

// commitCutter is a TCP proxy between the store and PostgreSQL that reads
// the frontend protocol and, once armed, breaks the first connection that
// sends a COMMIT, the way a network failure during COMMIT would.
type commitCutter struct {
	t      *testing.T
	ln     net.Listener
	target string
	mu     sync.Mutex
	armed  cut
	fired  chan struct{}
	held   []net.Conn // server sides kept open by cutSilently
	// spare is how many COMMITs pass before the armed cut.
	spare int
	// syncs counts the round trips the clients asked for (Sync and
	// simple Query messages).
	syncs atomic.Int64
}

func newCommitCutter(t *testing.T, target string) *commitCutter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &commitCutter{t: t, ln: ln, target: target, fired: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.relay(c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.release()
	})
	return p
}

// release closes the server sides the cutter held open.
func (p *commitCutter) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.held {
		c.Close()
	}
	p.held = nil
}

func (p *commitCutter) arm(c cut) { p.armAfter(c, 0) }

// armAfter arms the cutter for the COMMIT after the next spare ones.
func (p *commitCutter) armAfter(c cut, spare int) {
	p.mu.Lock()
	p.armed, p.spare = c, spare
	p.mu.Unlock()
}

// take disarms the cutter and reports how it was armed.
func (p *commitCutter) take() cut {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.armed != 0 && p.spare > 0 {
		p.spare--
		return 0
	}
	c := p.armed
	p.armed = 0
	if c != 0 {
		close(p.fired)
	}
	return c
}

func (p *commitCutter) relay(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	go func() { io.Copy(client, server); client.Close() }()
	r := bufio.NewReader(client)
	// The startup message has no type byte.
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		server.Close()
		return
	}
	startup := make([]byte, binary.BigEndian.Uint32(n[:]))
	copy(startup, n[:])
	if _, err := io.ReadFull(r, startup[4:]); err != nil {
		server.Close()
		return
	}
	server.Write(startup)
	prepared := map[string]string{} // statement name -> SQL
	cutting := cut(0)
	for {
		head := make([]byte, 5)
		if _, err := io.ReadFull(r, head); err != nil {
			if cutting != cutSilently {
				server.Close()
			}
			return
		}
		msg := make([]byte, 1+binary.BigEndian.Uint32(head[1:]))
		copy(msg, head)
		if _, err := io.ReadFull(r, msg[5:]); err != nil {
			server.Close()
			return
		}
		body := strings.Split(string(msg[5:]), "\x00")
		var run string // the SQL this message runs, if any
		switch msg[0] {
		case 'P': // Parse: name, query
			prepared[body[0]] = body[1]
		case 'B': // Bind: portal, statement
			run = prepared[body[1]]
		case 'Q': // simple query
			run = body[0]
		}
		if cutting == 0 && strings.EqualFold(strings.TrimSpace(run), "COMMIT") {
			cutting = p.take()
		}
		switch {
		case cutting == cutBefore:
			client.Close()
			server.Close()
			return
		case cutting == cutSilently:
			client.Close()
			p.mu.Lock()
			p.held = append(p.held, server)
			p.mu.Unlock()
			return
		}
		if msg[0] == 'S' || msg[0] == 'Q' {
			p.syncs.Add(1)
		}
		server.Write(msg)
		if cutting == cutAfter && (msg[0] == 'S' || msg[0] == 'Q') {
			// The COMMIT and its Sync are on their way; the answer is not.
			client.Close()
			p.mu.Lock()
			p.held = append(p.held, server)
			p.mu.Unlock()
			return
		}
	}
}

// TestCommitWithLostConnection cuts the writer's connection exactly when it
// sends COMMIT, while 24 concurrent message creates are in flight, and
// checks what each writer was told against what PostgreSQL holds: no write
// is acknowledged that was not committed, none that was committed is
// reported failed when the store could find out, and a write that failed
// can be retried.
func TestCommitWithLostConnection(t *testing.T) {
	defer store.SetSettleWithin(500 * time.Millisecond)()
	for _, tc := range []struct {
		name string
		cut  cut
		// unknown: the store cannot tell whether the COMMIT took effect,
		// so the cut batch's writers get an error.
		unknown bool
	}{
		{"server never got the COMMIT", cutBefore, false},
		{"server committed, the answer was lost", cutAfter, false},
		{"server stopped answering", cutSilently, true},
	} {
		t.Run(tc.name, func(t *testing.T) { testLostCommit(t, tc.cut, tc.unknown) })
	}
}

// lostCommitSetup opens a store behind a commit cutter and a checker
// store connected directly, with one conversation that holds a warm-up
// message (so the writer's connection is open).
func lostCommitSetup(t *testing.T) (proxy *commitCutter, s, checker *store.DB, f writeFixture, conv *parley.Conversation) {
	t.Helper()
	proxy, s, direct := openBehindProxy(t, store.Options{})
	checker, err := store.Open(context.Background(), direct, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { checker.Close() })
	f = newWriteFixture(t, checker, 1)
	conv = f.convs[0]
	if err := f.post(s, conv, "warm-up"); err != nil {
		t.Fatal(err)
	}
	return proxy, s, checker, f, conv
}

func testLostCommit(t *testing.T, how cut, unknown bool) {
	proxy, s, checker, f, conv := lostCommitSetup(t)
	post := func(body string) error { return f.post(s, conv, body) }

	proxy.arm(how)
	const writers = 24
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = post(fmt.Sprint("m-", i)) }()
	}
	if how == cutSilently {
		// The held transaction keeps the conversation's row lock, so the
		// writes behind it wait, as they would on PostgreSQL until it
		// notices the dead client. Past settleWithin the server side goes.
		go func() {
			<-proxy.fired
			time.Sleep(time.Second)
			proxy.release()
		}()
	}
	wg.Wait()
	select {
	case <-proxy.fired:
	default:
		t.Fatal("no COMMIT was cut")
	}

	stored := storedBodies(t, checker, conv.SID)
	failed := 0
	for i, err := range errs {
		body := fmt.Sprint("m-", i)
		switch {
		case err == nil && stored[body] != 1:
			t.Errorf("%s was acknowledged but stored %d times", body, stored[body])
		case err != nil:
			failed++
			t.Logf("%s: %v (stored %d times)", body, err, stored[body])
		}
	}
	if !unknown && failed > 0 {
		t.Errorf("%d writers got an error although the outcome could be settled", failed)
	}
	if unknown && failed == 0 {
		t.Error("every writer was told success although the COMMIT's fate was unknown")
	}
	// A retry of a failed write: the connection is re-established and the
	// write commits.
	for i, err := range errs {
		if err == nil {
			continue
		}
		if err := post(fmt.Sprint("m-", i)); err != nil {
			t.Errorf("retry of m-%d: %v", i, err)
		}
	}
	// Once the server side of a silent cut is closed, the server aborts
	// what it held: every message is then stored exactly once, with
	// contiguous indexes.
	proxy.release()
	time.Sleep(200 * time.Millisecond)
	stored = storedBodies(t, checker, conv.SID)
	for i := range writers {
		if body := fmt.Sprint("m-", i); stored[body] != 1 {
			t.Errorf("%s stored %d times after the retries", body, stored[body])
		}
	}
	if stored["warm-up"] != 1 || len(stored) != writers+1 {
		t.Errorf("stored %v", stored)
	}
}

// TestCarefulCommitWithLostConnection cuts the COMMIT of the careful
// paths, which run when the pipelined first pass cannot commit: a write
// that lost a race (a serialisation failure) runs again alone, and a batch
// with a failing write runs again with a savepoint per write. Their
// writers are told the truth as the first pass's are: a COMMIT the server
// never got is run again, one whose answer was lost is a success.
func TestCarefulCommitWithLostConnection(t *testing.T) {
	defer store.SetSettleWithin(500 * time.Millisecond)()
	for _, tc := range []struct {
		name  string
		cut   cut
		batch int
	}{
		{"rerun alone, server never got the COMMIT", cutBefore, 1},
		{"rerun alone, the answer was lost", cutAfter, 1},
		{"rerun with savepoints, server never got the COMMIT", cutBefore, 4},
		{"rerun with savepoints, the answer was lost", cutAfter, 4},
	} {
		t.Run(tc.name, func(t *testing.T) { testCarefulLostCommit(t, tc.cut, tc.batch) })
	}
}

func testCarefulLostCommit(t *testing.T, how cut, batch int) {
	ctx := context.Background()
	proxy, s, checker, f, conv := lostCommitSetup(t)
	// The first write of the batch fails its first run as a lost race
	// would; every run after that succeeds.
	var runs atomic.Int32
	racing := func(tx parley.Tx) error {
		if runs.Add(1) == 1 {
			return &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
		}
		return f.create(conv, "m-0")(tx)
	}
	errs := make([]error, batch)
	if batch == 1 {
		proxy.arm(how)
		errs[0] = s.Write(ctx, racing)
	} else {
		// A write holding the committer lets the batch queue behind it;
		// its own COMMIT is spared, the batch's rerun is cut.
		release, holding := make(chan struct{}), make(chan struct{})
		var once sync.Once
		hold := make(chan error, 1)
		go func() {
			hold <- s.Write(ctx, func(tx parley.Tx) error {
				once.Do(func() { close(holding) })
				<-release
				return f.create(conv, "holder")(tx)
			})
		}()
		<-holding
		proxy.armAfter(how, 1)
		var wg sync.WaitGroup
		for i := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 0 {
					errs[i] = s.Write(ctx, racing)
					return
				}
				errs[i] = f.post(s, conv, fmt.Sprint("m-", i))
			}()
		}
		time.Sleep(200 * time.Millisecond) // all queued behind the holder
		close(release)
		wg.Wait()
		if err := <-hold; err != nil {
			t.Fatalf("holder: %v", err)
		}
	}
	select {
	case <-proxy.fired:
	default:
		t.Fatal("no COMMIT was cut")
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("m-%d: %v", i, err)
		}
	}
	stored := storedBodies(t, checker, conv.SID)
	for i := range batch {
		if body := fmt.Sprint("m-", i); stored[body] != 1 {
			t.Errorf("%s stored %d times", body, stored[body])
		}
	}
}

// storedBodies counts the conversation's messages by body and checks their
// indexes are contiguous from 0.
func storedBodies(t *testing.T, s parley.Store, conversationSID string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	err := s.Read(context.Background(), func(tx parley.Tx) error {
		page, err := tx.ListMessages(conversationSID, parley.PageRequest{Size: 1000})
		if err != nil {
			return err
		}
		for i, m := range page.Items {
			if m.Index != int64(i) {
				return fmt.Errorf("message %d has index %d", i, m.Index)
			}
			counts[*m.Body]++
		}
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	return counts
}

// openBehindProxy opens a store on a fresh PostgreSQL schema through a
// commitCutter, and returns the database's direct URL too.
func openBehindProxy(t *testing.T, opt store.Options) (*commitCutter, *store.DB, string) {
	direct := apitest.PostgresURL(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCommitCutter(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	s, err := store.Open(context.Background(), u.String(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return proxy, s, direct
}

// writeFixture is an account, its service and n conversations.
type writeFixture struct {
	acct  *parley.Account
	svc   *parley.Service
	convs []*parley.Conversation
}

var fixtureEpoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newWriteFixture(t *testing.T, s parley.Store, n int) writeFixture {
	epoch := fixtureEpoch
	f := writeFixture{acct: &parley.Account{SID: parley.NewSID(parley.PrefixAccount), AuthToken: "token", FriendlyName: "test",
		DefaultServiceSID: parley.NewSID(parley.PrefixService), DateCreated: epoch, DateUpdated: epoch}}
	f.svc = &parley.Service{SID: f.acct.DefaultServiceSID, AccountSID: f.acct.SID, FriendlyName: "svc",
		DefaultConversationCreatorRoleSID: parley.NewSID(parley.PrefixRole), DefaultConversationRoleSID: parley.NewSID(parley.PrefixRole),
		DefaultChatServiceRoleSID: parley.NewSID(parley.PrefixRole), DateCreated: epoch, DateUpdated: epoch}
	err := s.Write(context.Background(), func(tx parley.Tx) error {
		if err := tx.CreateAccount(f.acct); err != nil {
			return err
		}
		if err := tx.CreateService(f.svc); err != nil {
			return err
		}
		for range n {
			c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
				Attributes: "{}", State: parley.StateActive, Type: parley.ChannelPrivate, DateCreated: epoch, DateUpdated: epoch}
			f.convs = append(f.convs, c)
			if err := tx.CreateConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// post writes a message as core's message create does.
func (f writeFixture) post(s parley.Store, c *parley.Conversation, body string) error {
	return s.Write(context.Background(), f.create(c, body))
}

// create is the write of post.
func (f writeFixture) create(c *parley.Conversation, body string) func(tx parley.Tx) error {
	return func(tx parley.Tx) error {
		_, idx, participant, err := tx.ReserveMessageIndexBy(f.svc.SID, c.SID, "system")
		if err != nil {
			return err
		}
		return tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID,
			ServiceSID: f.svc.SID, ConversationSID: c.SID, Index: idx, Author: "system", Body: &body, Attributes: "{}",
			ParticipantSID: participant, DateCreated: fixtureEpoch, DateUpdated: fixtureEpoch})
	}
}
