package parley

import "context"

// ClientStream is the client-SDK connection a request came over, as the
// virtual Sync's live delivery sees it: subscriptions made by a request
// keep receiving events on its connection after the request ended.
type ClientStream interface {
	// Registered reports whether the connection asked at init for
	// notifications of messageType.
	Registered(messageType string) bool
	// EncodeNotification renders a notification frame. A fan-out renders
	// it once and pushes the same bytes to every connection.
	EncodeNotification(messageType string, payload []byte) ([]byte, error)
	// Send queues a frame, waiting for room in the connection's queue
	// (replays: the request that asked is waiting anyway).
	Send(frame []byte)
	// Push queues a frame without ever waiting: a connection too slow to
	// take it is closed (twilsock 308), so the SDK reconnects and replays.
	Push(frame []byte)
	// AfterClose runs fn once the connection has ended.
	AfterClose(fn func())
	// Identity is the identity the connection's session acts as.
	Identity() string
}

type streamKey struct{}

// WithClientStream returns ctx carrying s.
func WithClientStream(ctx context.Context, s ClientStream) context.Context {
	return context.WithValue(ctx, streamKey{}, s)
}

// ClientStreamFrom returns the ClientStream in ctx, or nil outside a
// client-SDK connection.
func ClientStreamFrom(ctx context.Context) ClientStream {
	s, _ := ctx.Value(streamKey{}).(ClientStream)
	return s
}
