package edge

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// net/http answers a request it cannot parse (a bad Content-Length, "%zz"
// or control bytes in the request line, an unsupported Transfer-Encoding,
// headers over the limit) itself, before any handler runs, with one
// fmt.Fprintf straight onto the connection:
//
//	HTTP/1.1 <status>[: detail]\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n<text>
//
// (net/http server.go, conn.serve). No server option replaces that answer,
// so the connection recognises exactly that shape in a single Write and
// sends Twilio's error body with the same status instead. Responses written
// by handlers never match: their header block starts with the sorted
// headers net/http adds (Cache-Control, Connection, Content-Length...) and
// Parley's handlers answer JSON.
var (
	rawPrefix  = []byte("HTTP/1.1 ")
	rawHeaders = []byte("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")
)

type twilioErrorsListener struct{ net.Listener }

func (l twilioErrorsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return twilioErrorsConn{c}, nil
}

type twilioErrorsConn struct{ net.Conn }

func (c twilioErrorsConn) Write(p []byte) (int, error) {
	if out, ok := rewriteRawError(p); ok {
		if _, err := c.Conn.Write(out); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// rewriteRawError returns the Twilio-body answer for one of net/http's
// plain-text error answers, or false when p is anything else.
func rewriteRawError(p []byte) ([]byte, bool) {
	if !bytes.HasPrefix(p, rawPrefix) || len(p) < len(rawPrefix)+3 {
		return nil, false
	}
	end := bytes.Index(p, []byte("\r\n"))
	if end < 0 || !bytes.HasPrefix(p[end:], rawHeaders) {
		return nil, false
	}
	status, err := strconv.Atoi(string(p[len(rawPrefix) : len(rawPrefix)+3]))
	if err != nil || status < 400 || status > 599 {
		return nil, false
	}
	return RawErrorResponse(status, rawMessage(status, string(p[end+len(rawHeaders):]))), true
}

// rawMessage says what net/http refused, in Twilio's words where we can.
func rawMessage(status int, text string) string {
	switch status {
	case http.StatusNotImplemented:
		return "Unsupported Transfer-Encoding: only chunked is accepted"
	case http.StatusRequestHeaderFieldsTooLarge:
		return "Request headers are too large"
	}
	if _, detail, ok := bytes.Cut([]byte(text), []byte(": ")); ok {
		return "Malformed HTTP request: " + string(detail)
	}
	return "Malformed HTTP request"
}

// RawErrorResponse is a complete HTTP/1.1 response carrying a Twilio error
// body (code 20001) with the given status; the connection closes after it.
func RawErrorResponse(status int, message string) []byte {
	var body bytes.Buffer
	twilioapi.WriteJSON(bodyWriter{&body}, status, twilioapi.ErrorBody{
		Code: parley.CodeInvalidParameter, Message: message, Status: status,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", parley.CodeInvalidParameter),
	})
	return fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), body.Len(), body.Bytes())
}

// bodyWriter lets WriteJSON, which writes to an http.ResponseWriter, fill a
// buffer: the status and headers are ours to write.
type bodyWriter struct{ *bytes.Buffer }

func (bodyWriter) Header() http.Header { return http.Header{} }
func (bodyWriter) WriteHeader(int)     {}
