package parley

import (
	"fmt"
	"testing"
)

func TestSummarizeDelivery(t *testing.T) {
	if got := SummarizeDelivery(nil); got != nil {
		t.Errorf("no receipts: %+v, want nil (rendered null)", got)
	}
	for _, tc := range []struct {
		statuses []string
		want     string
	}{
		// Twilio's documented example: one read, one only sent.
		{[]string{DeliveryRead, DeliverySent}, "{2 all some some none none}"},
		{[]string{DeliveryDelivered, DeliveryDelivered}, "{2 all all none none none}"},
		{[]string{DeliveryFailed}, "{1 none none none all none}"},
		{[]string{DeliveryUndelivered, DeliveryRead, DeliverySent}, "{3 some some some none some}"},
	} {
		if got := fmt.Sprint(*SummarizeDelivery(tc.statuses)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.statuses, got, tc.want)
		}
	}
}
