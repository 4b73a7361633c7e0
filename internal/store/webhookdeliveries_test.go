package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
)

// The inspector's table keeps each account's newest records only, updates
// a delivery's record in place, and keeps accounts apart.
func TestWebhookDeliveriesBoundedPerAccount(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db, err := store.Open(ctx, apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rec := func(acct string, n, attempts int) parley.WebhookDelivery {
			status := 500
			errText := "HTTP 500 \x00"
			return parley.WebhookDelivery{AccountSID: acct, Kind: "post", Event: "onMessageAdded", URL: "http://127.0.0.1/hook",
				Method: "POST", Attempts: attempts, LastStatus: &status, LastError: &errText, Token: fmt.Sprintf("t%d", n),
				RequestID: "RQ00000000000000000000000000000000", Date: time.Unix(int64(n), 0)}
		}
		for n := 1; n <= 5; n++ {
			if err := db.SaveWebhookDeliveries(ctx, []parley.WebhookDelivery{rec("ACa", n, 1)}, 3); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveWebhookDeliveries(ctx, []parley.WebhookDelivery{rec("ACb", 1, 1), rec("ACa", 4, 2)}, 3); err != nil {
			t.Fatal(err)
		}
		got, err := db.RecentWebhookDeliveries(ctx, "ACa", 10)
		if err != nil {
			t.Fatal(err)
		}
		var tokens []string
		for _, d := range got {
			tokens = append(tokens, fmt.Sprintf("%s/%d", d.Token, d.Attempts))
		}
		if fmt.Sprint(tokens) != "[t5/1 t4/2 t3/1]" {
			t.Errorf("account a keeps %v, want its 3 newest with t4 updated in place", tokens)
		}
		if *got[0].LastError != "HTTP 500 " || *got[0].LastStatus != 500 || got[0].RequestID == "" {
			t.Errorf("record = %+v", got[0])
		}
		if other, err := db.RecentWebhookDeliveries(ctx, "ACb", 10); err != nil || len(other) != 1 {
			t.Errorf("account b: %v, %v", other, err)
		}
	})
}
