package parley

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// SID prefixes of the resources Parley owns.
const (
	PrefixAccount      = "AC"
	PrefixService      = "IS"
	PrefixConversation = "CH"
	PrefixParticipant  = "MB"
	PrefixMessage      = "IM"
	PrefixUser         = "US"
	PrefixRole         = "RL"
	PrefixMessaging    = "MG"
)

// NewSID returns a fresh SID: a two-letter prefix and 32 lowercase hex digits
// drawn from a CSPRNG.
func NewSID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("parley: crypto/rand failed: " + err.Error())
	}
	return prefix + hex.EncodeToString(b[:])
}

// NewSecret returns 32 lowercase hex digits suitable for an auth token.
func NewSecret() string { return NewSID("")[0:32] }

// IsSID reports whether s looks like a SID with the given prefix.
func IsSID(s, prefix string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, prefix) {
		return false
	}
	for _, c := range s[2:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// SID prefixes of the configuration resources.
const (
	PrefixScopedWebhook = "WH"
	PrefixCredential    = "CR"
	PrefixAddressConfig = "IG"
	PrefixStudioFlow    = "FW"
)

// SID prefixes of push bindings and delivery receipts.
const (
	PrefixBinding         = "BS"
	PrefixDeliveryReceipt = "DY"
)
