package apitest

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Twilio's OpenAPI specs (twilio-oai, MIT; see spec/LICENSE) are the wire
// contract every response is validated against; spec/parley_v1.json is
// Parley's own, for /parley/v1.
//
//go:embed spec/*.json
var specFiles embed.FS

// The 2010 API dates its resources in RFC 2822 ("Mon, 30 Nov 2026 01:49:02
// +0000"), a format the validator does not know by itself.
func init() {
	openapi3.DefineStringFormatValidator("date-time-rfc-2822", openapi3.NewCallbackValidator(func(s string) error {
		_, err := time.Parse("Mon, 02 Jan 2006 15:04:05 -0700", s)
		return err
	}))
}

// Spec validates responses against one Twilio OpenAPI document and records
// which operations were exercised.
type Spec struct {
	host   string
	router routers.Router
	doc    *openapi3.T

	mu  sync.Mutex
	hit map[string]bool
}

var (
	specsMu sync.Mutex
	specs   = map[string]*Spec{}
)

// LoadSpec returns the (cached) validator for spec/<name>.json.
func LoadSpec(name string) (*Spec, error) {
	specsMu.Lock()
	defer specsMu.Unlock()
	if s, ok := specs[name]; ok {
		return s, nil
	}
	raw, err := specFiles.ReadFile("spec/" + name + ".json")
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", name, err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route spec %s: %w", name, err)
	}
	u, err := url.Parse(doc.Servers[0].URL)
	if err != nil {
		return nil, err
	}
	s := &Spec{host: u.Host, router: router, doc: doc, hit: map[string]bool{}}
	specs[name] = s
	return s, nil
}

// Validate checks one exchange: a success against the operation's response
// schema, an error against Twilio's error document. It returns the
// operation's ID.
func (s *Spec) Validate(method, path, rawQuery string, status int, header http.Header, body []byte) (string, error) {
	u := &url.URL{Scheme: "https", Host: s.host, Path: path, RawQuery: rawQuery}
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return "", err
	}
	route, pathParams, err := s.router.FindRoute(req)
	if status >= 400 {
		// Errors are not in the spec; any path, even an unknown one, must
		// answer with Twilio's error document.
		op := ""
		if err == nil {
			op = route.Operation.OperationID
		}
		return op, validateErrorBody(status, body)
	}
	if err != nil {
		return "", fmt.Errorf("%s %s is not an operation of the spec: %v", method, path, err)
	}
	op := route.Operation.OperationID
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		return op, fmt.Errorf("%s %s (%s) answered %d with a body that breaks the spec: %v\nbody: %s", method, path, op, status, err, body)
	}
	s.mu.Lock()
	s.hit[op] = true
	s.mu.Unlock()
	return op, nil
}

// validateErrorBody checks Twilio's error document: all four fields, typed,
// with status equal to the HTTP status.
func validateErrorBody(status int, body []byte) error {
	var e struct {
		Code     *int    `json:"code"`
		Message  *string `json:"message"`
		MoreInfo *string `json:"more_info"`
		Status   *int    `json:"status"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Errorf("error body is not JSON: %v: %s", err, body)
	}
	if e.Code == nil || e.Message == nil || e.MoreInfo == nil || e.Status == nil {
		return fmt.Errorf("error body lacks code, message, more_info or status: %s", body)
	}
	if *e.Status != status {
		return fmt.Errorf("error body status %d differs from HTTP status %d", *e.Status, status)
	}
	return nil
}

// Operations lists every operation ID of the spec.
func (s *Spec) Operations() []string {
	var ops []string
	for _, item := range s.doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops = append(ops, op.OperationID)
		}
	}
	sort.Strings(ops)
	return ops
}

// Hit reports whether a successful response of the operation was validated.
func (s *Spec) Hit(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hit[op]
}
