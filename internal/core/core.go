// Package core holds Parley's operations: every rule (permissions, uniqueness,
// limits, message indexes, states) lives here once, whichever wire surface
// calls it. Each operation is one store transaction. Who calls travels in
// the context as one parley.Caller: the account an operation acts for
// (account), admin or an identity of a service, the surface and the source.
package core

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
)

// App runs the domain operations over a store.
type App struct {
	store     parley.Store
	masterKey []byte
	// accounts is shared by every view of the App.
	accounts *credentialCache
	hooks    parley.Hooks
	blobs    parley.Blobs
	// projector derives the virtual Sync from every event (nil: none).
	projector parley.EventConsumer
	// channels are the adapters of non-chat participants by binding type;
	// channelWake runs their delivery jobs at once.
	channels    map[string]parley.ChannelAdapter
	channelWake parley.Notifier
	// push carries push notifications (nil: none are sent); pushWake runs
	// their jobs at once; pushConfigs caches notification configurations.
	// fetcher fetches inbound media (nil: the default client).
	fetcher *http.Client
	// mediaBase is the media service's public URL, for the media links
	// of deliveries to phones.
	mediaBase   string
	push        parley.PushTransport
	pushWake    parley.Notifier
	pushConfigs *pushConfigs
}

// Option configures an App.
type Option func(*App)

// WithMasterKey sets the 32-byte key that seals secrets at rest (push
// credentials). Without it, operations that store secrets fail.
func WithMasterKey(key []byte) Option { return func(a *App) { a.masterKey = key } }

// New returns an App over store.
func New(store parley.Store, opts ...Option) *App {
	a := &App{store: store, accounts: &credentialCache{}, pushConfigs: &pushConfigs{}}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Bootstrap makes sure an account exists: with sid empty the store's first
// account (a random one on an empty store), with sid set that account. A
// non-empty token becomes the account's auth token, also on an existing
// account (a rotation), so a configured token is never silently ignored.
// created reports whether a new account was made.
func (a *App) Bootstrap(ctx context.Context, sid, token string) (acct *parley.Account, created bool, err error) {
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		acct, created = nil, false
		if sid == "" {
			// The store's first account, if any: a token given for it
			// rotates it below, like a token given with its SID.
			first, err := tx.FirstAccount()
			switch {
			case err == nil:
				sid = first.SID
			case parley.IsNotFound(err):
				sid = parley.NewSID(parley.PrefixAccount)
			default:
				return err
			}
		}
		existing, err := tx.Account(sid)
		switch {
		case err == nil:
			acct = existing
			if token != "" && token != acct.AuthToken {
				acct.AuthToken, acct.DateUpdated = token, tx.Now()
				return tx.UpdateAccount(acct)
			}
			return nil
		case !parley.IsNotFound(err):
			return err
		}
		if token == "" {
			token = parley.NewSecret()
		}
		acct, created = &parley.Account{SID: sid, AuthToken: token, FriendlyName: "Parley account",
			DateCreated: tx.Now(), DateUpdated: tx.Now()}, true
		// The account row comes first: the service refers to it.
		acct.DefaultServiceSID = parley.NewSID(parley.PrefixService)
		if err := tx.CreateAccount(acct); err != nil {
			return err
		}
		_, err = createService(tx, acct.SID, acct.DefaultServiceSID, "Default Conversation Service")
		return err
	})
	if acct != nil {
		a.accounts.forget(acct.SID)
	}
	return acct, created, err
}

// service resolves the service an operation addresses: sid, or the account's
// default service when sid is empty (the short /v1/Conversations routes).
func service(tx parley.Tx, acct *parley.Account, sid string) (*parley.Service, error) {
	if sid == "" {
		sid = acct.DefaultServiceSID
	}
	return tx.Service(acct.SID, sid)
}

// conversation resolves a conversation by SID or unique name within a service.
// It reads only the conversation row: the row's account proves the service
// belongs to the caller, which saves a round trip on every message post.
func (a *App) conversation(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, id string) (*parley.Conversation, error) {
	if serviceSID == "" {
		serviceSID = acct.DefaultServiceSID
	}
	c, err := a.lookup(ctx, tx, serviceSID, id)
	if err != nil {
		return nil, err
	}
	if c.AccountSID != acct.SID {
		return nil, parley.NotFound("Conversation", id)
	}
	return c, nil
}

// readConversation reads from one conversation, addressed as conversation
// does: get runs with its SID in one read transaction.
func readConversation[T any](ctx context.Context, a *App, acct *parley.Account, serviceSID, conversationID string, get func(tx parley.Tx, conversationSID string) (T, error)) (T, error) {
	var v T
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		v, err = get(tx, c.SID)
		return err
	})
	return v, err
}

// lookup finds a conversation of a service by SID or unique name. This is
// the one place public channels are hidden from Conversations: "only private
// channels appear in Conversations"
// (https://www.twilio.com/docs/conversations/migrating-chat-conversations).
func (a *App) lookup(ctx context.Context, tx parley.Tx, serviceSID, id string) (*parley.Conversation, error) {
	c, err := tx.Conversation(serviceSID, id)
	if err == nil && !a.visible(ctx, c) {
		return nil, parley.NotFound("Conversation", id)
	}
	return c, err
}

// visible reports whether the caller's surface sees c: Chat sees every
// channel, every other surface only private ones.
func (a *App) visible(ctx context.Context, c *parley.Conversation) bool {
	return chatSurface(ctx) || c.Type != parley.ChannelPublic
}

// privateOnly is the store filter matching visible: Conversations lists keep
// only private channels.
func (a *App) privateOnly(ctx context.Context) bool { return !chatSurface(ctx) }

// chatSurface reports whether the operation under ctx comes through the
// Programmable Chat surface (/v2, /v3): it sees public channels, checks
// and fires webhooks in Chat's dialect.
func chatSurface(ctx context.Context) bool {
	c := parley.CallerFrom(ctx)
	return c != nil && c.Surface == parley.SurfaceChat
}

// principal is who the operation under ctx acts as: the caller's
// principal, which the 2010 resources (accounts, keys, numbers) check
// against the account they name.
func principal(ctx context.Context) (*parley.Principal, error) {
	if c := parley.CallerFrom(ctx); c != nil && c.Principal != nil {
		return c.Principal, nil
	}
	return nil, parley.Errorf(parley.CodeInternal, "Internal Server Error: the operation has no caller")
}

// account is the account the operation under ctx acts for: its caller's
// (REST credentials, an access token, or the system acting for an account
// with parley.WithSystemCaller or parley.WithAccount). Every entry point
// sets one; an operation without is a bug, answered as an internal error.
func account(ctx context.Context) (*parley.Account, error) {
	if acct := parley.AccountOf(ctx); acct != nil {
		return acct, nil
	}
	return nil, parley.Errorf(parley.CodeInternal, "Internal Server Error: the operation has no account")
}
