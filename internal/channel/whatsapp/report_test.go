package whatsapp

import (
	"strconv"
	"testing"
)

// The Cloud API's answers: taken, refused (failed with Meta's code), or
// worth another try (an error).
func TestSendReport(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string // status/code, or "error"
	}{
		{200, `{"messaging_product":"whatsapp","messages":[{"id":"wamid.A"}]}`, "sent/0"},
		{400, `{"error":{"message":"Recipient phone number not in allowed list","code":131030}}`, "failed/131030"},
		{401, `{"error":{"message":"Invalid OAuth access token.","code":190}}`, "error"},
		{429, `{"error":{"message":"rate limit","code":130429}}`, "error"},
		{500, `{"error":{"message":"unknown","code":1}}`, "error"},
		{200, `{"messages":[]}`, "error"},
	} {
		r, err := sendReport(tc.status, []byte(tc.body))
		got := "error"
		if err == nil {
			got = r.Status + "/" + strconv.Itoa(r.ErrorCode)
		}
		if got != tc.want {
			t.Errorf("sendReport(%d, %s) = %s, want %s", tc.status, tc.body, got, tc.want)
		}
	}
	if r, _ := sendReport(200, []byte(`{"messages":[{"id":"wamid.A"}]}`)); r.ChannelMessageSID != ChannelMessageSID("wamid.A") || len(r.ChannelMessageSID) != 34 {
		t.Errorf("channel message SID = %s", r.ChannelMessageSID)
	}
}

func TestAddresses(t *testing.T) {
	if got := waID("whatsapp:+15558675310"); got != "15558675310" {
		t.Errorf("waID = %s", got)
	}
	if got := address("+1 555-867-5310"); got != "whatsapp:+15558675310" {
		t.Errorf("address = %s", got)
	}
}
