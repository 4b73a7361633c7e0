package importer

import (
	"context"
	"slices"

	parley "github.com/parley-dev/parley"
)

// wireWebhookConfig is the account's (/v1/Configuration/Webhooks) or a
// service's (/v1/Services/{IS}/Configuration/Webhooks) webhook
// configuration (https://www.twilio.com/docs/conversations/api/conversation-webhook-resource).
type wireWebhookConfig struct {
	Method         string   `json:"method"`
	Filters        []string `json:"filters"`
	PreWebhookURL  *string  `json:"pre_webhook_url"`
	PostWebhookURL *string  `json:"post_webhook_url"`
	Target         string   `json:"target"`
}

// webhookConfig copies the account's (service "") or a service's webhook
// configuration when the target's differs, so a re-run writes nothing.
func (im *Importer) webhookConfig(ctx context.Context, service string) error {
	path := "/v1/Configuration/Webhooks"
	if service != "" {
		path = pathf("/v1/Services/%s/Configuration/Webhooks", service)
	}
	var w wireWebhookConfig
	if err := im.Source.Get(ctx, path, &w); err != nil {
		return err
	}
	want := &parley.WebhookConfig{AccountSID: im.AccountSID, ServiceSID: service, Method: w.Method,
		Filters: w.Filters, PreWebhookURL: w.PreWebhookURL, PostWebhookURL: w.PostWebhookURL, Target: w.Target}
	if want.Method == "" {
		want.Method = "POST"
	}
	if want.Filters == nil {
		want.Filters = []string{}
	}
	return im.counted(ctx, "webhook configurations", func(tx parley.Tx, n *Count) error {
		have, err := tx.WebhookConfig(im.AccountSID, service)
		if err != nil && !parley.IsNotFound(err) {
			return err
		}
		if err == nil && sameWebhooks(have, want) {
			n.Existing++
			return nil
		}
		n.Copied++
		if im.DryRun {
			return nil
		}
		want.DateUpdated = tx.Now()
		return tx.PutWebhookConfig(want)
	})
}

func sameWebhooks(a, b *parley.WebhookConfig) bool {
	eq := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Method == b.Method && slices.Equal(a.Filters, b.Filters) && a.Target == b.Target &&
		eq(a.PreWebhookURL, b.PreWebhookURL) && eq(a.PostWebhookURL, b.PostWebhookURL)
}
