package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// The crash test: a child `parley serve` takes concurrent message creates,
// is killed with SIGKILL mid-load, and is started again on the same
// database, several times; then every acknowledged message must be stored
// exactly once, each conversation's indexes must run 0..n-1 without a gap,
// and every acknowledged message's onMessageAdded webhook must have reached
// the receiver. CI runs two kills per engine; PARLEY_CRASH_KILLS and
// PARLEY_CRASH_LOAD (load before each kill, e.g. 2s) make a longer run, and
// PARLEY_CRASH_NEW_NODE=1 restarts as another node id each time, which has
// to wait for the dead process's job leases to run out.

// crashLoad is the load of one crash test run.
type crashLoad struct {
	kills         int
	loadFor       time.Duration
	writers       int
	conversations int
	deliverWithin time.Duration // how long after a restart webhooks may take
}

func crashLoadFromEnv(t *testing.T) crashLoad {
	l := crashLoad{kills: 2, loadFor: 400 * time.Millisecond, writers: 16, conversations: 4, deliverWithin: 30 * time.Second}
	if v := os.Getenv("PARLEY_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PARLEY_CRASH_KILLS=%q: want a positive number", v)
		}
		l.kills = n
	}
	if v := os.Getenv("PARLEY_CRASH_LOAD"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("PARLEY_CRASH_LOAD=%q: %v", v, err)
		}
		l.loadFor = d
	}
	if v := os.Getenv("PARLEY_CRASH_DELIVER_WITHIN"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("PARLEY_CRASH_DELIVER_WITHIN=%q: %v", v, err)
		}
		l.deliverWithin = d
	}
	return l
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a parley binary")
	}
	bin := os.Getenv("PARLEY_CRASH_BIN") // another build, to compare
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "parley")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	load := crashLoadFromEnv(t)
	apitest.Engines(t, func(t *testing.T, engine string) {
		c := newCrashRun(t, bin, engine)
		c.configure(load.conversations)
		for kill := range load.kills {
			c.load(load.writers, load.loadFor)
			c.start()
			delay := c.awaitDeliveries(load.deliverWithin)
			redelivered, redelay := c.hooks.redeliveredAfter(c.readyAt)
			t.Logf("%s kill %d: %d acknowledged so far; all delivered %v after the restart; %d delivered before the kill went again, %v after the restart",
				engine, kill+1, len(c.acked), delay.Round(time.Millisecond), redelivered, redelay.Round(time.Millisecond))
			c.worst = max(c.worst, delay)
		}
		c.check()
		c.stop()
	})
}

// crashRun is one engine's run: the child process, the receiver, and what
// the clients saw acknowledged.
type crashRun struct {
	t                     *testing.T
	bin, engine           string
	dataDir, dbURL        string
	accountSID, authToken string
	cmd                   *exec.Cmd
	exited                chan struct{}
	baseURL               string
	readyAt               time.Time
	conversations         []string
	client                *http.Client
	hooks                 *hookLog
	mu                    sync.Mutex
	acked                 map[string]ackedMessage // by message SID
	worst                 time.Duration
	kills, unacknowledged int
	newNode               bool // restart as another node (PARLEY_CRASH_NEW_NODE=1)
}

type ackedMessage struct {
	conversation, body string
	index              int
}

func newCrashRun(t *testing.T, bin, engine string) *crashRun {
	dir := t.TempDir()
	c := &crashRun{t: t, bin: bin, engine: engine, dataDir: dir, dbURL: apitest.DatabaseURL(t, engine),
		accountSID: parley.NewSID(parley.PrefixAccount), authToken: parley.NewSecret(),
		client: &http.Client{Timeout: 30 * time.Second}, hooks: newHookLog(t), acked: map[string]ackedMessage{},
		newNode: os.Getenv("PARLEY_CRASH_NEW_NODE") == "1"}
	c.start()
	t.Cleanup(func() {
		if c.cmd != nil {
			c.cmd.Process.Kill()
			<-c.exited
		}
	})
	return c
}

// start runs `parley serve` on the run's database and waits until it listens.
func (c *crashRun) start() {
	t := c.t
	t.Helper()
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", c.dataDir, "--database-url", c.dbURL,
		"--account-sid", c.accountSID, "--auth-token", c.authToken}
	if c.newNode {
		// Another node, which must wait for the dead one's leases to run out.
		args = append(args, "--node-id", fmt.Sprintf("node-%d", c.kills))
	}
	cmd := exec.Command(c.bin, args...)
	cmd.Env = []string{"HOME=" + c.dataDir, "PATH=" + os.Getenv("PATH")}
	logf, err := os.OpenFile(filepath.Join(c.dataDir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.cmd, c.exited = cmd, make(chan struct{})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "Parley is listening on "); ok {
				urls <- strings.Fields(rest)[0]
			}
		}
		cmd.Wait()
		close(c.exited)
	}()
	select {
	case c.baseURL = <-urls:
		c.readyAt = time.Now()
	case <-c.exited:
		log, _ := os.ReadFile(logf.Name())
		t.Fatalf("parley serve exited before listening:\n%s", log)
	case <-time.After(60 * time.Second):
		t.Fatal("parley serve did not start listening within 60s")
	}
}

// kill ends the child with SIGKILL: no shutdown, no draining.
func (c *crashRun) kill() {
	c.kills++
	c.cmd.Process.Kill()
	<-c.exited
	c.cmd = nil
}

// stop ends the child with SIGTERM and expects a clean exit.
func (c *crashRun) stop() {
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		c.t.Error("parley serve did not stop within 30s of SIGINT")
	}
	if !c.cmd.ProcessState.Success() {
		c.t.Errorf("parley serve exited with %v", c.cmd.ProcessState)
	}
	c.cmd = nil
}

// do sends one API request; err is a transport failure (the server died).
func (c *crashRun) do(method, path string, params url.Values, webhooks bool) (int, []byte, error) {
	req, err := http.NewRequest(method, c.baseURL+path, strings.NewReader(params.Encode()))
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(c.accountSID, c.authToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if webhooks {
		req.Header.Set("X-Twilio-Webhook-Enabled", "true")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// must sends a request that has to succeed and decodes its answer into v.
func (c *crashRun) must(method, path string, params url.Values, v any) {
	c.t.Helper()
	status, body, err := c.do(method, path, params, false)
	if err != nil || status >= 300 {
		c.t.Fatalf("%s %s: %d %s %v", method, path, status, body, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
}

// configure points the account's post-event webhook at the receiver and
// creates the conversations the load writes into.
func (c *crashRun) configure(conversations int) {
	var ignored map[string]any
	c.must(http.MethodPost, "/v1/Configuration/Webhooks", url.Values{"PostWebhookUrl": {c.hooks.url + "/post"},
		"Method": {"POST"}, "Filters": {"onMessageAdded"}}, &ignored)
	for range conversations {
		var conv struct {
			SID string `json:"sid"`
		}
		c.must(http.MethodPost, "/v1/Conversations", nil, &conv)
		c.conversations = append(c.conversations, conv.SID)
	}
}

// load posts messages from writers concurrently for d, and keeps posting
// until the child dies; it returns once every writer has seen it die.
func (c *crashRun) load(writers int, d time.Duration) {
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.write(w)
		}()
	}
	time.Sleep(d)
	c.kill()
	wg.Wait()
}

// write posts messages until a request fails on the transport.
func (c *crashRun) write(w int) {
	for i := 0; ; i++ {
		conv := c.conversations[(w+i)%len(c.conversations)]
		body := fmt.Sprintf("%s w%d-%d", c.readyAt.Format("150405.000"), w, i)
		status, raw, err := c.do(http.MethodPost, "/v1/Conversations/"+conv+"/Messages", url.Values{"Body": {body}}, true)
		if err != nil {
			c.mu.Lock()
			c.unacknowledged++
			c.mu.Unlock()
			return
		}
		var m struct {
			SID   string `json:"sid"`
			Index int    `json:"index"`
		}
		if status != http.StatusCreated || json.Unmarshal(raw, &m) != nil {
			c.t.Errorf("post message: %d %s", status, raw)
			return
		}
		c.mu.Lock()
		c.acked[m.SID] = ackedMessage{conversation: conv, body: body, index: m.Index}
		c.mu.Unlock()
	}
}

// awaitDeliveries waits until every acknowledged message's webhook arrived
// and no delivery came for a second (redeliveries of the jobs the kill cut
// off included), and returns how long after the restart the last first
// delivery came.
func (c *crashRun) awaitDeliveries(within time.Duration) time.Duration {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for {
		last, missing := c.hooks.lastArrival(c.ackedSIDs())
		if missing == 0 && time.Since(c.hooks.latest()) > time.Second {
			return max(0, last.Sub(c.readyAt))
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%d acknowledged messages' webhooks missing %v after the restart", missing, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *crashRun) ackedSIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	sids := make([]string, 0, len(c.acked))
	for sid := range c.acked {
		sids = append(sids, sid)
	}
	return sids
}

// check lists every conversation and compares it with what was acknowledged.
func (c *crashRun) check() {
	t := c.t
	stored := map[string]listedMessage{}
	bodies := map[string]bool{}
	for _, conv := range c.conversations {
		for i, m := range c.listMessages(conv) {
			if m.Index != i {
				t.Errorf("%s: position %d holds index %d: indexes are not contiguous", conv, i, m.Index)
				break
			}
			if _, dup := stored[m.SID]; dup || bodies[m.Body] {
				t.Errorf("%s: message %s (%q) stored twice", conv, m.SID, m.Body)
			}
			stored[m.SID], bodies[m.Body] = m, true
		}
	}
	missing := 0
	for sid, a := range c.acked {
		m, ok := stored[sid]
		switch {
		case !ok:
			missing++
			t.Errorf("acknowledged message %s (%q, index %d in %s) is missing", sid, a.body, a.index, a.conversation)
		case m.Index != a.index || m.Body != a.body:
			t.Errorf("acknowledged message %s was index %d %q, is stored as index %d %q", sid, a.index, a.body, m.Index, m.Body)
		}
	}
	deliveries, twice, tokens := c.hooks.summary()
	if tokens > 0 {
		t.Errorf("%d messages were redelivered with a different idempotency token", tokens)
	}
	t.Logf("%s: %d kills; %d messages acknowledged, %d stored (%d committed whose answer the kill cut off), %d missing; "+
		"%d webhook deliveries, %d messages delivered more than once; worst last delivery %v after a restart",
		c.engine, c.kills, len(c.acked), len(stored), len(stored)-len(c.acked), missing,
		deliveries, twice, c.worst.Round(time.Millisecond))
}

type listedMessage struct {
	SID   string `json:"sid"`
	Index int    `json:"index"`
	Body  string `json:"body"`
}

func (c *crashRun) listMessages(conv string) []listedMessage {
	var all []listedMessage
	path := "/v1/Conversations/" + conv + "/Messages?PageSize=100"
	for path != "" {
		var page struct {
			Messages []listedMessage `json:"messages"`
			Meta     struct {
				Next *string `json:"next_page_url"`
			} `json:"meta"`
		}
		c.must(http.MethodGet, path, nil, &page)
		all = append(all, page.Messages...)
		path = ""
		if page.Meta.Next != nil {
			path = strings.TrimPrefix(*page.Meta.Next, c.baseURL)
		}
	}
	return all
}

// hookLog is a webhook receiver that records every delivery it gets. It
// answers after a short pause, so that deliveries are in flight when the
// child dies.
type hookLog struct {
	url string
	mu  sync.Mutex
	got map[string][]delivery // by MessageSid
}

type delivery struct {
	token string
	at    time.Time
}

func newHookLog(t *testing.T) *hookLog {
	h := &hookLog{got: map[string][]delivery{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		sid := r.PostForm.Get("MessageSid")
		h.mu.Lock()
		h.got[sid] = append(h.got[sid], delivery{token: r.Header.Get("I-Twilio-Idempotency-Token"), at: time.Now()})
		h.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

// lastArrival is when the last of sids' first deliveries came, and how many
// of sids have none yet.
func (h *hookLog) lastArrival(sids []string) (last time.Time, missing int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, sid := range sids {
		ds := h.got[sid]
		if len(ds) == 0 {
			missing++
			continue
		}
		if ds[0].at.After(last) {
			last = ds[0].at
		}
	}
	return last, missing
}

// summary counts deliveries, messages delivered more than once, and
// messages whose deliveries carried different idempotency tokens.
func (h *hookLog) summary() (deliveries, twice, tokens int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ds := range h.got {
		deliveries += len(ds)
		if len(ds) > 1 {
			twice++
		}
		for _, d := range ds[1:] {
			if d.token != ds[0].token {
				tokens++
				break
			}
		}
	}
	return deliveries, twice, tokens
}

// latest is when the last delivery came.
func (h *hookLog) latest() (last time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ds := range h.got {
		for _, d := range ds {
			if d.at.After(last) {
				last = d.at
			}
		}
	}
	return last
}

// redeliveredAfter counts the messages delivered before t and again after
// it (jobs a kill cut off after the receiver got them), and how long after
// t the last of those second deliveries came.
func (h *hookLog) redeliveredAfter(t time.Time) (n int, worst time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ds := range h.got {
		if len(ds) < 2 || !ds[0].at.Before(t) {
			continue
		}
		for _, d := range ds[1:] {
			if d.at.After(t) {
				n++
				worst = max(worst, d.at.Sub(t))
				break
			}
		}
	}
	return n, worst
}
