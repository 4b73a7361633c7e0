//go:build unix

package sdktest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
	"github.com/parley-dev/parley/internal/twilsock"
)

// slowPosts is how many messages the slow-consumer test posts: each live
// event carries a 30 KiB body, so together they overflow the slow
// client's write queue (256 frames) and the socket buffers (a few MiB).
const slowPosts = 600

// TestSlowConsumer (unix: it shrinks a socket's receive buffer): a connection that stops reading while its subscribed
// list keeps changing is closed (the SDK reconnects and replays), counted
// in parley_sdk_slow_consumer_closes_total; a second connection on the
// same list receives every event, in order, and the writes never wait for
// either. parley_sdk_connections counts the open connections.
func TestSlowConsumer(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine, func(c *server.Config) { c.Metrics = true })
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"slow", "fast"} {
			if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str(id)}); err != nil {
				t.Fatal(err)
			}
		}
		if got := sdkMetric(t, e, "parley_sdk_connections"); got != "0" {
			t.Errorf("parley_sdk_connections before any client = %s", got)
		}
		// The slow client's receive buffer is small, so the server's
		// writes back up as soon as it stops reading.
		live := []string{"twilio.sync.event", "com.twilio.rtd.cds.list"}
		dial := func(identity string, opts *websocket.DialOptions) *sock {
			tok, err := e.mint(identity)
			if err != nil {
				t.Fatal(err)
			}
			s, err := e.dialWith(identity, tok, live, opts)
			if err != nil {
				t.Fatal(err)
			}
			s.t = t
			return s
		}
		slow := dial("slow", &websocket.DialOptions{HTTPClient: &http.Client{Transport: &http.Transport{
			DialContext: (&net.Dialer{Control: smallReceiveBuffer}).DialContext}}})
		fast := dial("fast", nil)
		if got := sdkMetric(t, e, "parley_sdk_connections"); got != "2" {
			t.Errorf("parley_sdk_connections with two clients = %s", got)
		}
		list := "ES" + *c.Sid
		subscribe := `{"event_protocol_version":4,"action":"establish","correlation_id":1,"retried_requests":0,"ttl_in_s":-1,
			"requests":[{"object_sid":"` + list + `","object_type":"list","last_event_id":0}]}`
		for _, s := range []*sock{slow, fast} {
			s.call("POST", "/v4/Subscriptions", subscribe, nil)
			if n := s.notification(); !strings.Contains(string(n.Payload), "subscription_established") {
				t.Fatalf("subscription: %s", n.Payload)
			}
		}

		// fast reads every live event of the list in its own goroutine.
		var mu sync.Mutex
		var fastIDs []int64
		fastDone := make(chan error, 1)
		go func() {
			for {
				_, b, err := fast.ws.Read(context.Background())
				if err != nil {
					fastDone <- err
					return
				}
				id, ok := listEventID(b, list)
				if !ok {
					continue
				}
				mu.Lock()
				fastIDs = append(fastIDs, id)
				n := len(fastIDs)
				mu.Unlock()
				if n == slowPosts {
					fastDone <- nil
					return
				}
			}
		}()

		pad := strings.Repeat("x", 30<<10)
		for i := range slowPosts {
			if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{
				Body: str(fmt.Sprint(i, pad))}); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case err := <-fastDone:
			if err != nil {
				t.Fatalf("the fast client's socket ended: %v", err)
			}
		case <-time.After(60 * time.Second):
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("the fast client got %d of %d events in 60s; last ids %v", len(fastIDs), slowPosts, fastIDs[max(0, len(fastIDs)-5):])
		}
		for i, id := range fastIDs {
			if id != int64(i+1) {
				t.Fatalf("the fast client got event %d at position %d: %v", id, i, fastIDs[:i+1])
			}
		}

		// slow now reads what it was sent before the close: a gap-free
		// prefix of the events, then the 308 close frame or, if even that
		// could not be written, the end of the socket.
		var slowIDs []int64
		closed308 := false
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, b, err := slow.ws.Read(ctx)
			cancel()
			if err != nil {
				break
			}
			if f, derr := twilsock.Decode(b); derr == nil && f.Header.Method == "close" && f.Header.Status != nil && f.Header.Status.Code == 308 {
				closed308 = true
			}
			if id, ok := listEventID(b, list); ok {
				slowIDs = append(slowIDs, id)
			}
		}
		if len(slowIDs) >= slowPosts {
			t.Fatalf("the slow client got all %d events: it was never slow", len(slowIDs))
		}
		for i, id := range slowIDs {
			if id != int64(i+1) {
				t.Fatalf("the slow client got event %d at position %d", id, i)
			}
		}
		t.Logf("the slow client got %d of %d events before its close (308 frame seen: %v)", len(slowIDs), slowPosts, closed308)
		if got := sdkMetric(t, e, "parley_sdk_slow_consumer_closes_total"); got != "1" {
			t.Errorf("parley_sdk_slow_consumer_closes_total = %s, want 1", got)
		}
		waitMetric(t, e, "parley_sdk_connections", "1")
		fast.ws.Close(websocket.StatusNormalClosure, "")
		waitMetric(t, e, "parley_sdk_connections", "0")
	})
}

// smallReceiveBuffer sets a 4 KiB receive buffer on a socket before it
// connects (so the TCP window stays small).
func smallReceiveBuffer(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	if err != nil {
		return err
	}
	return serr
}

// listEventID is the event id of a live list event of list in a
// twilsock frame.
func listEventID(frame []byte, list string) (int64, bool) {
	f, err := twilsock.Decode(frame)
	if err != nil || f.Header.Method != "notification" {
		return 0, false
	}
	var n struct {
		EventType string `json:"event_type"`
		Event     struct {
			ID      int64  `json:"id"`
			ListSID string `json:"list_sid"`
		} `json:"event"`
	}
	if json.Unmarshal(f.Payload, &n) != nil || n.EventType != "list_item_added" || n.Event.ListSID != list {
		return 0, false
	}
	return n.Event.ID, true
}

// sdkMetric reads one unlabelled series from /metrics.
func sdkMetric(t *testing.T, e *sdkEnv, name string) string {
	t.Helper()
	resp, err := http.Get(e.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return "absent"
}

// waitMetric waits for a series to read want: a connection's end is
// counted once its goroutines have finished.
func waitMetric(t *testing.T, e *sdkEnv, name, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := sdkMetric(t, e, name)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s = %s, want %s", name, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
