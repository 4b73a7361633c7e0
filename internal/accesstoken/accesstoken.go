// Package accesstoken reads and writes Twilio access tokens: JWTs signed
// with HS256 by an API key's secret, header cty "twilio-fpa;v=1", iss the
// key SID, sub the account SID, grants.identity and an optional
// grants.chat.service_sid (https://www.twilio.com/docs/iam/access-tokens).
// Every way a token can be refused maps to Twilio's code in one table
// (failures), so every transport that takes tokens answers alike.
package accesstoken

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	parley "github.com/parley-dev/parley"
)

// ContentType is the cty header of every Twilio access token.
const ContentType = "twilio-fpa;v=1"

// MaxLifetime is the longest a token may live: "configurable for up to 24
// hours" (https://www.twilio.com/docs/iam/access-tokens).
const MaxLifetime = 24 * time.Hour

// Failure is one reason a token is refused.
type Failure int

// The reasons a token is refused.
const (
	Malformed       Failure = iota + 1 // not a JWT, or claims of the wrong type
	BadHeader                          // alg is not HS256, or cty is not twilio-fpa;v=1
	UnknownKey                         // iss names no live API key
	WrongAccount                       // the key belongs to another account than sub
	AccountInactive                    // the account is suspended or closed
	Expired                            // exp is missing or past
	NotYetValid                        // nbf is in the future
	TooLong                            // exp is more than 24 h after nbf/iat
	NoIdentity                         // grants.identity is missing or empty
	UnknownService                     // grants.chat.service_sid names no service of the account
	BadSignature                       // the signature does not match the key's secret
)

// failures is the one table from reason to Twilio code and message. The
// codes and their meanings are Twilio's documented access-token errors:
// https://www.twilio.com/docs/api/errors/20101 (invalid token),
// /20102 (invalid header), /20103 (invalid issuer or subject: "API Key is
// incorrect or has been deleted", "Account is inactive or suspended"),
// /20104 (expired or expiration invalid), /20105 (not yet valid),
// /20106 (invalid grants), /20107 (invalid signature) and
// /20157 (expiration exceeds the 24 h maximum).
var failures = map[Failure]struct {
	code    int
	message string
}{
	Malformed:       {parley.CodeTokenInvalid, "Invalid Access Token"},
	BadHeader:       {parley.CodeTokenHeaderInvalid, "Invalid Access Token header"},
	UnknownKey:      {parley.CodeTokenIssuerInvalid, "Invalid Access Token issuer/subject: unknown API key"},
	WrongAccount:    {parley.CodeTokenIssuerInvalid, "Invalid Access Token issuer/subject: the API key belongs to another account"},
	AccountInactive: {parley.CodeTokenIssuerInvalid, "Invalid Access Token issuer/subject: the account is not active"},
	Expired:         {parley.CodeTokenExpired, "Access Token expired or expiration date invalid"},
	NotYetValid:     {parley.CodeTokenNotYetValid, "Access Token not yet valid"},
	TooLong:         {parley.CodeTokenLifetimeTooLong, "Expiration Time Exceeds Maximum Time Allowed"},
	NoIdentity:      {parley.CodeTokenGrantsInvalid, "Invalid Access Token grants: identity is required"},
	UnknownService:  {parley.CodeTokenGrantsInvalid, "Invalid Access Token grants: unknown Conversation Service"},
	BadSignature:    {parley.CodeTokenSignatureInvalid, "Invalid Access Token signature"},
}

// Err is the Twilio error a failure is answered with.
func (f Failure) Err() *parley.Error {
	e := failures[f]
	return &parley.Error{Code: e.code, Message: e.message}
}

func (f Failure) Error() string { return f.Err().Error() }

// Key is an API key as the verifier needs it.
type Key struct {
	SID        string
	AccountSID string
	Secret     string
}

// Claims is what a verified token says.
type Claims struct {
	KeySID     string
	AccountSID string
	Identity   string
	// ServiceSID is grants.chat.service_sid; empty when the token names none.
	ServiceSID string
	// PushCredentialSID is grants.chat.push_credential_sid: the credential
	// the client's push registrations send with.
	PushCredentialSID string
	NotBefore         time.Time
	Expires           time.Time
}

type chatGrant struct {
	ServiceSID        string `json:"service_sid,omitempty"`
	PushCredentialSID string `json:"push_credential_sid,omitempty"`
}

type grants struct {
	Identity string     `json:"identity,omitempty"`
	Chat     *chatGrant `json:"chat,omitempty"`
	// IPMessaging is the legacy name of the chat grant, same shape.
	IPMessaging *chatGrant `json:"ip_messaging,omitempty"`
}

type claims struct {
	jwt.RegisteredClaims
	Grants grants `json:"grants"`
}

// Verify checks token at time now against the key lookup returns for its
// iss claim (lookup returns UnknownKey for a key it does not know). Any
// refusal is a Failure; lookup's other errors pass through.
func Verify(token string, now time.Time, lookup func(keySID string) (Key, error)) (*Claims, error) {
	var c claims
	var key Key
	parser := jwt.NewParser(jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithExpirationRequired())
	_, err := parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		if t.Method.Alg() != jwt.SigningMethodHS256.Alg() || t.Header["cty"] != ContentType {
			return nil, BadHeader
		}
		if !parley.IsSID(c.Issuer, "SK") {
			return nil, UnknownKey
		}
		k, err := lookup(c.Issuer)
		if err != nil {
			return nil, err
		}
		key = k
		return []byte(k.Secret), nil
	})
	if err != nil {
		return nil, classify(err)
	}
	return check(&c, key)
}

// classify maps the JWT library's errors onto the failure table.
func classify(err error) error {
	var f Failure
	switch {
	case errors.As(err, &f):
		return f
	case errors.Is(err, jwt.ErrTokenMalformed):
		return Malformed
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return BadSignature
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return BadHeader // an unknown alg
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return Expired
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return NotYetValid
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		return Malformed
	}
	var lookupErr interface{ Unwrap() []error }
	if errors.As(err, &lookupErr) {
		for _, e := range lookupErr.Unwrap() {
			if !isJWTSentinel(e) {
				return e
			}
		}
	}
	return err
}

func isJWTSentinel(err error) bool {
	return errors.Is(err, jwt.ErrTokenUnverifiable) || errors.Is(err, jwt.ErrTokenMalformed)
}

// check applies Twilio's rules beyond the JWT's own: the key's account is
// the subject, the lifetime is at most 24 h, and there is an identity.
func check(c *claims, key Key) (*Claims, error) {
	if c.Subject != key.AccountSID {
		return nil, WrongAccount
	}
	start := c.ExpiresAt.Time
	if c.IssuedAt != nil {
		start = c.IssuedAt.Time
	}
	if c.NotBefore != nil && c.NotBefore.Time.Before(start) {
		start = c.NotBefore.Time
	}
	if c.ExpiresAt.Time.Sub(start) > MaxLifetime {
		return nil, TooLong
	}
	if c.Grants.Identity == "" {
		return nil, NoIdentity
	}
	out := &Claims{KeySID: key.SID, AccountSID: key.AccountSID, Identity: c.Grants.Identity,
		NotBefore: start, Expires: c.ExpiresAt.Time}
	for _, g := range []*chatGrant{c.Grants.Chat, c.Grants.IPMessaging} {
		if g == nil {
			continue
		}
		if out.ServiceSID == "" {
			out.ServiceSID = g.ServiceSID
		}
		if out.PushCredentialSID == "" {
			out.PushCredentialSID = g.PushCredentialSID
		}
	}
	return out, nil
}

// Mint signs a token for identity (and serviceSID, when set) with key,
// valid from now for ttl, in the same format Twilio's helper libraries
// write.
func Mint(key Key, identity, serviceSID string, now time.Time, ttl time.Duration) (string, error) {
	if ttl <= 0 || ttl > MaxLifetime {
		return "", fmt.Errorf("ttl must be between 1s and %s, got %s", MaxLifetime, ttl)
	}
	g := grants{Identity: identity}
	if serviceSID != "" {
		g.Chat = &chatGrant{ServiceSID: serviceSID}
	}
	c := claims{Grants: g, RegisteredClaims: jwt.RegisteredClaims{
		ID:        fmt.Sprintf("%s-%d", key.SID, now.Unix()),
		Issuer:    key.SID,
		Subject:   key.AccountSID,
		NotBefore: jwt.NewNumericDate(now),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	t.Header["cty"] = ContentType
	return t.SignedString([]byte(key.Secret))
}
