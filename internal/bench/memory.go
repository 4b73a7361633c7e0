package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
)

// The memory rows measure Parley as a process of its own: a child started
// with Options.ServeCommand over a fresh database, so its resident set is
// Parley's alone and not the bench's, the floor's or the clients'. Its live
// heap comes from the Go runtime's own trace (GODEBUG=gctrace=1): the heap
// left after the last garbage collection.

// memoryGoalMiB is the resident memory Parley should stay under after
// 10,000 messages.
const memoryGoalMiB = 40

// memory is scenario 5: Parley's resident memory at idle and after the API
// wrote each of opt's message counts into one conversation.
func (b *bencher) memory(ctx context.Context) ([]Row, error) {
	if len(b.opt.ServeCommand) == 0 {
		b.skip("memory: no command to start Parley as its own process")
		return nil, nil
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.skip("memory: resident memory is read from /proc, which this system lacks")
		return nil, nil
	}
	c, err := startChild(ctx, b.opt.ServeCommand, b.env, b.opt.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer c.stop()
	rows := []Row{c.memoryRow("memory, idle", 0)}
	sids, err := createConversationsAt(ctx, c.endpoint, 1)
	if err != nil {
		return rows, err
	}
	path := "/v1/Conversations/" + sids[0] + "/Messages"
	seeded := 0
	for _, n := range b.memoryCounts() {
		start := time.Now()
		s := measure(ctx, seedClients, budget{count: n - seeded}, postMessages(c.endpoint, []string{path}, false))
		if s.firstErr != nil {
			return rows, fmt.Errorf("memory: post %d messages: %w", n-seeded, s.firstErr)
		}
		seeded = n
		fmt.Fprintf(b.opt.Progress, "memory: Parley wrote %s messages (%.1fs)\n", thousands(n), time.Since(start).Seconds())
		rows = append(rows, c.memoryRow("memory, after "+thousands(n)+" messages", n))
	}
	return rows, ctx.Err()
}

// memoryCounts are the message counts after which memory is read.
func (b *bencher) memoryCounts() []int {
	counts := []int{b.opt.MemoryMessages}
	if b.opt.Large && largeDepth > b.opt.MemoryMessages {
		counts = append(counts, largeDepth)
	}
	return counts
}

// seedClients is how many clients write the memory scenario's messages.
const seedClients = 64

// child is Parley running as a process of its own.
type child struct {
	cmd      *exec.Cmd
	endpoint *endpoint
	done     chan struct{}
	mu       sync.Mutex
	heapMiB  float64 // live heap after the last collection; -1 before the first
}

// startChild starts command (which must take "parley serve"'s flags) on a
// loopback port over a fresh database and waits until it listens.
func startChild(ctx context.Context, command []string, e *env, dbURL string) (*child, error) {
	dir, err := os.MkdirTemp("", "parley-bench-child-")
	if err != nil {
		return nil, err
	}
	e.closers = append(e.closers, func(context.Context) error { return os.RemoveAll(dir) })
	if dbURL != "" {
		if dbURL, err = freshSchema(ctx, dbURL, e); err != nil {
			return nil, err
		}
	}
	acct, token := parley.NewSID(parley.PrefixAccount), parley.NewSecret()
	args := append(command[1:len(command):len(command)], "--addr", "127.0.0.1:0", "--data-dir", dir,
		"--account-sid", acct, "--auth-token", token)
	if dbURL != "" {
		args = append(args, "--database-url", dbURL)
	} else {
		args = append(args, "--database-url", filepath.Join(dir, "parley.db"))
	}
	cmd := exec.Command(command[0], args...)
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("memory: start Parley: %w", err)
	}
	c := &child{cmd: cmd, done: make(chan struct{}), heapMiB: -1}
	go c.readTrace(stderr)
	url, err := listeningURL(stdout)
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("memory: Parley did not start: %w", err)
	}
	go io.Copy(io.Discard, stdout)
	c.endpoint = newEndpoint(url, acct, token)
	return c, nil
}

// listeningURL reads the child's stdout up to the line saying where it
// listens.
func listeningURL(stdout io.Reader) (string, error) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, url, ok := strings.Cut(sc.Text(), "Parley is listening on "); ok {
			return strings.Fields(url)[0], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", io.ErrUnexpectedEOF
}

// gcTrace matches the heap sizes of a gctrace line: before, after and live
// after marking, in MB.
var gcTrace = regexp.MustCompile(`^gc \d+ .* (\d+)->(\d+)->(\d+) MB`)

// readTrace follows the child's stderr, keeping the live heap of the last
// collection.
func (c *child) readTrace(stderr io.Reader) {
	defer close(c.done)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := gcTrace.FindStringSubmatch(sc.Text()); m != nil {
			live, _ := strconv.ParseFloat(m[3], 64)
			c.mu.Lock()
			c.heapMiB = live * 1e6 / (1 << 20)
			c.mu.Unlock()
		}
	}
}

// memoryRow reads the child's resident set now.
func (c *child) memoryRow(scenario string, messages int) Row {
	r := Row{Scenario: scenario, System: "parley", Ops: messages}
	if rss, err := residentMiB(c.cmd.Process.Pid); err == nil {
		r.RSSMiB = &rss
		if messages == 10_000 {
			r.Goal = fmt.Sprintf("RSS under %d MiB", memoryGoalMiB)
		}
	} else {
		r.Error = err.Error()
	}
	c.mu.Lock()
	if c.heapMiB >= 0 {
		heap := c.heapMiB
		r.HeapMiB = &heap
	}
	c.mu.Unlock()
	return r
}

// residentMiB is a process's resident set size (VmRSS) in MiB.
func residentMiB(pid int) (float64, error) {
	v := procField("/proc/"+strconv.Itoa(pid)+"/status", "VmRSS")
	var kib float64
	if _, err := fmt.Sscanf(v, "%g kB", &kib); err != nil {
		return 0, fmt.Errorf("read VmRSS of process %d: %q", pid, v)
	}
	return kib / 1024, nil
}

// stop ends the child gracefully, or kills it after a grace period.
func (c *child) stop() {
	if c.endpoint != nil {
		c.endpoint.close()
	}
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
	c.cmd.Wait()
}
