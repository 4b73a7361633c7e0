package apitest

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Raw sends request bytes exactly as given over a new TCP connection and
// reads one response; a request net/http's client would refuse to send
// (bad Content-Length, control bytes, "%zz") is written as is. The response
// must be JSON, and a Twilio error body when it is an error.
func (e *Env) Raw(request string) Response {
	e.T.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		e.T.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	// A server that refuses a request may answer and close before it has
	// read all of it; the answer is what counts, so a failed write is not.
	io.WriteString(conn, request)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		e.T.Fatalf("read response to %q: %v", request, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	r := Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		e.T.Errorf("%q: Content-Type %q, want application/json: %s", firstLine(request), resp.Header.Get("Content-Type"), r)
	} else if resp.StatusCode >= 400 {
		if err := validateErrorBody(resp.StatusCode, body); err != nil {
			e.T.Errorf("%q: %v", firstLine(request), err)
		}
	}
	return r
}

// BasicAuth is the Authorization header value for the account's credentials.
func (e *Env) BasicAuth() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(e.AccountSID+":"+e.AuthToken))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\r\n")
	return line
}
