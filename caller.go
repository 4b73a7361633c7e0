package parley

import "context"

// Caller is who a request acts as, carried in its context: the principal
// (an account, as admin, or an access token's identity of one service), the
// surface it came through and the source its events report. For a
// client-SDK caller UserSID is the User the identity resolved to when the
// session began.
type Caller struct {
	*Principal
	UserSID string
	Surface string // SurfaceConversations, SurfaceChat or SurfaceClient; "" when not known
	Source  string // SourceAPI or SourceSDK
	// Webhooks is a REST request's X-Twilio-Webhook-Enabled: true, or
	// set by the system for its own actions (timers, inbound channel
	// messages), which always fire them. See FiresWebhooks.
	Webhooks bool
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the Caller in ctx, or nil when ctx carries none.
func CallerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}

// ClientNotifier pushes notifications to the client-SDK connection a request came
// over. They are sent after the request's reply, in the order given.
type ClientNotifier interface {
	Notify(messageType string, payload []byte)
}

type notifierKey struct{}

// WithClientNotifier returns ctx carrying n.
func WithClientNotifier(ctx context.Context, n ClientNotifier) context.Context {
	return context.WithValue(ctx, notifierKey{}, n)
}

// ClientNotifierFrom returns the ClientNotifier in ctx, or nil outside a client-SDK
// connection.
func ClientNotifierFrom(ctx context.Context) ClientNotifier {
	n, _ := ctx.Value(notifierKey{}).(ClientNotifier)
	return n
}

// Principal is who a request acts as, whatever credential it came with: an
// account (auth token), an account through one of its API keys, or an
// access token's identity (account, key, identity and Chat service).
type Principal struct {
	Account *Account
	// KeySID is the API key behind the credential; empty for the auth token.
	KeySID string
	// Identity, ServiceSID and PushCredentialSID come from an access
	// token's grants.
	Identity          string
	ServiceSID        string
	PushCredentialSID string
}
