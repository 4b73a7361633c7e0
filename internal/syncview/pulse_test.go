package syncview_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilsock"
)

// pulseStream is a connection that counts the frames pushed to it.
type pulseStream struct {
	identity   string
	registered bool
	pushed     atomic.Int64
}

func (s *pulseStream) Registered(string) bool { return s.registered }
func (s *pulseStream) EncodeNotification(messageType string, payload []byte) ([]byte, error) {
	return twilsock.Encode(twilsock.Header{Method: "notification", ID: "TM1", MessageType: messageType, PayloadType: "application/json"}, payload)
}
func (s *pulseStream) Send(frame []byte) { s.Push(frame) }
func (s *pulseStream) Push([]byte)       { s.pushed.Add(1) }
func (s *pulseStream) AfterClose(func()) {}
func (s *pulseStream) Identity() string  { return s.identity }

const typing = "twilio.ipmsg.typing_indicator"

// pulseHub is a hub with n connections subscribed to one roster object,
// every one a different identity.
func pulseHub(tb testing.TB, n int) (*syncview.Hub, string, []*pulseStream) {
	db, err := store.Open(context.Background(), apitest.DatabaseURL(tb, "sqlite"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	hub := syncview.NewHub(db, nil)
	object := syncview.RosterMap(parley.NewSID(parley.PrefixConversation))
	streams := make([]*pulseStream, n)
	for i := range streams {
		streams[i] = &pulseStream{identity: fmt.Sprint("user", i), registered: true}
		if _, err := hub.Subscribe(streams[i], object, 0); err != nil {
			tb.Fatal(err)
		}
	}
	return hub, object, streams
}

// TestHubPulse: a pulse reaches the object's subscribers that registered
// its type, except every connection of the skipped identity, and is not
// logged.
func TestHubPulse(t *testing.T) {
	hub, object, streams := pulseHub(t, 3)
	streams[1].identity = streams[0].identity // a second device of user0
	streams[2].registered = false
	bob := &pulseStream{identity: "bob", registered: true}
	if _, err := hub.Subscribe(bob, object, 0); err != nil {
		t.Fatal(err)
	}
	if n := hub.Pulse(object, typing, []byte(`{}`), "user0"); n != 1 {
		t.Errorf("pulse reached %d connections, want 1 (bob)", n)
	}
	if bob.pushed.Load() != 1 || streams[0].pushed.Load()+streams[1].pushed.Load()+streams[2].pushed.Load() != 0 {
		t.Errorf("pushed: bob %d, user0 %d+%d, unregistered %d", bob.pushed.Load(), streams[0].pushed.Load(),
			streams[1].pushed.Load(), streams[2].pushed.Load())
	}
	if n := hub.Pulse(syncview.RosterMap(parley.NewSID(parley.PrefixConversation)), typing, []byte(`{}`), ""); n != 0 {
		t.Errorf("a pulse to an object nobody watches reached %d", n)
	}
}

// BenchmarkPulse is one typing signal's fan-out to a conversation watched
// by 1,000 connections: one frame encoding, 999 queue pushes.
func BenchmarkPulse(b *testing.B) {
	hub, object, _ := pulseHub(b, 1000)
	payload := []byte(`{"channel_sid":"CH00000000000000000000000000000000","identity":"user0","typing_timeout":6}`)
	b.ReportAllocs()
	for b.Loop() {
		hub.Pulse(object, typing, payload, "user0")
	}
}
