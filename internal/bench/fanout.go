package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley/internal/accesstoken"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilsock"
)

// The fan-out scenario opens Options.FanoutConnections twilsock
// connections, speaking the client SDK's frames (init with an access
// token, Sync subscriptions to one conversation's messages list and
// roster), then posts Options.FanoutMessages messages to that conversation
// over REST one at a time and measures, for each, the time from the post
// until every connection has received its live event. It measures twice:
// quiet, and with the traffic of a busy room — every connection marks each
// message read as it arrives (the SDK's setAllMessagesRead of an open
// conversation), and fanoutTypers participants keep typing. With a child
// Parley it also reads the resident memory each idle subscribed connection
// costs.

// fanoutIdentities is how many participants the connections log in as
// (connection i as the i-th modulo this): read horizons and typing are
// per participant, and typing reaches every connection but the typist's.
const fanoutIdentities = 50

// fanoutTypers participants type during the busy run, each sending the
// SDK's typing signal once a second.
const fanoutTypers = 5

func fanoutIdentity(i int) string { return "bench-fanout-" + strconv.Itoa(i%fanoutIdentities) }

// fanoutDialers is how many connections are opened at once.
const fanoutDialers = 32

// fanout is scenario 6.
func (b *bencher) fanout(ctx context.Context) ([]Row, error) {
	ep, pid := b.env.parley, 0
	if len(b.opt.ServeCommand) > 0 && hasProc() {
		c, err := startChild(ctx, b.opt.ServeCommand, b.env, b.opt.DatabaseURL)
		if err != nil {
			return nil, err
		}
		defer c.stop()
		ep, pid = c.endpoint, c.cmd.Process.Pid
	} else {
		b.skip("fan-out memory per connection: no command to start Parley as its own process")
	}
	f, err := newFanout(ctx, ep, b.opt.FanoutConnections)
	if err != nil {
		return nil, err
	}
	var before float64
	if pid != 0 {
		if before, err = residentMiB(pid); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	if err := f.connect(ctx); err != nil {
		f.close()
		return nil, err
	}
	defer f.close()
	n := thousands(b.opt.FanoutConnections)
	fmt.Fprintf(b.opt.Progress, "fan-out: %s connections subscribed (%.1fs)\n", n, time.Since(start).Seconds())
	var rows []Row
	if pid != 0 {
		after, err := residentMiB(pid)
		if err != nil {
			return nil, err
		}
		perConn := (after - before) * 1024 / float64(b.opt.FanoutConnections)
		rows = append(rows, Row{Scenario: "memory per idle connection, " + n + " connections", System: "parley",
			Ops: b.opt.FanoutConnections, RSSMiB: &after, PerConnectionKiB: &perConn})
	}
	rows = append(rows, newRow("fan-out to "+n+" connections: post → all received", "parley", 1, f.post(ctx, b.opt.FanoutMessages)))
	f.busy.Store(true)
	stop := f.type_(ctx)
	busy := f.post(ctx, b.opt.FanoutMessages)
	stop()
	return append(rows, newRow("fan-out to "+n+" connections, all marking read, "+strconv.Itoa(fanoutTypers)+" typing: post → all received",
		"parley", 1, busy)), nil
}

// hasProc reports whether resident memory can be read (/proc).
func hasProc() bool {
	_, err := residentMiB(1)
	return err == nil
}

// fanout is the connections of one fan-out run and what they received.
type fanout struct {
	ep           *endpoint
	n            int
	conversation string
	tokens       []string // by identity
	wsURL        string
	conns        []*websocket.Conn
	readers      sync.WaitGroup
	// busy: readers mark each message read as it arrives.
	busy atomic.Bool
	// base is the first message index of the current run.
	base int64

	mu  sync.Mutex
	got map[int64]int       // deliveries per message index
	all map[int64]chan bool // closed once every connection has an index
}

// newFanout prepares a conversation with the fan-out identity in it and an
// access token for it, signed with an API key made over REST.
func newFanout(ctx context.Context, ep *endpoint, n int) (*fanout, error) {
	sid, err := createConversationAt(ctx, ep, "bench-fanout")
	if err != nil {
		return nil, err
	}
	var key struct{ SID, Secret string }
	if err := ep.call(ctx, "POST", "/2010-04-01/Accounts/"+ep.user+"/Keys.json",
		url.Values{"FriendlyName": {"bench fan-out"}}.Encode(), &key); err != nil {
		return nil, fmt.Errorf("fan-out: create an API key: %w", err)
	}
	var tokens []string
	for i := range min(n, fanoutIdentities) {
		if err := ep.call(ctx, "POST", "/v1/Conversations/"+sid+"/Participants",
			url.Values{"Identity": {fanoutIdentity(i)}}.Encode(), nil); err != nil {
			return nil, err
		}
		token, err := accesstoken.Mint(accesstoken.Key{SID: key.SID, AccountSID: ep.user, Secret: key.Secret},
			fanoutIdentity(i), "", time.Now(), time.Hour)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, token)
	}
	return &fanout{ep: ep, n: n, conversation: sid, tokens: tokens,
		wsURL: "ws" + strings.TrimPrefix(ep.base, "http") + "/v3/wsconnect",
		got:   map[int64]int{}, all: map[int64]chan bool{}}, nil
}

// connect opens every connection, logs it in and subscribes it to the
// conversation's messages list, then starts its reader.
func (f *fanout) connect(ctx context.Context) error {
	f.conns = make([]*websocket.Conn, f.n)
	s := measure(ctx, min(fanoutDialers, f.n), budget{count: f.n}, func(ctx context.Context, _, i int) (err error) {
		f.conns[i], err = f.dial(ctx, f.tokens[i%len(f.tokens)])
		return err
	})
	if s.firstErr != nil {
		return fmt.Errorf("fan-out: connect: %w", s.firstErr)
	}
	for _, c := range f.conns {
		f.readers.Add(1)
		go f.read(ctx, c)
	}
	return nil
}

// listMessageType is the live event type of a Sync list.
const listMessageType = "com.twilio.rtd.cds.list"

// dial opens one connection and waits until its subscriptions are
// established.
func (f *fanout) dial(ctx context.Context, token string) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, f.wsURL, nil)
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(-1)
	init := twilsock.Header{Method: "init", ID: "TMinit", Token: token, Registrations: []twilsock.Registration{
		{Product: "ip_messaging", Type: "ers", MessageTypes: []string{"twilio.sync.event", listMessageType,
			"com.twilio.rtd.cds.map", "twilio.ipmsg.typing_indicator"}}}}
	subscribe := twilsock.Header{Method: "message", ID: "TMsub", ActiveGrant: "ip_messaging", PayloadType: "application/json",
		HTTPRequest: &twilsock.HTTPRequest{Host: "cds.us1.twilio.com", Path: "/v4/Subscriptions", Method: "POST",
			Headers: map[string]string{"Content-Type": "application/json"}}}
	body := `{"event_protocol_version":4,"action":"establish","correlation_id":1,"retried_requests":0,"ttl_in_s":-1,
		"requests":[{"object_sid":"` + syncview.MessagesList(f.conversation) + `","object_type":"list","last_event_id":0},
		{"object_sid":"` + syncview.RosterMap(f.conversation) + `","object_type":"map","last_event_id":0}]}`
	for _, step := range []struct {
		h       twilsock.Header
		payload string
		until   func(twilsock.Frame) bool
	}{
		{init, "", func(fr twilsock.Frame) bool { return fr.Header.ID == "TMinit" }},
		{subscribe, body, func(fr twilsock.Frame) bool {
			return fr.Header.Method == "notification" && strings.Contains(string(fr.Payload), "subscription_established")
		}},
	} {
		if err := writeFrame(ctx, c, step.h, step.payload); err != nil {
			c.CloseNow()
			return nil, err
		}
		if err := readUntil(ctx, c, step.until); err != nil {
			c.CloseNow()
			return nil, err
		}
	}
	return c, nil
}

func writeFrame(ctx context.Context, c *websocket.Conn, h twilsock.Header, payload string) error {
	b, err := twilsock.Encode(h, []byte(payload))
	if err != nil {
		return err
	}
	return c.Write(ctx, websocket.MessageBinary, b)
}

// readUntil reads frames until done accepts one; a refused init fails.
func readUntil(ctx context.Context, c *websocket.Conn, done func(twilsock.Frame) bool) error {
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			return err
		}
		fr, err := twilsock.Decode(b)
		if err != nil {
			return err
		}
		if st := fr.Header.Status; fr.Header.Method == "reply" && st != nil && st.Code != 200 {
			return fmt.Errorf("twilsock %s: %d %s", fr.Header.ID, st.Code, st.Description)
		}
		if done(fr) {
			return nil
		}
	}
}

// read counts the live list events one connection receives until it
// closes; in the busy run it marks each one read.
func (f *fanout) read(ctx context.Context, c *websocket.Conn) {
	defer f.readers.Done()
	for seq := 0; ; seq++ {
		_, b, err := c.Read(context.Background())
		if err != nil {
			return
		}
		fr, err := twilsock.Decode(b)
		if err != nil || fr.Header.MessageType != listMessageType {
			continue
		}
		var ev struct {
			Event struct {
				ItemIndex int64 `json:"item_index"`
			} `json:"event"`
		}
		if json.Unmarshal(fr.Payload, &ev) != nil {
			continue
		}
		f.mu.Lock()
		f.got[ev.Event.ItemIndex]++
		if f.got[ev.Event.ItemIndex] == f.n {
			if ch := f.all[ev.Event.ItemIndex]; ch != nil {
				close(ch)
			}
		}
		f.mu.Unlock()
		if f.busy.Load() {
			f.request(ctx, c, fmt.Sprint("TMread", seq), "POST", "/Client/v2/Me/Conversations/"+f.conversation,
				fmt.Sprintf(`{"last_read_message_index":%d}`, ev.Event.ItemIndex))
		}
	}
}

// request sends one client-API request on c without waiting for its reply
// (the reader skips replies).
func (f *fanout) request(ctx context.Context, c *websocket.Conn, id, method, path, body string) {
	h := twilsock.Header{Method: "message", ID: id, ActiveGrant: "ip_messaging", PayloadType: "application/json",
		HTTPRequest: &twilsock.HTTPRequest{Host: "aim.us1.twilio.com", Path: path, Method: method,
			Headers: map[string]string{"Content-Type": "application/json"}}}
	if method == "POST" && strings.HasSuffix(path, "/Typing") {
		h.HTTPRequest.Headers["Content-Type"] = "application/x-www-form-urlencoded"
	}
	_ = writeFrame(ctx, c, h, body)
}

// type_ starts fanoutTypers participants typing once a second, each on
// one of its connections, until the returned stop is called.
func (f *fanout) type_(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for t := range min(fanoutTypers, len(f.conns)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for i := 0; ; i++ {
				f.request(ctx, f.conns[t], fmt.Sprint("TMtype", i), "POST", "/Client/v2/Typing", "ChannelSid="+f.conversation)
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		}()
	}
	return func() { cancel(); wg.Wait() }
}

// fanoutWait bounds the wait for one message to reach every connection.
const fanoutWait = 30 * time.Second

// post posts count messages one at a time, each once the previous one
// reached every connection, and samples the time until it did.
func (f *fanout) post(ctx context.Context, count int) sample {
	path := "/v1/Conversations/" + f.conversation + "/Messages"
	base := f.base
	f.base += int64(count)
	return measure(ctx, 1, budget{count: count}, func(ctx context.Context, _, i int) error {
		i += int(base)
		// The event may arrive before the post's answer: the wait is
		// registered first, under the index the post will get.
		done := make(chan bool)
		f.mu.Lock()
		f.all[int64(i)] = done
		f.mu.Unlock()
		var m struct {
			Index int64 `json:"index"`
		}
		if err := f.ep.call(ctx, "POST", path, url.Values{"Body": {strconv.Itoa(i)}}.Encode(), &m); err != nil {
			return fmt.Errorf("fan-out: post: %w", err)
		}
		if m.Index != int64(i) {
			return fmt.Errorf("fan-out: message %d got index %d", i, m.Index)
		}
		select {
		case <-done:
			return nil
		case <-time.After(fanoutWait):
			f.mu.Lock()
			got := f.got[int64(i)]
			f.mu.Unlock()
			return fmt.Errorf("fan-out: message %d reached %d of %d connections in %s", i, got, f.n, fanoutWait)
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

// close ends every connection and waits for their readers.
func (f *fanout) close() {
	for _, c := range f.conns {
		if c != nil {
			c.CloseNow()
		}
	}
	f.readers.Wait()
}
