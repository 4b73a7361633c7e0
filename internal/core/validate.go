package core

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
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
		return "", parley.Errorf(parley.CodeInvalidParameter, "Attributes must not exceed %d bytes", limit)
	}
	if !json.Valid([]byte(*v)) {
		return "", parley.Errorf(parley.CodeInvalidParameter, "Attributes must be valid JSON")
	}
	return *v, nil
}

// maxLength rejects a value longer than limit characters.
func maxLength(name string, v *string, limit int) error {
	if v != nil && utf8.RuneCountInString(*v) > limit {
		return parley.Errorf(parley.CodeInvalidParameter, "%s must not exceed %d characters", name, limit)
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

// parseDuration reads an ISO 8601 duration of weeks, days, hours, minutes and
// seconds (PT10M, P1D, P1DT12H); years and months have no fixed length and
// are refused.
func parseDuration(s string) (time.Duration, bool) {
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, false
	}
	var total time.Duration
	inTime, num := false, ""
	units := map[bool]map[byte]time.Duration{
		false: {'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour},
		true:  {'H': time.Hour, 'M': time.Minute, 'S': time.Second},
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'T' && !inTime && num == "":
			inTime = true
		case c >= '0' && c <= '9':
			num += string(c)
		default:
			unit, ok := units[inTime][c]
			if !ok || num == "" {
				return 0, false
			}
			n, err := strconv.ParseInt(num, 10, 32)
			if err != nil {
				return 0, false
			}
			total += time.Duration(n) * unit
			num = ""
		}
	}
	return total, num == "" && total > 0
}
