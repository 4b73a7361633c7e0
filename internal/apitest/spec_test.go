package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// The validator must reject what Twilio would never send, or it proves nothing.
func TestSpecRejectsNonConformingBodies(t *testing.T) {
	spec, err := LoadSpec("twilio_conversations_v1")
	if err != nil {
		t.Fatal(err)
	}
	good := `{"sid":"US00000000000000000000000000000000","account_sid":"AC00000000000000000000000000000000",
		"chat_service_sid":"IS00000000000000000000000000000000","role_sid":null,"identity":"a","friendly_name":null,
		"attributes":"{}","is_online":null,"is_notifiable":null,"date_created":"2015-12-16T22:18:37Z",
		"date_updated":"2015-12-16T22:18:37Z","url":"https://conversations.twilio.com/v1/Users/US00000000000000000000000000000000","links":{}}`
	header := http.Header{"Content-Type": {"application/json"}}
	if _, err := spec.Validate("GET", "/v1/Users/US00000000000000000000000000000000", "", 200, header, []byte(good)); err != nil {
		t.Fatalf("conforming body rejected: %v", err)
	}
	for name, bad := range map[string]string{
		"sid pattern":   strings.Replace(good, `"sid":"US`, `"sid":"XX`, 1),
		"date format":   strings.Replace(good, `"date_created":"2015-12-16T22:18:37Z"`, `"date_created":"yesterday"`, 1),
		"type mismatch": strings.Replace(good, `"is_online":null`, `"is_online":"yes"`, 1),
	} {
		if _, err := spec.Validate("GET", "/v1/Users/US00000000000000000000000000000000", "", 200, header, []byte(bad)); err == nil {
			t.Errorf("%s: non-conforming body accepted", name)
		}
	}
	if _, err := spec.Validate("GET", "/v1/Users/US00000000000000000000000000000000", "", 201, header, []byte(good)); err == nil {
		t.Errorf("undocumented status accepted")
	}
	if _, err := spec.Validate("GET", "/v1/Nope", "", 200, header, []byte(good)); err == nil {
		t.Errorf("unknown operation accepted")
	}
	if _, err := spec.Validate("GET", "/v1/Users/x", "", 404, header, []byte(`{"code":20404,"message":"x","status":404}`)); err == nil {
		t.Errorf("error body without more_info accepted")
	}
}

// The 2010 spec's dates are RFC 2822; an RFC 3339 date there is a fault.
func TestSpec2010RejectsOtherDates(t *testing.T) {
	spec, err := LoadSpec("twilio_api_v2010_accounts_keys_numbers")
	if err != nil {
		t.Fatal(err)
	}
	path := "/2010-04-01/Accounts/AC00000000000000000000000000000000/Keys/SK00000000000000000000000000000000.json"
	good := `{"sid":"SK00000000000000000000000000000000","friendly_name":null,"date_created":"Mon, 30 Nov 2026 01:49:02 +0000","date_updated":"Mon, 30 Nov 2026 01:49:02 +0000"}`
	header := http.Header{"Content-Type": {"application/json"}}
	if _, err := spec.Validate("GET", path, "", 200, header, []byte(good)); err != nil {
		t.Fatalf("conforming body rejected: %v", err)
	}
	bad := strings.Replace(good, `"date_created":"Mon, 30 Nov 2026 01:49:02 +0000"`, `"date_created":"2026-11-30T01:49:02Z"`, 1)
	if _, err := spec.Validate("GET", path, "", 200, header, []byte(bad)); err == nil {
		t.Error("an RFC 3339 date passed as RFC 2822")
	}
}
