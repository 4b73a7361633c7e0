package ratelimit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// BenchmarkLimiter measures what the limiter adds to a message create:
// classifying the route and taking from the account's and the
// conversation's buckets.
func BenchmarkLimiter(b *testing.B) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"off", Config{}},
		{"account", Config{PerSecond: 1e9, Burst: 1e9}},
		{"account+twilio", Config{PerSecond: 1e9, Burst: 1e9, Twilio: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			mux := http.NewServeMux()
			mux.Handle("POST /v1/Conversations/{ConversationSid}/Messages", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			acct := &parley.Account{SID: parley.NewSID(parley.PrefixAccount)}
			h := twilioapi.RequireAccount(fixedAccount{acct}, New(tc.cfg, mux).Wrap(mux))
			r := httptest.NewRequest("POST", "/v1/Conversations/"+parley.NewSID(parley.PrefixConversation)+"/Messages", nil)
			r.SetBasicAuth(acct.SID, "x")
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}

type fixedAccount struct{ a *parley.Account }

func (f fixedAccount) Authenticate(context.Context, string, string) (*parley.Principal, error) {
	return &parley.Principal{Account: f.a}, nil
}
