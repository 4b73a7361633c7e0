package sdktest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// keyVerifier stands in for the product's access-token verifier until API
// keys exist: it accepts HS256 tokens signed with one fixed key of one
// account, enough for the SDK to log in. It is test code only.
type keyVerifier struct {
	account        *parley.Account
	keySID, secret string
}

func (v keyVerifier) VerifyToken(_ context.Context, token string) (*parley.Caller, error) {
	invalid := parley.Errorf(20101, "Invalid Access Token")
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, invalid
	}
	mac := hmac.New(sha256.New, []byte(v.secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, parley.Errorf(20107, "Invalid Access Token signature")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Iss    string `json:"iss"`
		Sub    string `json:"sub"`
		Exp    int64  `json:"exp"`
		Grants struct {
			Identity string `json:"identity"`
			Chat     struct {
				ServiceSID string `json:"service_sid"`
			} `json:"chat"`
		} `json:"grants"`
	}
	if err != nil || json.Unmarshal(raw, &claims) != nil || claims.Iss != v.keySID || claims.Sub != v.account.SID {
		return nil, invalid
	}
	if time.Now().Unix() >= claims.Exp {
		return nil, parley.Errorf(20104, "Access Token expired or expiration date invalid")
	}
	svc := claims.Grants.Chat.ServiceSID
	if svc == "" {
		svc = v.account.DefaultServiceSID
	}
	return &parley.Caller{Account: v.account, Identity: claims.Grants.Identity, ServiceSID: svc}, nil
}
