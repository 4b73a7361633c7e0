// Package client serves the client API (/Client/v2/...) that the official
// Conversations client SDK calls over twilsock, acting as the access
// token's identity: the Configuration, the caller's conversations and users,
// and the SDK's writes, which go through the same core operations as REST
// with the identity's role permissions checked.
package client

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// API is the client API over the domain.
type API struct {
	app       *core.App
	publicURL string
	// pulses delivers typing; nil sends none.
	pulses Pulses
	// horizons coalesces the SDK's read-horizon writes.
	horizons *coalescer
}

// New returns the client API reading and writing through app, sending
// typing indicators through pulses (nil: none).
func New(app *core.App, publicURL string, pulses Pulses) *API {
	return &API{app: app, publicURL: publicURL, pulses: pulses, horizons: newCoalescer(HorizonWindow)}
}

// Register adds the client API routes to mux. Paths other than the fixed
// Configuration come from the links the Configuration hands out.
func (a *API) Register(mux *http.ServeMux) {
	mux.Handle("GET /Client/v2/Configuration", a.handle(a.configuration))
	mux.Handle("GET /Client/v2/Me/Conversations", a.handle(a.listMyConversations))
	mux.Handle("GET /Client/v2/Me/Conversations/{id}", a.handle(a.fetchMyConversation))
	mux.Handle("GET /Client/v2/Users/{identity}", a.handle(a.fetchUser))
	mux.Handle("POST /Client/v2/Typing", a.handle(a.typing))
	a.registerSide(mux)
	a.registerRegistrar(mux)
	a.registerWrites(mux)
	mux.Handle("/Client/v2/", twilioapi.HandlerFunc(twilioapi.NotFound))
}

// handle runs fn for a client-SDK caller; plain HTTP requests have none.
func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request, c *parley.Caller) error) http.Handler {
	return twilioapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		c := parley.CallerFrom(r.Context())
		if c.Admin() {
			return parley.Errorf(parley.CodeAuthFailed, "Authenticate")
		}
		return fn(w, r, c)
	})
}

// Flush writes the read horizons held for coalescing; a graceful shutdown
// calls it once the connections are closed, before the store.
func (a *API) Flush() { a.horizons.flush() }

// StartSession makes sure the caller's User exists, as Twilio creates it
// when an identity first logs in with the SDK, and records its SID.
func (a *API) StartSession(ctx context.Context, c *parley.Caller) error {
	// The system, not the SDK user, creates the User: with the account's
	// authority, firing no webhook.
	ctx = parley.WithAccount(ctx, c.Account)
	u, err := a.app.User(ctx, c.ServiceSID, c.Identity)
	if parley.IsNotFound(err) {
		identity := c.Identity
		u, err = a.app.CreateUser(ctx, c.ServiceSID, parley.UserFields{Identity: &identity})
		if parley.ErrorCode(err) == parley.CodeUserExists {
			// Another connection of the same identity created it first.
			u, err = a.app.User(ctx, c.ServiceSID, c.Identity)
		}
	}
	if err != nil {
		return err
	}
	c.UserSID = u.SID
	return nil
}

func (a *API) base(r *http.Request) string { return twilioapi.BaseURL(r, a.publicURL) }
