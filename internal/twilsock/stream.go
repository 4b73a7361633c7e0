package twilsock

import parley "github.com/parley-dev/parley"

// The connection is the parley.ClientStream of the requests it carries:
// the virtual Sync pushes live events to it.
var _ parley.ClientStream = (*conn)(nil)

// Registered reports whether the session registered messageType at init.
func (c *conn) Registered(messageType string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.registered[messageType]
}

// EncodeNotification renders a notification frame. Its id is the server's
// own, so one rendering serves every connection of a fan-out.
func (c *conn) EncodeNotification(messageType string, payload []byte) ([]byte, error) {
	return Encode(Header{Method: "notification", ID: newID(), MessageType: messageType, PayloadType: "application/json"}, payload)
}

// Send queues a frame, waiting for room.
func (c *conn) Send(frame []byte) { c.send(item{frame: frame}) }

// Push queues a frame without waiting; see push.
func (c *conn) Push(frame []byte) { c.push(frame) }

// AfterClose runs fn when the connection has ended (at once if it has).
func (c *conn) AfterClose(fn func()) {
	c.mu.Lock()
	if !c.ended {
		c.onClose = append(c.onClose, fn)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	fn()
}

// Identity is the session's identity ("" before init).
func (c *conn) Identity() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.caller == nil {
		return ""
	}
	return c.caller.Identity
}

// end runs the AfterClose functions and tells Presence the session ended.
func (c *conn) end() {
	c.mu.Lock()
	c.ended = true
	fns := c.onClose
	c.onClose = nil
	caller := c.caller
	c.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
	if p := c.s.cfg.Presence; p != nil && caller != nil {
		p.Disconnected(caller)
	}
}
