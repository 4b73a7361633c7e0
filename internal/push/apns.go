package push

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	parley "github.com/parley-dev/parley"
)

// APNs sends through Apple's provider API over HTTP/2
// (https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns),
// authenticated by the credential's certificate and key, to the sandbox or
// production host as the credential says. The topic is the app's bundle
// ID, which an APNs certificate names in its subject's UID.
type APNs struct {
	prod, sandbox string
	base          *http.Transport
	mu            sync.Mutex
	clients       map[string]*apnsClient // by credential SID and version
}

type apnsClient struct {
	http  *http.Client
	topic string
}

func newAPNs(o Options) *APNs {
	return &APNs{prod: strings.TrimSuffix(o.APNsURL, "/"), sandbox: strings.TrimSuffix(o.APNsSandboxURL, "/"),
		base: o.ClientTransport, clients: map[string]*apnsClient{}}
}

// Send sends p to its device token.
func (a *APNs) Send(ctx context.Context, p *parley.Push) (parley.PushResult, error) {
	res := parley.PushResult{Transport: "apns", Request: APNsPayload(p)}
	c, err := a.client(p.Credential, p.Secrets)
	if err != nil {
		res.Detail = err.Error()
		return res, nil
	}
	base := a.prod
	if p.Credential.Sandbox != nil && *p.Credential.Sandbox {
		base = a.sandbox
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/3/device/"+url.PathEscape(p.Endpoint), bytes.NewReader(res.Request))
	if err != nil {
		return res, err
	}
	req.Header.Set("apns-topic", c.topic)
	req.Header.Set("apns-push-type", "alert")
	req.Header.Set("apns-priority", "10")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	if resp.StatusCode == http.StatusOK {
		return res, nil
	}
	var answer struct {
		Reason string `json:"reason"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&answer)
	res.Detail = answer.Reason
	switch {
	case resp.StatusCode == http.StatusGone, answer.Reason == "BadDeviceToken", answer.Reason == "Unregistered":
		res.Invalid = true
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode/100 == 5:
		res.Retry, res.RetryAfter = true, retryAfter(resp)
	}
	return res, nil
}

// client is the HTTP/2 client of a credential, built once per version of it.
func (a *APNs) client(cred *parley.Credential, s parley.CredentialSecrets) (*apnsClient, error) {
	id := cred.SID + "@" + cred.DateUpdated.String()
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.clients[id]; ok {
		return c, nil
	}
	pair, err := tls.X509KeyPair([]byte(s.Certificate), []byte(s.PrivateKey))
	if err != nil {
		return nil, errors.New("the APN credential's certificate and private key do not form a key pair: " + err.Error())
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, err
	}
	topic := bundleID(leaf)
	if topic == "" {
		return nil, errors.New("the APN credential's certificate names no bundle ID (subject UID)")
	}
	t := a.base.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.Certificates = []tls.Certificate{pair}
	t.ForceAttemptHTTP2 = true
	c := &apnsClient{http: &http.Client{Transport: t, Timeout: requestTimeout}, topic: topic}
	a.clients[id] = c
	return c, nil
}

// oidUID is the subject attribute (userid, 0.9.2342.19200300.100.1.1) in
// which an APNs certificate names its app's bundle ID.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

func bundleID(cert *x509.Certificate) string {
	for _, n := range cert.Subject.Names {
		if n.Type.Equal(oidUID) {
			if s, ok := n.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}
