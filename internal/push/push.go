// Package push carries push notifications to devices: FCM's HTTP v1 API,
// APNs over HTTP/2, and a simulator that sends nothing, for services
// without real credentials. It knows the push services' wire formats and
// what their answers mean; which events push to whom is core's.
package push

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
)

// Options point the transports at their services. The zero value is the
// real FCM and APNs endpoints over the default HTTP client.
type Options struct {
	// FCMURL is FCM's base URL (https://fcm.googleapis.com).
	FCMURL string
	// APNsURL and APNsSandboxURL are APNs' production and sandbox base
	// URLs (https://api.push.apple.com, https://api.sandbox.push.apple.com).
	APNsURL, APNsSandboxURL string
	// Client is the HTTP client FCM and its OAuth2 token endpoint are
	// called with; APNs builds its own per credential (client certificate)
	// from ClientTransport's TLS roots.
	Client *http.Client
	// ClientTransport is the base of every transport's HTTP client (its
	// TLS roots, proxies); http.DefaultTransport when nil.
	ClientTransport *http.Transport
}

// Router picks the transport of each push: the simulator when the binding
// has no credential (Parley as an emulator: the inspector shows what would
// have been sent), APNs for apn credentials, FCM for fcm and gcm ones.
type Router struct {
	fcm  *FCM
	apns *APNs
	sim  Simulator
}

var _ parley.PushTransport = (*Router)(nil)

// New returns the router over the real transports configured by o.
func New(o Options) *Router {
	if o.FCMURL == "" {
		o.FCMURL = "https://fcm.googleapis.com"
	}
	if o.APNsURL == "" {
		o.APNsURL = "https://api.push.apple.com"
	}
	if o.APNsSandboxURL == "" {
		o.APNsSandboxURL = "https://api.sandbox.push.apple.com"
	}
	if o.ClientTransport == nil {
		o.ClientTransport = http.DefaultTransport.(*http.Transport)
	}
	if o.Client == nil {
		o.Client = &http.Client{Transport: o.ClientTransport, Timeout: requestTimeout}
	}
	return &Router{fcm: newFCM(o), apns: newAPNs(o)}
}

// Send sends p through its transport.
func (r *Router) Send(ctx context.Context, p *parley.Push) (parley.PushResult, error) {
	switch {
	case p.Credential == nil:
		return r.sim.Send(ctx, p)
	case p.Credential.Type == parley.CredentialAPN:
		return r.apns.Send(ctx, p)
	default:
		return r.fcm.Send(ctx, p)
	}
}

// Simulator sends nothing: the push is recorded by the inspector with the
// payload an FCM or APNs device would have received.
type Simulator struct{}

// Send answers as a push service that accepted p.
func (Simulator) Send(_ context.Context, p *parley.Push) (parley.PushResult, error) {
	body := FCMData(p)
	if p.BindingType == parley.BindingTypeAPN {
		body = APNsPayload(p)
	}
	return parley.PushResult{Transport: "simulator", Status: http.StatusOK, Request: body}, nil
}
