package parley

import "context"

// Surfaces a request comes through.
const (
	SurfaceConversations = "v1"     // the Conversations REST API
	SurfaceChat          = "chat"   // the Programmable Chat REST API (/v2, /v3)
	SurfaceClient        = "client" // the client API of the official SDKs, over twilsock
)

// Sources an event reports, as Twilio's webhooks name them: "SDK or API"
// (https://www.twilio.com/docs/conversations/conversations-webhooks).
const (
	SourceAPI = "API"
	SourceSDK = "SDK"
)

// Admin reports whether c acts with the account's own authority (account
// credentials, REST): no role permissions apply. A nil Caller, or one with
// an account and no identity (WithAccount, WithSystemCaller), is admin.
func (c *Caller) Admin() bool { return c == nil || c.Principal == nil || c.Identity == "" }

// SourceOf is the source the events of a request made under ctx report:
// SourceSDK for a client-SDK caller, otherwise SourceAPI.
func SourceOf(ctx context.Context) string {
	if c := CallerFrom(ctx); c != nil && c.Source != "" {
		return c.Source
	}
	return SourceAPI
}

// ActingIdentity is the identity a request under ctx acts as, "" for
// admin callers.
func ActingIdentity(ctx context.Context) string {
	if c := CallerFrom(ctx); !c.Admin() {
		return c.Identity
	}
	return ""
}

// FiresWebhooks reports whether the operation running under ctx fires
// webhooks. SDK actions always do, pre and post; a REST action only when
// its request asked (X-Twilio-Webhook-Enabled: true, Caller.Webhooks):
// "SDK-driven clients ... will invoke the webhooks without further
// actions" (https://support.twilio.com/hc/en-us/articles/4403669397019).
// An operation with no caller, or one made WithAccount (bootstrap, tests),
// fires none.
func FiresWebhooks(ctx context.Context) bool {
	c := CallerFrom(ctx)
	return c != nil && (c.Source == SourceSDK || c.Webhooks)
}

// WithSystemCaller returns ctx acting for the system on acct's behalf
// (admin, source API) with webhooks on: what a timer or an inbound channel
// message does fires webhooks as Twilio's do.
func WithSystemCaller(ctx context.Context, acct *Account) context.Context {
	return WithCaller(ctx, &Caller{Principal: &Principal{Account: acct}, Source: SourceAPI, Webhooks: true})
}

// WithAccount returns ctx acting for acct with the account's own authority
// (admin, source API) and firing no webhooks: how bootstrap, importers,
// jobs that replay a write and tests call the domain.
func WithAccount(ctx context.Context, acct *Account) context.Context {
	return WithCaller(ctx, &Caller{Principal: &Principal{Account: acct}, Source: SourceAPI})
}

// AccountOf is the account the request under ctx acts for, nil when ctx
// carries no caller or its caller no account.
func AccountOf(ctx context.Context) *Account {
	if c := CallerFrom(ctx); c != nil && c.Principal != nil {
		return c.Account
	}
	return nil
}
