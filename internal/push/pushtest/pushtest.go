// Package pushtest runs local stand-ins for the push services Parley
// cannot reach in tests: an FCM HTTP v1 server with its OAuth2 token
// endpoint, and an APNs provider API over HTTP/2 with client-certificate
// TLS. They speak the services' real protocols, so the transports are
// tested as they run in production.
package pushtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Sent is one push a fake accepted or refused.
type Sent struct {
	Token   string         // the device token
	Status  int            // what the fake answered
	Body    map[string]any // the JSON body received
	Headers http.Header
}

// Behaviour decides a fake's answer for a device token: 0 accepts.
type Behaviour func(token string, attempt int) (status int, reason string)

type recorder struct {
	mu       sync.Mutex
	sent     []Sent
	attempts map[string]int
	behave   Behaviour
}

func (r *recorder) record(token string, body []byte, h http.Header) (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.attempts == nil {
		r.attempts = map[string]int{}
	}
	r.attempts[token]++
	status, reason := 0, ""
	if r.behave != nil {
		status, reason = r.behave(token, r.attempts[token])
	}
	if status == 0 {
		status = http.StatusOK
	}
	var decoded map[string]any
	_ = json.Unmarshal(body, &decoded)
	r.sent = append(r.sent, Sent{Token: token, Status: status, Body: decoded, Headers: h.Clone()})
	return status, reason
}

// Sent lists what the fake received, oldest first.
func (r *recorder) Sent() []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.sent...)
}

// FCM is a fake of FCM's HTTP v1 API and Google's OAuth2 token endpoint.
type FCM struct {
	recorder
	Server    *httptest.Server
	ProjectID string
	key       *rsa.PrivateKey
	tokens    sync.Map // access token -> true
}

// NewFCM starts a fake FCM; behave decides answers (nil: accept all).
func NewFCM(t testing.TB, behave Behaviour) *FCM {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &FCM{ProjectID: "parley-test", key: key}
	f.behave = behave
	f.Server = httptest.NewServer(f.handler())
	t.Cleanup(f.Server.Close)
	return f
}

// Restart stops the fake and starts it again on the same address after
// down (FCM unreachable meanwhile), keeping its key and records.
func (f *FCM) Restart(t testing.TB, down func()) {
	addr := f.Server.Listener.Addr().String()
	f.Server.Close()
	down()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f.Server = httptest.NewUnstartedServer(f.handler())
	f.Server.Listener.Close()
	f.Server.Listener = ln
	f.Server.Start()
	t.Cleanup(f.Server.Close)
}

func (f *FCM) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("POST /v1/projects/{project}/messages:send", f.send)
	return mux
}

// ServiceAccount is the JSON key of the fake's service account, as the
// secret of a Twilio FCM credential holds it.
func (f *FCM) ServiceAccount() string {
	der, _ := x509.MarshalPKCS8PrivateKey(f.key)
	b, _ := json.Marshal(map[string]string{"type": "service_account", "project_id": f.ProjectID,
		"private_key_id": "key-1", "private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "parley@" + f.ProjectID + ".iam.gserviceaccount.com", "token_uri": f.Server.URL + "/token"})
	return string(b)
}

// token checks the JWT bearer assertion (RFC 7523) the way Google's token
// endpoint does: signed by the service account's key, for FCM's scope.
func (f *FCM) token(w http.ResponseWriter, r *http.Request) {
	assertion := r.FormValue("assertion")
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(assertion, claims, func(*jwt.Token) (any, error) { return &f.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(f.Server.URL+"/token"))
	if r.FormValue("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || err != nil ||
		claims["scope"] != "https://www.googleapis.com/auth/firebase.messaging" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":"invalid_grant","error_description":%q}`, fmt.Sprint(err))
		return
	}
	access := fmt.Sprintf("ya29.fake-%d", time.Now().UnixNano())
	f.tokens.Store(access, true)
	fmt.Fprintf(w, `{"access_token":%q,"expires_in":3599,"token_type":"Bearer"}`, access)
}

func (f *FCM) send(w http.ResponseWriter, r *http.Request) {
	access, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if _, ok := f.tokens.Load(access); !ok || r.PathValue("project") != f.ProjectID {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"code":401,"status":"UNAUTHENTICATED","message":"Request had invalid authentication credentials."}}`)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var msg struct {
		Message struct {
			Token string `json:"token"`
		} `json:"message"`
	}
	_ = json.Unmarshal(body, &msg)
	status, reason := f.record(msg.Message.Token, body, r.Header)
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "0")
	}
	w.WriteHeader(status)
	if status != http.StatusOK {
		fmt.Fprintf(w, `{"error":{"code":%d,"status":%q,"message":"refused by the fake","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":%q}]}}`,
			status, http.StatusText(status), reason)
		return
	}
	fmt.Fprintf(w, `{"name":"projects/%s/messages/%d"}`, f.ProjectID, time.Now().UnixNano())
}

// APNs is a fake of Apple's provider API: HTTP/2 only, TLS with a client
// certificate required, the topic checked against the certificate's
// bundle ID.
type APNs struct {
	recorder
	Server *httptest.Server
	// CAFile is a PEM file of the server's certificate, for clients to
	// trust.
	CAFile string
}

// NewAPNs starts a fake APNs.
func NewAPNs(t testing.TB, behave Behaviour) *APNs {
	a := &APNs{}
	a.behave = behave
	mux := http.NewServeMux()
	mux.HandleFunc("POST /3/device/{token}", a.send)
	a.Server = httptest.NewUnstartedServer(mux)
	a.Server.EnableHTTP2 = true
	a.Server.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	a.Server.StartTLS()
	t.Cleanup(a.Server.Close)
	a.CAFile = t.TempDir() + "/apns-ca.pem"
	writePEM(t, a.CAFile, "CERTIFICATE", a.Server.Certificate().Raw)
	return a
}

func (a *APNs) send(w http.ResponseWriter, r *http.Request) {
	topic := ""
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		topic = BundleID(r.TLS.PeerCertificates[0])
	}
	w.Header().Set("apns-id", fmt.Sprintf("%d", time.Now().UnixNano()))
	switch {
	case r.ProtoMajor != 2:
		w.WriteHeader(http.StatusBadRequest) // APNs speaks HTTP/2 only
		return
	case topic == "" || r.Header.Get("apns-topic") != topic:
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"reason":"BadTopic"}`)
		return
	}
	body, _ := io.ReadAll(r.Body)
	status, reason := a.record(r.PathValue("token"), body, r.Header)
	w.WriteHeader(status)
	if status != http.StatusOK {
		fmt.Fprintf(w, `{"reason":%q}`, reason)
	}
}

// oidUID is the subject attribute naming an APNs certificate's bundle ID.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// BundleID is the bundle ID an APNs certificate names.
func BundleID(cert *x509.Certificate) string {
	for _, n := range cert.Subject.Names {
		if s, ok := n.Value.(string); ok && n.Type.Equal(oidUID) {
			return s
		}
	}
	return ""
}

// APNsCertificate makes a certificate and key, PEM, of the kind Apple
// issues for a bundle ID (what a Twilio APN credential holds).
func APNsCertificate(t testing.TB, bundleID string) (certPEM, keyPEM string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		Subject: pkix.Name{CommonName: "Apple Development IOS Push Services: " + bundleID,
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidUID, Value: bundleID}}},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

func writePEM(t testing.TB, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
