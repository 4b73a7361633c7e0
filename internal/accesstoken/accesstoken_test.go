package accesstoken

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var (
	testKey = Key{SID: "SK" + strings.Repeat("a", 32), AccountSID: "AC" + strings.Repeat("b", 32), Secret: "s3cret-s3cret-s3cret-s3cret-s3cr"}
	t0      = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
)

func lookup(sid string) (Key, error) {
	if sid == testKey.SID {
		return testKey, nil
	}
	return Key{}, UnknownKey
}

func sign(t testing.TB, header map[string]any, claims jwt.MapClaims, secret string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validClaims() jwt.MapClaims {
	return jwt.MapClaims{"iss": testKey.SID, "sub": testKey.AccountSID, "nbf": t0.Unix(), "exp": t0.Add(time.Hour).Unix(),
		"grants": map[string]any{"identity": "alice", "chat": map[string]any{"service_sid": "IS" + strings.Repeat("c", 32)}}}
}

func TestMintedTokensVerify(t *testing.T) {
	tok, err := Mint(testKey, "alice", "IS"+strings.Repeat("c", 32), t0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Verify(tok, t0.Add(time.Minute), lookup)
	if err != nil {
		t.Fatal(err)
	}
	if c.Identity != "alice" || c.KeySID != testKey.SID || c.AccountSID != testKey.AccountSID || c.ServiceSID != "IS"+strings.Repeat("c", 32) {
		t.Errorf("claims %+v", c)
	}
	if _, err := Mint(testKey, "alice", "", t0, 25*time.Hour); err == nil {
		t.Error("minted a token living over 24 h")
	}
}

// TestFailures covers the claims-level cases the store-backed test in
// internal/api/accounts cannot produce with a helper library.
func TestFailures(t *testing.T) {
	cty := map[string]any{"cty": ContentType}
	with := func(k string, v any) jwt.MapClaims {
		c := validClaims()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	for _, c := range []struct {
		name  string
		token string
		want  Failure
	}{
		{"garbage", "a.b.c", Malformed},
		{"two parts", "a.b", Malformed},
		{"exp of the wrong type", sign(t, cty, with("exp", "tomorrow"), testKey.Secret), Malformed},
		{"wrong cty", sign(t, map[string]any{"cty": "twilio-fpa;v=2"}, validClaims(), testKey.Secret), BadHeader},
		{"no exp", sign(t, cty, with("exp", nil), testKey.Secret), Expired},
		{"iss not a key SID", sign(t, cty, with("iss", "me"), testKey.Secret), UnknownKey},
		{"grants not an object", sign(t, cty, with("grants", "alice"), testKey.Secret), Malformed},
		{"iat long before exp", sign(t, cty, with("iat", t0.Add(-24*time.Hour).Unix()), testKey.Secret), TooLong},
	} {
		_, err := Verify(c.token, t0, lookup)
		var f Failure
		if !errors.As(err, &f) || f != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want.Err())
		}
	}
	// alg none is refused as a header fault, never accepted unsigned.
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, validClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(none, t0, lookup); !errors.Is(err, BadHeader) {
		t.Errorf("alg none: %v", err)
	}
}

func TestEveryFailureHasATwilioCode(t *testing.T) {
	for f := Malformed; f <= BadSignature; f++ {
		e := f.Err()
		if e.Code < 20101 || (e.Code > 20107 && e.Code != 20157) || e.Message == "" {
			t.Errorf("failure %d maps to %+v", f, e)
		}
	}
}

// FuzzVerify: no input panics the parser, and nothing it accepts breaks
// Twilio's rules. The seed corpus (testdata/fuzz/FuzzVerify) runs as a
// normal test; go test -fuzz=FuzzVerify explores further.
func FuzzVerify(f *testing.F) {
	good, err := Mint(testKey, "alice", "", t0, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add("")
	f.Add("eyJhbGciOiJIUzI1NiJ9..")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := Verify(token, t0.Add(time.Minute), lookup)
		if err != nil {
			var fail Failure
			if !errors.As(err, &fail) {
				t.Fatalf("error outside the failure table: %v", err)
			}
			return
		}
		if c.Identity == "" || c.KeySID != testKey.SID || c.AccountSID != testKey.AccountSID || c.Expires.Sub(c.NotBefore) > MaxLifetime {
			t.Fatalf("accepted %q as %+v", token, c)
		}
	})
}
