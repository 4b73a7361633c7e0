package parley_test

import (
	"encoding/hex"
	"strings"
	"testing"

	parley "github.com/parley-dev/parley"
)

// FuzzIsSID: what IsSID accepts is the prefix and 32 hex digits, nothing
// else; every SID NewSID makes is accepted.
// Seeds: testdata/fuzz/FuzzIsSID.
func FuzzIsSID(f *testing.F) {
	for _, s := range []string{parley.NewSID("CH"), "CH00000000000000000000000000000000", "CHZZ000000000000000000000000000000",
		"ch00000000000000000000000000000000", "CH0000000000000000000000000000000", "CH000000000000000000000000000000000",
		"CHABCDEF0000000000000000000000000", "CH\u00e900000000000000000000000000000", "IS00000000000000000000000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !parley.IsSID(s, parley.PrefixConversation) {
			return
		}
		if len(s) != 34 || !strings.HasPrefix(s, parley.PrefixConversation) {
			t.Fatalf("IsSID accepted %q", s)
		}
		if b, err := hex.DecodeString(s[2:]); err != nil || len(b) != 16 {
			t.Fatalf("IsSID accepted %q, whose digits are not 16 hex bytes", s)
		}
	})
}

func TestNewSIDIsSID(t *testing.T) {
	for _, prefix := range []string{parley.PrefixAccount, parley.PrefixConversation, parley.PrefixMessage} {
		if s := parley.NewSID(prefix); !parley.IsSID(s, prefix) {
			t.Errorf("NewSID(%q) = %q, which IsSID refuses", prefix, s)
		}
	}
}
