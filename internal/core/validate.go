package core

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	parley "github.com/parley-dev/parley"
)

// Twilio's documented limits
// (https://www.twilio.com/docs/conversations/conversations-limits).
const (
	maxNameLength                  = 256
	maxIdentityLength              = 256
	maxConversationAttributesBytes = 16 * 1024
	maxMessageAttributesBytes      = 4 * 1024
	maxParticipantAttributesBytes  = 4 * 1024
	maxUserAttributesBytes         = 16 * 1024
	maxMessageBodyBytes            = 32 * 1024
	maxSubjectLength               = 256
	emptyAttributes                = "{}"
	defaultAuthor                  = "system"
)

// attributes validates an Attributes value: structurally valid JSON within
// limit bytes. An empty value means "{}", Twilio's rendering of unset.
func attributes(v *string, limit int) (string, error) {
	if v == nil || strings.TrimSpace(*v) == "" {
		return emptyAttributes, nil
	}
	if len(*v) > limit {
		return "", parley.ParamError(parley.CodeInvalidParameter, "Attributes", parley.ProblemTooLong, "Attributes must not exceed %d bytes", limit)
	}
	// json.Valid lets invalid UTF-8 inside strings pass; RFC 8259 JSON is UTF-8.
	if !utf8.ValidString(*v) || !json.Valid([]byte(*v)) {
		return "", parley.ParamError(parley.CodeInvalidParameter, "Attributes", parley.ProblemNotJSON, "Attributes must be valid JSON")
	}
	return *v, nil
}

// maxLength rejects a value longer than limit characters.
func maxLength(name string, v *string, limit int) error {
	if v != nil && utf8.RuneCountInString(*v) > limit {
		return parley.ParamError(parley.CodeInvalidParameter, name, parley.ProblemTooLong, "%s must not exceed %d characters", name, limit)
	}
	return nil
}

// nonEmpty returns nil for a missing or empty value, so "" clears a field.
func nonEmpty(v *string) *string {
	if v == nil || *v == "" {
		return nil
	}
	return v
}

// sidParam rejects a value that is not a SID with the given prefix.
func sidParam(name string, v *string, prefix string) error {
	if v != nil && *v != "" && !parley.IsSID(*v, prefix) {
		return parley.Errorf(parley.CodeInvalidParameter, "%s must be a %s SID", name, prefix)
	}
	return nil
}
