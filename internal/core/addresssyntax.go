package core

import (
	"net/mail"
	"strings"

	parley "github.com/parley-dev/parley"
)

// validAddress checks an address's syntax for its type: an E.164 number for
// sms, "whatsapp:" and an E.164 number for whatsapp, a bare email address
// for email. Other types' formats are the channel's own and pass as given.
// Twilio documents no code for the Address Configuration resource; 50407
// "Invalid messaging binding address" is its code for the same mistake on
// a participant's address ("SMS phone numbers must follow E.164 format",
// https://www.twilio.com/docs/errors/50407).
func validAddress(typ, address string) error {
	ok := true
	switch typ {
	case parley.BindingSMS, parley.BindingWhatsApp:
		ok = channelOf(address) == typ
	case parley.BindingEmail:
		ok = isEmail(address)
	}
	if !ok {
		return parley.ParamError(parley.CodeInvalidAddress, "Address", parley.ProblemNone, "Address %q is not a valid %s address%s", address, typ, addressHint[typ])
	}
	return nil
}

var addressHint = map[string]string{
	"sms":      " (E.164, e.g. +15551230001)",
	"whatsapp": " (whatsapp: and an E.164 number, e.g. whatsapp:+15551230001)",
	"email":    " (e.g. support@example.com)",
}

// isEmail reports whether s is a bare email address ("kim@example.com",
// no display name or angle brackets).
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// isE164 reports whether s is "+" and 2 to 15 digits, the first not 0.
func isE164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 2 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
