package twilio

import (
	"strconv"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
)

// The Messages API's answers: taken, refused (failed with Twilio's code),
// or worth another try (an error).
func TestSendReport(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string // status/code, or "error"
	}{
		{201, `{"sid":"SM00000000000000000000000000000001","status":"queued","error_code":null}`, "sent/0"},
		{201, `{"sid":"SM00000000000000000000000000000001","status":"failed","error_code":30007}`, "failed/30007"},
		{400, `{"code":21211,"message":"Invalid 'To' Phone Number","status":400}`, "failed/21211"},
		{400, `not json`, "error"},
		{401, `{"code":20003,"message":"Authenticate","status":401}`, "error"},
		{429, `{"code":20429,"message":"Too Many Requests","status":429}`, "error"},
		{503, `{"code":20500,"message":"Service Unavailable","status":503}`, "error"},
		{201, `{}`, "error"},
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
}

func TestDeliveryStatus(t *testing.T) {
	want := map[string]string{"queued": "", "accepted": "", "sending": "", "sent": parley.DeliverySent,
		"delivered": parley.DeliveryDelivered, "read": parley.DeliveryRead, "undelivered": parley.DeliveryUndelivered,
		"failed": parley.DeliveryFailed, "canceled": parley.DeliveryFailed, "received": ""}
	for in, w := range want {
		if got, ok := channel.DeliveryStatus(in); got != w || ok != (w != "") {
			t.Errorf("DeliveryStatus(%s) = %s, %v, want %s", in, got, ok, w)
		}
	}
}
