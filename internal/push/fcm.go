package push

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	parley "github.com/parley-dev/parley"
)

// requestTimeout bounds one call to a push service or token endpoint.
const requestTimeout = 15 * time.Second

// fcmScope is the OAuth2 scope of FCM's HTTP v1 API
// (https://firebase.google.com/docs/cloud-messaging/auth-server).
const fcmScope = "https://www.googleapis.com/auth/firebase.messaging"

// FCM sends through Firebase Cloud Messaging's HTTP v1 API
// (POST /v1/projects/{project}/messages:send), authorised by an OAuth2
// access token that a service account's key signs for. Twilio's FCM
// credential carries the service account's JSON key in its secret since
// Google retired the legacy server-key API in 2024
// (https://www.twilio.com/docs/api/errors/52116); a secret that is not such
// a key fails with that explanation.
type FCM struct {
	base   string
	client *http.Client
	mu     sync.Mutex
	tokens map[string]fcmToken // by client_email + private_key_id
}

type fcmToken struct {
	value   string
	expires time.Time
}

// serviceAccount is the part of a Google service account key FCM needs.
type serviceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

func newFCM(o Options) *FCM {
	return &FCM{base: strings.TrimSuffix(o.FCMURL, "/"), client: o.Client, tokens: map[string]fcmToken{}}
}

// Send sends p to its FCM registration token.
func (f *FCM) Send(ctx context.Context, p *parley.Push) (parley.PushResult, error) {
	res := parley.PushResult{Transport: "fcm"}
	sa, key, err := parseServiceAccount(p.Secrets.Secret)
	if err != nil {
		res.Detail = err.Error()
		return res, nil
	}
	body, _ := json.Marshal(map[string]any{"message": map[string]any{
		"token": p.Endpoint, "data": fcmData(p), "android": map[string]string{"priority": "HIGH"}}})
	res.Request = body
	for attempt := 0; ; attempt++ {
		token, err := f.token(ctx, sa, key)
		if err != nil {
			return res, err
		}
		u := f.base + "/v1/projects/" + url.PathEscape(sa.ProjectID) + "/messages:send"
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			return res, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := f.client.Do(req)
		if err != nil {
			return res, err
		}
		answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		res.Status = resp.StatusCode
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			f.forget(sa) // the token was revoked or expired early: fetch another once
			continue
		}
		classifyFCM(&res, resp, answer)
		return res, nil
	}
}

// classifyFCM reads FCM's answer
// (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode).
func classifyFCM(res *parley.PushResult, resp *http.Response, answer []byte) {
	if resp.StatusCode/100 == 2 {
		return
	}
	var e struct {
		Error struct {
			Status  string `json:"status"`
			Message string `json:"message"`
			Details []struct {
				ErrorCode string `json:"errorCode"`
			} `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(answer, &e)
	code := e.Error.Status
	for _, d := range e.Error.Details {
		if d.ErrorCode != "" {
			code = d.ErrorCode
		}
	}
	res.Detail = strings.TrimSpace(code + ": " + e.Error.Message)
	switch {
	case code == "UNREGISTERED" || resp.StatusCode == http.StatusNotFound:
		res.Invalid = true
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode/100 == 5:
		res.Retry, res.RetryAfter = true, retryAfter(resp)
	}
}

// token is a cached access token of the service account, fetched with a
// signed JWT assertion (RFC 7523) when missing or within a minute of expiry.
func (f *FCM) token(ctx context.Context, sa *serviceAccount, key *rsa.PrivateKey) (string, error) {
	id := sa.ClientEmail + "/" + sa.PrivateKeyID
	f.mu.Lock()
	t, ok := f.tokens[id]
	f.mu.Unlock()
	if ok && time.Until(t.expires) > time.Minute {
		return t.value, nil
	}
	now := time.Now()
	assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": sa.ClientEmail, "scope": fcmScope, "aud": sa.TokenURI,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}).SignedString(key)
	if err != nil {
		return "", err
	}
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sa.TokenURI, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := f.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var answer struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&answer); err != nil || answer.AccessToken == "" {
		return "", fmt.Errorf("fcm: token endpoint answered %d %s", resp.StatusCode, answer.Error)
	}
	t = fcmToken{answer.AccessToken, now.Add(time.Duration(answer.ExpiresIn) * time.Second)}
	f.mu.Lock()
	f.tokens[id] = t
	f.mu.Unlock()
	return t.value, nil
}

func (f *FCM) forget(sa *serviceAccount) {
	f.mu.Lock()
	delete(f.tokens, sa.ClientEmail+"/"+sa.PrivateKeyID)
	f.mu.Unlock()
}

// errLegacyFCM is the answer to a credential with a legacy server key.
var errLegacyFCM = errors.New("the FCM credential's secret is not a service account key (JSON); Google retired the legacy server-key API in 2024, so only FCM HTTP v1 credentials can send (Twilio error 52116)")

func parseServiceAccount(secret string) (*serviceAccount, *rsa.PrivateKey, error) {
	var sa serviceAccount
	if err := json.Unmarshal([]byte(secret), &sa); err != nil {
		return nil, nil, errLegacyFCM
	}
	if sa.ProjectID == "" || sa.ClientEmail == "" || sa.PrivateKey == "" {
		return nil, nil, errors.New("the FCM service account key lacks project_id, client_email or private_key")
	}
	if sa.TokenURI == "" {
		sa.TokenURI = "https://oauth2.googleapis.com/token"
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(sa.PrivateKey))
	if err != nil {
		return nil, nil, fmt.Errorf("the FCM service account's private_key: %w", err)
	}
	return &sa, key, nil
}

// retryAfter is a Retry-After header's delay in seconds, 0 when absent.
func retryAfter(resp *http.Response) time.Duration {
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}
