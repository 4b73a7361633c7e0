package accounts_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
	twjwt "github.com/twilio/twilio-go/client/jwt"
	api "github.com/twilio/twilio-go/rest/api/v2010"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/secrets"
)

// verifier is a second App over the server's store and master key: what
// the realtime transport will call, with a cache of its own, so it sees
// what the REST calls committed.
func verifier(t testing.TB, env *apitest.Env) *core.App {
	t.Helper()
	key, err := secrets.LoadOrCreateKey(filepath.Join(env.Config().DataDir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	return core.New(env.Server.Store, core.WithMasterKey(key))
}

// twilioToken mints a token with twilio-go's client/jwt, the way a
// Twilio application's backend does.
func twilioToken(t *testing.T, p twjwt.AccessTokenParams, service string) string {
	t.Helper()
	tok := twjwt.CreateAccessToken(p)
	if service != "" {
		tok.AddGrant(&twjwt.ChatGrant{ServiceSid: service})
	}
	s, err := tok.ToJwt()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAccessTokens: tokens minted by twilio-go verify to (account,
// identity, service); every bad case is refused with Twilio's code.
func TestAccessTokens(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		app := verifier(t, env)
		ctx := context.Background()
		newKey := func(account string) *api.ApiV2010NewKey {
			k, err := env.Twilio().Api.CreateNewKey((&api.CreateNewKeyParams{}).SetPathAccountSid(account))
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		k := newKey(env.AccountSID)
		sub := subaccount(t, env, "tenant")
		subKey := newKey(*sub.Sid)
		revoked := newKey(env.AccountSID)
		svc := env.Server.Account.DefaultServiceSID
		other, err := env.Twilio().ConversationsV1.CreateService((&conversations.CreateServiceParams{}).SetFriendlyName("other"))
		if err != nil {
			t.Fatal(err)
		}
		now := float64(time.Now().Unix())
		params := func(change func(*twjwt.AccessTokenParams)) twjwt.AccessTokenParams {
			p := twjwt.AccessTokenParams{AccountSid: env.AccountSID, SigningKeySid: *k.Sid, Secret: *k.Secret, Identity: "alice"}
			if change != nil {
				change(&p)
			}
			return p
		}

		for _, c := range []struct {
			name, service string
			want          string
		}{
			{"default service", "", svc},
			{"chat grant", *other.Sid, *other.Sid},
		} {
			p, err := app.VerifyToken(ctx, twilioToken(t, params(nil), c.service))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if p.Account.SID != env.AccountSID || p.Identity != "alice" || p.ServiceSID != c.want || p.KeySID != *k.Sid {
				t.Errorf("%s: principal %+v", c.name, p)
			}
		}

		// Deleting a key through the App that verified (and cached) it
		// refuses its tokens at once, with no freshness delay.
		cached := newKey(env.AccountSID)
		cachedToken := twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.SigningKeySid, p.Secret = *cached.Sid, *cached.Secret }), "")
		if _, err := app.VerifyToken(ctx, cachedToken); err != nil {
			t.Fatal(err)
		}
		if err := app.DeleteKey(core.AsOperator(ctx, env.AccountSID), env.AccountSID, *cached.Sid); err != nil {
			t.Fatal(err)
		}
		if _, err := app.VerifyToken(ctx, cachedToken); parley.ErrorCode(err) != 20103 {
			t.Errorf("token of a key deleted on the same node: %v, want 20103", err)
		}

		pastDue := func(p *twjwt.AccessTokenParams) { p.Nbf, p.ValidUntil = now-7200, now-3600 }
		if err := env.Twilio().Api.DeleteKey(*revoked.Sid, &api.DeleteKeyParams{}); err != nil {
			t.Fatal(err)
		}
		revokedToken := twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.SigningKeySid, p.Secret = *revoked.Sid, *revoked.Secret }), "")
		suspendedToken := twilioToken(t, params(func(p *twjwt.AccessTokenParams) {
			p.AccountSid, p.SigningKeySid, p.Secret = *sub.Sid, *subKey.Sid, *subKey.Secret
		}), "")
		subService := serviceOf(t, env, *sub.Sid, *sub.AuthToken)
		if _, err := env.Twilio().Api.UpdateAccount(*sub.Sid, (&api.UpdateAccountParams{}).SetStatus("suspended")); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			token string
			code  int
		}{
			{"malformed", "not.a.token", 20101},
			{"empty", "", 20101},
			{"header without cty", headerless(t, *k.Sid, env.AccountSID, *k.Secret), 20102},
			{"unknown key", twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.SigningKeySid = parley.NewSID("SK") }), ""), 20103},
			{"deleted key", revokedToken, 20103},
			{"key of another account", twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.AccountSid = *sub.Sid }), ""), 20103},
			{"suspended account", suspendedToken, 20103},
			{"expired", twilioToken(t, params(pastDue), ""), 20104},
			{"not yet valid", twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.Nbf = now + 3600 }), ""), 20105},
			{"missing identity", twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.Identity = "" }), ""), 20106},
			{"unknown service", twilioToken(t, params(nil), parley.NewSID(parley.PrefixService)), 20106},
			{"another account's service", twilioToken(t, params(nil), subService), 20106},
			{"wrong signature", twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.Secret = "not the secret" }), ""), 20107},
			{"lifetime over 24 h", twilioToken(t, params(func(p *twjwt.AccessTokenParams) { p.Ttl = 25 * 3600 }), ""), 20157},
		} {
			_, err := app.VerifyToken(ctx, c.token)
			if got := parley.ErrorCode(err); got != c.code {
				t.Errorf("%s: %v (code %d), want %d", c.name, err, got, c.code)
			}
		}
	})
}

// headerless signs valid claims under a header without Twilio's cty.
func headerless(t *testing.T, keySID, accountSID, secret string) string {
	t.Helper()
	now := time.Now()
	s, err := gojwt.NewWithClaims(gojwt.SigningMethodHS256, gojwt.MapClaims{
		"iss": keySID, "sub": accountSID, "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"jti": keySID + "-" + strconv.FormatInt(now.Unix(), 10), "grants": map[string]any{"identity": "alice"},
	}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
