package syncview

import (
	"context"
	"log/slog"
	"sync"

	parley "github.com/parley-dev/parley"
)

// Hub delivers committed Sync events to the connections subscribed to
// their objects, per object in event ID order. Commit order, bus wake-up
// order (and, later, NATS) may differ from ID order, so the hub remembers
// the last ID it sent per object and fills a gap from the log before it
// sends a later ID. A subscriber replays from the log first and goes live
// once it has caught up, dropping anything it already sent.
type Hub struct {
	store parley.Store
	log   *slog.Logger

	mu      sync.Mutex
	objects map[string]*hubObject
	conns   map[parley.ClientStream]map[string]bool // the objects each connection subscribed
}

type hubObject struct {
	mu   sync.Mutex
	sid  string
	last int64 // the last ID sent live (or already logged when the object was first watched)
	subs map[parley.ClientStream]*subscriber
}

type subscriber struct {
	sent int64 // the last ID this connection was sent
	live bool  // caught up: the hub sends it new events
}

// replayChunk is how many events one log read replays; maxReplay bounds a
// subscription's replay before it is answered "interrupted" (the SDK
// subscribes again from where it got).
const (
	replayChunk = 100
	maxReplay   = 1000
)

// NewHub returns a Hub reading the log from store. Feed it the bus with
// Deliver.
func NewHub(store parley.Store, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{store: store, log: log, objects: map[string]*hubObject{}, conns: map[parley.ClientStream]map[string]bool{}}
}

// Deliver sends a batch of committed events to the live subscribers of
// their objects. It runs on the bus's goroutine and never waits for a
// connection (a full one is closed with 308).
func (h *Hub) Deliver(events []parley.SyncEvent) {
	for i := 0; i < len(events); {
		j := i + 1
		for j < len(events) && events[j].Object == events[i].Object {
			j++
		}
		h.mu.Lock()
		o := h.objects[events[i].Object]
		h.mu.Unlock()
		if o != nil {
			o.deliver(h, events[i:j])
		}
		i = j
	}
}

func (o *hubObject) deliver(h *Hub, events []parley.SyncEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, ev := range events {
		if ev.ID <= o.last {
			continue // already sent, or logged before anyone watched
		}
		if ev.ID > o.last+1 {
			// An earlier event has not come through the bus yet: take it
			// from the log, so nobody sees a later ID first.
			var gap []parley.SyncEvent
			err := h.store.Read(context.Background(), func(tx parley.Tx) (err error) {
				gap, err = tx.SyncEvents(o.sid, o.last, int(ev.ID-o.last-1))
				return err
			})
			if err != nil {
				h.log.Warn("sync hub: filling a gap from the log", "object", o.sid, "err", err)
			}
			for _, g := range gap {
				o.send(g)
			}
			if ev.ID <= o.last {
				// A document's log holds its newest event alone, which
				// may come after ev and supersede it.
				continue
			}
		}
		o.send(ev)
	}
}

// send pushes ev to every live subscriber that has not had it, rendering
// the frame once.
func (o *hubObject) send(ev parley.SyncEvent) {
	o.last = ev.ID
	messageType := "com.twilio.rtd.cds." + ev.ObjectType
	var frame []byte
	for c, s := range o.subs {
		if !s.live || ev.ID <= s.sent || !c.Registered(messageType) {
			continue
		}
		if frame == nil {
			var err error
			if frame, err = c.EncodeNotification(messageType, ev.Notification()); err != nil {
				return
			}
		}
		c.Push(frame)
		s.sent = ev.ID
	}
}

// replayStatus is the outcome of a subscription's replay.
type replayStatus struct {
	last        int64 // the ID the subscription stands at
	interrupted bool  // more to replay: the client subscribes again
	behindLog   bool  // the log no longer held every event after the client's ID
}

// Subscribe registers c for object's events after lastEventID: it replays
// them from the log as strictly ordered twilio.sync.event notifications,
// then turns live. Registering comes before reading the log, so an event
// committed meanwhile is either in the replay or delivered live.
func (h *Hub) Subscribe(c parley.ClientStream, object string, lastEventID int64) (replayStatus, error) {
	s := &subscriber{sent: lastEventID}
	o, err := h.watch(c, object, s)
	if err != nil {
		return replayStatus{}, err
	}
	st := replayStatus{}
	for replayed := 0; ; {
		o.mu.Lock()
		if s.sent >= o.last {
			s.live = true
			st.last = s.sent
			o.mu.Unlock()
			return st, nil
		}
		from := s.sent
		o.mu.Unlock()
		if replayed >= maxReplay {
			st.last, st.interrupted = from, true
			return st, nil
		}
		var evs []parley.SyncEvent
		err := h.store.Read(context.Background(), func(tx parley.Tx) (err error) {
			evs, err = tx.SyncEvents(object, from, replayChunk)
			return err
		})
		if err != nil {
			return st, err
		}
		if len(evs) > 0 && evs[0].ID > from+1 && evs[0].ObjectType != "document" {
			// (A document's newest event supersedes the ones skipped.)
			st.behindLog = true
		}
		for _, ev := range evs {
			b, err := c.EncodeNotification("twilio.sync.event", ev.Notification())
			if err != nil {
				return st, err
			}
			c.Send(b)
		}
		replayed += len(evs)
		o.mu.Lock()
		if len(evs) > 0 && evs[len(evs)-1].ID > s.sent {
			s.sent = evs[len(evs)-1].ID
		}
		if len(evs) == 0 && s.sent < o.last {
			// The log ends below what the hub sent: pruned meanwhile.
			s.sent = o.last
		}
		o.mu.Unlock()
	}
}

// watch adds s as c's subscriber to object's hub state, creating that at
// the object's current last ID. The subscriber is added under the hub's
// lock, so a concurrent leave cannot forget the object under it.
func (h *Hub) watch(c parley.ClientStream, object string, s *subscriber) (*hubObject, error) {
	h.mu.Lock()
	o := h.objects[object]
	fresh := o == nil
	if fresh {
		o = &hubObject{sid: object, subs: map[parley.ClientStream]*subscriber{}}
		h.objects[object] = o
	}
	// A fresh object's lock is held until its last ID is known, so
	// deliver waits for it.
	o.mu.Lock()
	o.subs[c] = s
	if !fresh {
		o.mu.Unlock()
	}
	objs := h.conns[c]
	if objs == nil {
		objs = map[string]bool{}
		h.conns[c] = objs
		c.AfterClose(func() { h.drop(c) })
	}
	objs[object] = true
	h.mu.Unlock()
	if !fresh {
		return o, nil
	}
	defer o.mu.Unlock()
	err := h.store.Read(context.Background(), func(tx parley.Tx) (err error) {
		o.last, err = tx.LastSyncEventID(object)
		return err
	})
	if err != nil {
		h.mu.Lock()
		delete(h.objects, object)
		h.mu.Unlock()
	}
	return o, err
}

// Cancel ends c's subscription to object.
func (h *Hub) Cancel(c parley.ClientStream, object string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if objs := h.conns[c]; objs != nil {
		delete(objs, object)
	}
	h.leave(c, object)
}

// drop ends every subscription of a closed connection.
func (h *Hub) drop(c parley.ClientStream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for object := range h.conns[c] {
		h.leave(c, object)
	}
	delete(h.conns, c)
}

// leave removes c from object, forgetting the object with its last
// subscriber. h.mu is held.
func (h *Hub) leave(c parley.ClientStream, object string) {
	o := h.objects[object]
	if o == nil {
		return
	}
	o.mu.Lock()
	delete(o.subs, c)
	empty := len(o.subs) == 0
	o.mu.Unlock()
	if empty {
		delete(h.objects, object)
	}
}

// Pulse sends a notification that is no Sync event (a typing indicator)
// to every connection subscribed to object that registered messageType,
// except the connections of the identity skip. Pulses are not logged and
// never replayed: a connection not subscribed now never sees them. The
// frame is rendered once; it returns how many connections were sent it.
func (h *Hub) Pulse(object, messageType string, payload []byte, skip string) int {
	h.mu.Lock()
	o := h.objects[object]
	h.mu.Unlock()
	if o == nil {
		return 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var frame []byte
	sent := 0
	for c := range o.subs {
		if !c.Registered(messageType) || c.Identity() == skip {
			continue
		}
		if frame == nil {
			var err error
			if frame, err = c.EncodeNotification(messageType, payload); err != nil {
				h.log.Warn("sync hub: encoding a pulse", "err", err)
				return sent
			}
		}
		c.Push(frame)
		sent++
	}
	return sent
}
