// Package twilsock serves Twilio's client transport ("twilsock"): the
// WebSocket that the official client SDKs open to log in, make upstream
// HTTP requests and receive notifications. One WebSocket binary message
// carries one frame:
//
//	TWILSOCK V3.0 <H>\r\n<header JSON, H bytes>\r\n<payload, header.payload_size bytes>
package twilsock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// magic opens every frame; the SDK drops frames of any other protocol or
// version.
const magic = "TWILSOCK V3.0 "

// maxHeader bounds the header a client may send. The largest real header is
// an init carrying an access token (a few KiB).
const maxHeader = 64 << 10

// Status is the result a reply carries, and the reason a close gives.
type Status struct {
	Code        int    `json:"code"`
	Status      string `json:"status"`
	ErrorCode   int    `json:"errorCode,omitempty"`
	Description string `json:"description,omitempty"`
}

// HTTPRequest is the upstream request a "message" frame carries. Path stays
// percent-encoded; Params holds the raw (still encoded) query values, a
// repeated key as an array.
type HTTPRequest struct {
	Host    string                     `json:"host"`
	Path    string                     `json:"path"`
	Method  string                     `json:"method"`
	Params  map[string]json.RawMessage `json:"params"`
	Headers map[string]string          `json:"headers"`
}

// Registration is one product's interest in notification types, sent with
// init.
type Registration struct {
	Product      string   `json:"product"`
	Type         string   `json:"type"`
	MessageTypes []string `json:"message_types"`
}

// Header is a frame's header. Only the fields a method uses are set;
// unknown fields from the client are ignored.
type Header struct {
	Method      string `json:"method"`
	ID          string `json:"id"`
	PayloadSize int    `json:"payload_size"`
	PayloadType string `json:"payload_type,omitempty"`

	// init and update
	Token             string         `json:"token,omitempty"`
	ContinuationToken *string        `json:"continuation_token,omitempty"`
	Registrations     []Registration `json:"registrations,omitempty"`
	Capabilities      []string       `json:"capabilities,omitempty"`

	// message
	ActiveGrant string       `json:"active_grant,omitempty"`
	HTTPRequest *HTTPRequest `json:"http_request,omitempty"`

	// reply and close
	Status      *Status           `json:"status,omitempty"`
	HTTPStatus  *Status           `json:"http_status,omitempty"`
	HTTPHeaders map[string]string `json:"http_headers,omitempty"`

	// notification and client_update
	MessageType      string `json:"message_type,omitempty"`
	ClientUpdateType string `json:"client_update_type,omitempty"`
}

// Frame is one decoded twilsock frame.
type Frame struct {
	Header  Header
	Payload []byte
}

// errFrame is returned for every malformed frame; the detail says why.
var errFrame = errors.New("twilsock: malformed frame")

// Decode parses one frame. The header length and payload_size must match
// the bytes exactly: a frame is one whole WebSocket message.
func Decode(b []byte) (Frame, error) {
	var f Frame
	rest, ok := bytes.CutPrefix(b, []byte(magic))
	if !ok {
		return f, fmt.Errorf("%w: no %q preamble", errFrame, magic)
	}
	digits, rest, ok := bytes.Cut(rest, []byte("\r\n"))
	if !ok || len(digits) == 0 || len(digits) > 6 {
		return f, fmt.Errorf("%w: bad header length", errFrame)
	}
	n, err := strconv.Atoi(string(digits))
	if err != nil || n < 0 || n > maxHeader || n > len(rest) || digits[0] == '+' || digits[0] == '-' {
		return f, fmt.Errorf("%w: bad header length %q", errFrame, digits)
	}
	header, rest := rest[:n], rest[n:]
	rest, ok = bytes.CutPrefix(rest, []byte("\r\n"))
	if !ok {
		return f, fmt.Errorf("%w: no CRLF after the header", errFrame)
	}
	if err := json.Unmarshal(header, &f.Header); err != nil {
		return f, fmt.Errorf("%w: header: %v", errFrame, err)
	}
	if f.Header.PayloadSize != len(rest) {
		return f, fmt.Errorf("%w: payload_size %d, got %d bytes", errFrame, f.Header.PayloadSize, len(rest))
	}
	if f.Header.Method == "" {
		return f, fmt.Errorf("%w: no method", errFrame)
	}
	f.Payload = rest
	return f, nil
}

// Encode renders a frame, setting payload_size from the payload. The
// trailing CRLF after the header is written even for an empty payload, as
// the SDK does.
func Encode(h Header, payload []byte) ([]byte, error) {
	h.PayloadSize = len(payload)
	header, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(len(header))
	b := make([]byte, 0, len(magic)+len(n)+len(header)+len(payload)+4)
	b = append(b, magic...)
	b = append(b, n...)
	b = append(b, "\r\n"...)
	b = append(b, header...)
	b = append(b, "\r\n"...)
	return append(b, payload...), nil
}
