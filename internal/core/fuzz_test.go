package core

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	parley "github.com/parley-dev/parley"
)

// FuzzAttributes: an Attributes value is stored only when it is valid JSON
// within the limit (blank means "{}"); anything else is a 20001 error that
// names the parameter and the problem, so Chat can translate it.
// Seeds: testdata/fuzz/FuzzAttributes.
func FuzzAttributes(f *testing.F) {
	for _, s := range []string{"", " ", "{}", `{"a":[1,2,{"b":null}]}`, "{", "[1,", `"\ud800"`, "1e999", "null", "\xff", strings.Repeat("[", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		const limit = 4 * 1024
		got, err := attributes(&v, limit)
		if err != nil {
			var pe *parley.Error
			pe, _ = err.(*parley.Error)
			if pe == nil || pe.Code != parley.CodeInvalidParameter || pe.Param != "Attributes" || pe.Problem == parley.ProblemNone {
				t.Fatalf("attributes(%q): error %#v", v, err)
			}
			return
		}
		if strings.TrimSpace(v) == "" {
			if got != emptyAttributes {
				t.Fatalf("blank attributes stored as %q", got)
			}
			return
		}
		if got != v || len(got) > limit || !json.Valid([]byte(got)) {
			t.Fatalf("attributes(%q) = %q", v, got)
		}
		// What is stored renders inside a JSON response as a string.
		if _, err := json.Marshal(struct{ A string }{got}); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("stored attributes are not UTF-8: %q", got)
		}
	})
}
