// Package parley holds Parley's domain: the resources a Twilio Conversations
// account owns, the interfaces the domain needs from the outside world (Store,
// Clock), and the one error type that carries Twilio's numeric error codes.
// It imports nothing but the standard library.
package parley

import (
	"errors"
	"fmt"
)

// Twilio error codes used across Parley. The HTTP status for each code lives in
// one table in internal/twilioapi.
const (
	CodeInvalidParameter   = 20001
	CodeAuthFailed         = 20003
	CodeMethodNotAllowed   = 20004
	CodeNotFound           = 20404
	CodeInternal           = 20500
	CodeUserExists         = 50201
	CodeMessageTooLong     = 50504
	CodeConversationExists = 50353
	CodeUniqueNameIsSID    = 50390
	CodeStateInvalid       = 50378
	CodeParticipantExists  = 50433
	// CodeMediaNotFound: MediaSid names no uploaded media
	// (https://www.twilio.com/docs/api/errors/50510; Chat: 50507).
	CodeMediaNotFound = 50510
	// CodeInvalidAddress: an address with invalid syntax for its type, on
	// an address configuration or a participant's MessagingBinding.Address
	// (https://www.twilio.com/docs/api/errors/50407).
	CodeInvalidAddress = 50407
	// CodeConversationRoleNotFound: a participant's RoleSid names no
	// conversation role (https://www.twilio.com/docs/api/errors/50109).
	CodeConversationRoleNotFound = 50109
	CodeServiceInUse             = 50005
	// CodeClockNotVirtual is Parley's own: the clock API was called on a
	// server that runs on the real clock.
	CodeClockNotVirtual = 20409
)

// Error is a failure the client may see: a Twilio error code and a message.
// Anything that is not an *Error reaches clients as a generic internal error.
type Error struct {
	Code    int
	Message string
	// Param and Problem name the request parameter at fault and what is
	// wrong with it, where a check knows, so a surface with codes of its
	// own (Chat) can translate the error without parsing the message.
	Param   string
	Problem Problem
}

// Problem is what is wrong with a parameter.
type Problem int

// Problems a surface may translate.
const (
	ProblemNone Problem = iota
	ProblemTooLong
	ProblemNotJSON
)

// ParamError returns an *Error about one parameter.
func ParamError(code int, param string, problem Problem, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Param: param, Problem: problem}
}

func (e *Error) Error() string { return fmt.Sprintf("parley %d: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given Twilio code.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Twilio code of err, or CodeInternal when err is not a
// Parley error.
func ErrorCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// NotFound returns the error Twilio answers for an unknown resource.
func NotFound(resource, id string) *Error {
	return Errorf(CodeNotFound, "The requested resource %s %s was not found", resource, id)
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool { return ErrorCode(err) == CodeNotFound }
