package twilioapi

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	parley "github.com/parley-dev/parley"
)

// wantParamError fails unless err is nil or Twilio's 20001.
func wantParamError(t *testing.T, err error) {
	t.Helper()
	var pe *parley.Error
	if err != nil && (!errors.As(err, &pe) || pe.Code != parley.CodeInvalidParameter) {
		t.Fatalf("error %v is not a 20001 parley.Error", err)
	}
}

// FuzzParseParams: any body and query decode to parameters or to a 20001
// error, and every typed read of every parameter fails only with 20001.
// Seeds: testdata/fuzz/FuzzParseParams.
func FuzzParseParams(f *testing.F) {
	f.Add("FriendlyName=x&Timers.Inactive=PT5M&Participant=a&Participant=b", "PageSize=2")
	f.Add("Attributes=%7B%22a%22%3A1%7D&Index=-1&Enabled=TRUE", "")
	f.Add("a=%zz&b", "c=%")
	f.Add("DateCreated=2015-12-16T22:18:37Z&X=;", "x=1;y=2")
	f.Fuzz(func(t *testing.T, body, query string) {
		r := httptest.NewRequest("POST", "/v1/Conversations?"+url.PathEscape(query), strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p, err := ParseParams(httptest.NewRecorder(), r)
		wantParamError(t, err)
		if err != nil {
			return
		}
		for name := range p.values {
			p.String(name)
			p.Strings(name)
			p.Int(name)
			p.Bool(name)
			p.Time(name)
			p.Has(name)
		}
		wantParamError(t, p.Err())
	})
}

// FuzzPageToken: a PageToken is accepted or refused with 20001; an
// accepted one reads one direction, and the token Parley would write for
// that key reads back the same.
// Seeds: testdata/fuzz/FuzzPageToken.
func FuzzPageToken(f *testing.F) {
	for _, s := range []string{"PA1", "PB9223372036854775807", "PA-3", "PA+7", "PA", "PX12", "garbage", "PA1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		pg, err := ParsePaging(&Params{values: url.Values{"PageToken": {token}}}, 100)
		wantParamError(t, err)
		if err != nil || token == "" {
			return
		}
		after, before := pg.Request.After, pg.Request.Before
		if (after == nil) == (before == nil) {
			t.Fatalf("token %q: after %v, before %v; want exactly one", token, after, before)
		}
		key, prefix := after, tokenAfter
		if before != nil {
			key, prefix = before, tokenBefore
		}
		again, isAfter, ok := parseToken(prefix + strconv.FormatInt(*key, 10))
		if !ok || again != *key || isAfter != (after != nil) {
			t.Fatalf("token %q: key %d does not round-trip", token, *key)
		}
	})
}
