// Package parley holds Parley's domain: the resources a Twilio Conversations
// account owns, the interfaces the domain needs from the outside world (Store,
// Clock), and the one error type that carries Twilio's numeric error codes.
// It imports nothing but the standard library.
package parley

import (
	"errors"
	"fmt"
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
