package core_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/jobs"
	"github.com/parley-dev/parley/internal/store"
)

// timedConversations is how many conversations with timers the scheduler
// benchmarks keep waiting.
const timedConversations = 100_000

// pollsPerHour is how often an idle job pool looks for due jobs in an hour
// (its default poll interval is 250 ms).
const pollsPerHour = 4 * 3600

// BenchmarkTimerScheduler measures what conversation timers cost the
// scheduler, with the process's CPU time (user + system; for PostgreSQL the
// database server's own CPU is not included):
//
//   - idle: one scheduler tick (a claim of due timer jobs that finds none)
//     with 0 and with 100,000 conversations waiting on timers, reported per
//     tick and per simulated hour of ticks: the cost must not grow with the
//     number of waiting timers;
//   - fire: an hour of virtual time in which all 100,000 conversations go
//     inactive, reported as CPU per simulated hour and per transition.
//
// Run: go test ./internal/core -run '^$' -bench 'TimerScheduler' -benchtime 1x
// (each iteration of fire seeds and fires its own 100,000; idle wants more
// iterations: -bench TimerScheduler/.*/idle -benchtime 200x).
// PARLEY_TEST_POSTGRES=require adds PostgreSQL.
func BenchmarkTimerScheduler(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for _, waiting := range []int{0, timedConversations} {
				b.Run(fmt.Sprintf("idle-%d", waiting), func(b *testing.B) { benchIdle(b, engine, waiting) })
			}
			b.Run(fmt.Sprintf("fire-%d", timedConversations), func(b *testing.B) { benchFire(b, engine) })
		})
	}
}

// timerRig is a store, domain and job pool on a virtual clock.
type timerRig struct {
	clock *clock.Virtual
	app   *core.App
	pool  *jobs.Pool
	acct  *parley.Account
}

func newTimerRig(b *testing.B, engine string) *timerRig {
	b.Helper()
	ctx := context.Background()
	vc := clock.NewVirtual(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	db, err := store.Open(ctx, apitest.DatabaseURL(b, engine), store.Options{Clock: vc})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	app := core.New(db)
	acct, _, err := app.Bootstrap(ctx, "", "")
	if err != nil {
		b.Fatal(err)
	}
	pool := jobs.New(db, jobs.Config{Clock: vc})
	pool.Handle(core.TimerJobKind, app.RunTimer)
	return &timerRig{clock: vc, app: app, pool: pool, acct: acct}
}

// seed creates n active conversations whose inactive timers are spread
// evenly over (0, spread] from now, through the domain as a request would.
func (r *timerRig) seed(b *testing.B, n int, spread time.Duration) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				// Timers are whole seconds, at least Twilio's one minute.
				d := max(time.Minute, time.Duration(i)*spread/time.Duration(n)).Truncate(time.Second)
				inactive, state := fmt.Sprintf("PT%dS", int(d.Seconds())), parley.StateActive
				_, err := r.app.CreateConversation(parley.WithAccount(context.Background(), r.acct), "",
					parley.ConversationFields{State: &state, TimerInactive: &inactive})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchIdle(b *testing.B, engine string, waiting int) {
	r := newTimerRig(b, engine)
	r.seed(b, waiting, 24*time.Hour) // none due during the benchmark
	ctx := context.Background()
	cpu := cpuTime()
	ticks := 0
	for b.Loop() {
		if err := r.pool.RunDue(ctx, core.TimerJobKind); err != nil {
			b.Fatal(err)
		}
		ticks++
	}
	perTick := (cpuTime() - cpu) / time.Duration(ticks)
	b.ReportMetric(float64(perTick.Microseconds()), "cpu-µs/tick")
	b.ReportMetric(float64((perTick * pollsPerHour).Milliseconds()), "cpu-ms/sim-hour")
}

func benchFire(b *testing.B, engine string) {
	r := newTimerRig(b, engine)
	ctx := context.Background()
	var cpu, wall time.Duration
	hours := 0
	for b.Loop() {
		b.StopTimer()
		r.seed(b, timedConversations, time.Hour)
		b.StartTimer()
		cpu0, start := cpuTime(), time.Now()
		if _, err := r.clock.Advance(time.Hour); err != nil {
			b.Fatal(err)
		}
		if err := r.pool.RunDue(ctx, core.TimerJobKind); err != nil {
			b.Fatal(err)
		}
		cpu, wall = cpu+cpuTime()-cpu0, wall+time.Since(start)
		hours++
	}
	// Every conversation fired: none is left active.
	left, err := r.app.ListConversations(parley.WithAccount(ctx, r.acct), "", parley.ConversationFilter{State: parley.StateActive}, parley.PageRequest{Size: 1})
	if err != nil || len(left.Items) != 0 {
		b.Fatalf("after the hour, active conversations remain (%v)", err)
	}
	b.ReportMetric(cpu.Seconds()/float64(hours), "cpu-s/sim-hour")
	b.ReportMetric(float64(cpu.Microseconds())/float64(hours*timedConversations), "cpu-µs/transition")
	b.ReportMetric(float64(hours*timedConversations)/wall.Seconds(), "transitions/s")
}
