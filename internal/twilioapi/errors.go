// Package twilioapi holds the Twilio REST conventions every Parley surface
// shares: form decoding, JSON rendering with nulls and Twilio dates, keyset
// paging, error bodies and HTTP Basic authentication.
package twilioapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	parley "github.com/parley-dev/parley"
)

// statusByCode maps Twilio error codes to HTTP statuses; codes not listed
// are 400 Bad Request. Chat refuses a command that would exceed a count
// limit with 403 (https://www.twilio.com/docs/chat/chat-limits).
var statusByCode = map[int]int{
	parley.CodeAuthFailed:       http.StatusUnauthorized,
	parley.CodeAccountNotActive: http.StatusUnauthorized,
	// Access-token refusals (internal/accesstoken's table); a lifetime over
	// 24 h is a bad request rather than bad credentials.
	parley.CodeTokenInvalid:                  http.StatusUnauthorized,
	parley.CodeTokenHeaderInvalid:            http.StatusUnauthorized,
	parley.CodeTokenIssuerInvalid:            http.StatusUnauthorized,
	parley.CodeTokenExpired:                  http.StatusUnauthorized,
	parley.CodeTokenNotYetValid:              http.StatusUnauthorized,
	parley.CodeTokenGrantsInvalid:            http.StatusUnauthorized,
	parley.CodeTokenSignatureInvalid:         http.StatusUnauthorized,
	parley.CodeMethodNotAllowed:              http.StatusMethodNotAllowed,
	parley.CodeNotFound:                      http.StatusNotFound,
	parley.CodeForbidden:                     http.StatusForbidden,
	parley.CodeInternal:                      http.StatusInternalServerError,
	parley.CodeTooManyRequests:               http.StatusTooManyRequests,
	parley.CodeUserExists:                    http.StatusConflict,
	parley.CodeConversationExists:            http.StatusConflict,
	parley.CodeParticipantExists:             http.StatusConflict,
	parley.CodeServiceInUse:                  http.StatusConflict,
	parley.CodeClockNotVirtual:               http.StatusConflict,
	parley.CodeAddressExists:                 http.StatusConflict,
	parley.CodePermissionDenied:              http.StatusForbidden,
	parley.CodeUserChannelLimit:              http.StatusForbidden,
	parley.CodeInviteExists:                  http.StatusConflict,
	parley.CodeChatChannelExists:             http.StatusConflict,
	parley.CodeMemberLimit:                   http.StatusForbidden,
	parley.CodeMemberExists:                  http.StatusConflict,
	parley.CodeBindingPairInUse:              http.StatusConflict,
	parley.CodeBindingPairInUseBulk:          http.StatusConflict,
	parley.CodeDuplicateGroupMember:          http.StatusConflict,
	parley.CodeGroupExists:                   http.StatusConflict,
	parley.CodePermissionReadChannelMetadata: http.StatusForbidden,
}

// StatusOf returns the HTTP status Twilio answers with for an error code.
func StatusOf(code int) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// ErrorBody is Twilio's error document.
type ErrorBody struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// WriteError writes err as a Twilio error body. Errors that are not
// *parley.Error are logged and reach the client as a generic internal error.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *parley.Error
	if !errors.As(err, &pe) {
		Logger(r.Context()).Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		pe = parley.Errorf(parley.CodeInternal, "Internal Server Error")
	}
	status := StatusOf(pe.Code)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	}
	WriteJSON(w, status, ErrorBody{
		Code:     pe.Code,
		Message:  pe.Message,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", pe.Code),
		Status:   status,
	})
}

// WriteJSON writes v as the JSON response body with the given status. A
// value that cannot be encoded is a programming error: WriteJSON panics
// before writing anything, and Recover answers 500 and logs it with the
// request's logger.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // Twilio writes & in URLs as is
	if err := enc.Encode(v); err != nil {
		panic(fmt.Errorf("encode response: %w", err))
	}
	body := bytes.TrimRight(buf.Bytes(), "\n")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// HandlerFunc is an HTTP handler that reports failure by returning an error,
// which ServeHTTP writes as a Twilio error body.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

func (h HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		WriteError(w, r, err)
	}
}

// Recover turns a panic in next into a Twilio internal error, so no panic
// reaches a client as a dropped connection.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				WriteError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Reply ends a handler: it returns err, or writes render's value with
// status. render runs only on success, so it may dereference the result.
func Reply(w http.ResponseWriter, status int, err error, render func() any) error {
	if err != nil {
		return err
	}
	WriteJSON(w, status, render())
	return nil
}
