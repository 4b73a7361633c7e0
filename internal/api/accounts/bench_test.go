package accounts_test

import (
	"context"
	"testing"
	"time"

	twjwt "github.com/twilio/twilio-go/client/jwt"
	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/parley-dev/parley/internal/apitest"
)

// BenchmarkCredentials measures what each kind of credential costs the
// authentication layer on SQLite, served from the credential cache
// (within CredentialFreshness of the last lookup, the common case).
//
//	go test ./internal/api/accounts -run '^$' -bench Credentials
func BenchmarkCredentials(b *testing.B) {
	env := apitest.Start(b, "sqlite")
	app := verifier(b, env)
	k, err := env.Twilio().Api.CreateNewKey(&api.CreateNewKeyParams{})
	if err != nil {
		b.Fatal(err)
	}
	tok := twjwt.CreateAccessToken(twjwt.AccessTokenParams{AccountSid: env.AccountSID, SigningKeySid: *k.Sid,
		Secret: *k.Secret, Identity: "alice", Ttl: float64(time.Hour / time.Second)})
	jwt, err := tok.ToJwt()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("auth token", func(b *testing.B) {
		for b.Loop() {
			if _, err := app.Authenticate(ctx, env.AccountSID, env.AuthToken); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("api key", func(b *testing.B) {
		for b.Loop() {
			if _, err := app.Authenticate(ctx, *k.Sid, *k.Secret); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("access token", func(b *testing.B) {
		for b.Loop() {
			if _, err := app.VerifyToken(ctx, jwt); err != nil {
				b.Fatal(err)
			}
		}
	})
}
