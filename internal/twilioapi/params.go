package twilioapi

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// maxBodyBytes bounds a request body; Twilio's largest documented field
// (a 32 KB message body) fits many times over.
const maxBodyBytes = 1 << 20

// Params reads a request's form parameters (urlencoded body, and the query on
// every method). Names are Twilio's, dotted ones included
// ("Timers.Inactive"). The first malformed value is kept in Err; unknown
// parameters are ignored, as Twilio does.
type Params struct {
	values url.Values
	err    error
}

// ParseParams decodes the request's parameters.
func ParseParams(w http.ResponseWriter, r *http.Request) (*Params, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, parley.Errorf(parley.CodeInvalidParameter, "Request body is larger than %d bytes", maxBodyBytes)
		}
		var netErr net.Error
		if errors.As(err, &netErr) {
			// A body that did not arrive in time (the server's read
			// timeout) or a dropped connection: say so without the
			// connection's addresses.
			return nil, parley.Errorf(parley.CodeInvalidParameter, "The request body was not received in time")
		}
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Malformed request: %v", err)
	}
	return &Params{values: r.Form}, nil
}

// Err returns the first malformed parameter met so far.
func (p *Params) Err() error { return p.err }

func (p *Params) fail(name, want string) {
	if p.err == nil {
		p.err = parley.Errorf(parley.CodeInvalidParameter, "Invalid %s: expected %s", name, want)
	}
}

// Has reports whether the parameter was sent at all.
func (p *Params) Has(name string) bool {
	_, ok := p.values[name]
	return ok
}

// String returns the parameter's value, or nil when it was not sent.
func (p *Params) String(name string) *string {
	vs, ok := p.values[name]
	if !ok || len(vs) == 0 {
		return nil
	}
	return &vs[0]
}

// Strings returns every value of a repeated parameter.
func (p *Params) Strings(name string) []string { return p.values[name] }

// Int returns the parameter as an integer, or nil when it was not sent.
func (p *Params) Int(name string) *int64 {
	s := p.String(name)
	if s == nil {
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(*s), 10, 64)
	if err != nil {
		p.fail(name, "an integer")
		return nil
	}
	return &n
}

// Bool returns the parameter as a boolean, or nil when it was not sent.
func (p *Params) Bool(name string) *bool {
	s := p.String(name)
	if s == nil {
		return nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(*s))
	if err != nil {
		p.fail(name, "true or false")
		return nil
	}
	return &b
}

// Time returns the parameter as an ISO 8601 date-time, or nil when not sent.
func (p *Params) Time(name string) *time.Time {
	s := p.String(name)
	if s == nil {
		return nil
	}
	t, err := ParseTime(*s)
	if err != nil {
		p.fail(name, "an ISO 8601 date-time such as 2015-12-16T22:18:37Z")
		return nil
	}
	return &t
}

// ParseTime reads an ISO 8601 date-time, or a date alone (midnight UTC).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not an ISO 8601 date-time")
}
