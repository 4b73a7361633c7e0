package bench

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

// tiny runs every scenario with a handful of operations: it proves the bench
// works, not how fast anything is.
func tiny() Options {
	return Options{Count: 4, Rounds: 2, Concurrency: []int{1, 3}, SpreadConcurrency: 4, Conversations: 3,
		CreateConcurrency: 2, Depth: 120, PageSize: 10, FanoutConnections: 5, FanoutMessages: 3}
}

func TestRun(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		opt := tiny()
		opt.GroupCommitFloor = true
		checkRun(t, opt, "sqlite")
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		opt := tiny()
		opt.DatabaseURL = apitest.PostgresURL(t)
		checkRun(t, opt, "postgres")
	})
	t.Run("Target", func(t *testing.T) {
		srv, err := server.Start(context.Background(), server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(),
			DatabaseURL: t.TempDir() + "/parley.db", Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Shutdown(context.Background())
		opt := tiny()
		opt.Target, opt.AccountSID, opt.AuthToken = srv.URL(), srv.Account.SID, srv.Account.AuthToken
		checkRun(t, opt, "sqlite")
	})
}

func checkRun(t *testing.T, opt Options, engine string) {
	t.Helper()
	var progress bytes.Buffer
	opt.Progress = &progress
	rep, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	if got, want := rep.Engine, engine; got != want {
		t.Errorf("engine = %q, want %q", got, want)
	}
	systems := 2
	if opt.GroupCommitFloor {
		systems++
	}
	// Every system at each concurrency and spread, 2 list pages, 1 create,
	// 2 fan-out (quiet and busy).
	if got, want := len(rep.Rows), systems*(len(opt.Concurrency)+1)+2+1+2; got != want {
		t.Fatalf("%d rows, want %d: %+v", got, want, rep.Rows)
	}
	for _, row := range rep.Rows {
		if strings.HasPrefix(row.Scenario, "fan-out") {
			if row.Ops != opt.FanoutMessages || row.Errors != 0 || row.P50Ms <= 0 {
				t.Errorf("%s: %d ops, %d errors, p50 %.2f ms", row.Scenario, row.Ops, row.Errors, row.P50Ms)
			}
			continue
		}
		if got, want := row.Ops, opt.Count*opt.Rounds; got != want {
			t.Errorf("%s (%s, C=%d): %d ops, want %d", row.Scenario, row.System, row.Concurrency, got, want)
		}
		if row.System != "floor" && row.Scenario != "conversation create + participant add" &&
			!strings.HasPrefix(row.Scenario, "list messages, first") && row.Ratio == nil {
			t.Errorf("%s (C=%d): no ratio", row.Scenario, row.Concurrency)
		}
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"message create, 1 conversation", "message create, 3 conversations",
		"list messages, depth 120", "floor ops/s", "first page p50", "fan-out to 5 connections: post → all received"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
}

func TestFloorAssignsConsecutiveIndexes(t *testing.T) {
	ctx := context.Background()
	f, err := startFloor(ctx, t.TempDir()+"/floor.db", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close(ctx)
	ep := newEndpoint(f.url(), "", "")
	for want := range 3 {
		var m floorMessage
		if err := ep.call(ctx, "POST", messagePath(1), messageForm, &m); err != nil {
			t.Fatal(err)
		}
		if m.Index != int64(want) || m.Conversation != 1 || m.Body == "" {
			t.Errorf("message %d = %+v", want, m)
		}
	}
	if err := ep.call(ctx, "POST", messagePath(1), "Author=x", nil); err == nil {
		t.Error("a message without Body was accepted")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1000000: "1,000,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCreateScenarioPastIdentityLimits runs the create scenario past the
// per-identity conversation limits (Chat's default 250; the scenario adds
// through Conversations, whose limit is 1,000) from one client, which used
// to add one identity to every conversation: now every operation adds a new
// identity, so none is refused.
func TestCreateScenarioPastIdentityLimits(t *testing.T) {
	opt := Options{Count: 260, Rounds: 1, CreateConcurrency: 1}
	opt.defaults()
	e, err := newEnv(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	b := &bencher{opt: opt, env: e}
	rows, err := b.conversationCreate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; got.Errors != 0 || got.Ops != opt.Count {
		t.Errorf("%d of %d operations failed, first: %s", got.Errors, got.Ops, got.Error)
	}
}
