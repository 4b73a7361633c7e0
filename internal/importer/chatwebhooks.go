package importer

import (
	"context"
	"slices"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// wireChannelWebhook is a Chat v2 channel webhook
// (https://www.twilio.com/docs/chat/rest/channel-webhook-resource). Chat
// shows what Conversations' scoped webhooks do not: the retry count, and
// the webhooks of public channels.
type wireChannelWebhook struct {
	SID           string              `json:"sid"`
	Type          string              `json:"type"`
	Configuration wireWebhookSettings `json:"configuration"`
	DateCreated   time.Time           `json:"date_created"`
	DateUpdated   time.Time           `json:"date_updated"`
}

// record is the webhook as a scoped webhook: Chat's event names become
// Conversations' (a media event its message event) and the method is kept
// in lower case, as Conversations stores it.
func (w wireChannelWebhook) record(acct, service, channel string) *parley.ScopedWebhook {
	c := w.Configuration
	var method *string
	if c.Method != nil {
		m := strings.ToLower(*c.Method)
		method = &m
	}
	filters := []string{}
	for _, f := range c.Filters {
		if event, ok := parley.ConversationsEvent(f); ok && !slices.Contains(filters, event) {
			filters = append(filters, event)
		}
	}
	return &parley.ScopedWebhook{SID: w.SID, AccountSID: acct, ServiceSID: service, ConversationSID: channel,
		Target: w.Type, URL: c.URL, Method: method, Filters: filters, Triggers: c.Triggers, FlowSID: c.FlowSID,
		RetryCount: c.RetryCount, DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

// webhookAndRetryFields are the fields compared for a public channel's
// webhook, which only Chat shows: the scoped webhook's and the retry count.
func webhookAndRetryFields(h *parley.ScopedWebhook) map[string]any {
	f := scopedWebhookFields(h)
	f["retry_count"] = h.RetryCount
	return f
}

// publicWebhooks copies a public channel's webhooks through Chat.
func (im *Importer) publicWebhooks(ctx context.Context, service, channel string) error {
	k := im.publicWebhookKind(service, channel)
	return List(ctx, im.Source, pathf("/v2/Services/%s/Channels/%s/Webhooks", service, channel), func(page []wireChannelWebhook) error {
		return syncPage(im, ctx, k, page)
	})
}

// publicWebhookKind copies a public channel's webhook.
func (im *Importer) publicWebhookKind(service, channel string) kind[wireChannelWebhook, *parley.ScopedWebhook] {
	return kind[wireChannelWebhook, *parley.ScopedWebhook]{resource: "conversation webhooks",
		record: func(w wireChannelWebhook) *parley.ScopedWebhook { return w.record(im.AccountSID, service, channel) },
		find: func(tx parley.Tx, w wireChannelWebhook) (*parley.ScopedWebhook, error) {
			return tx.ScopedWebhook(channel, w.SID)
		},
		fields: webhookAndRetryFields,
		create: func(tx parley.Tx, h *parley.ScopedWebhook) error { return tx.CreateScopedWebhook(h) },
		update: func(tx parley.Tx, have, want *parley.ScopedWebhook) error {
			want.Seq, want.ReplayAfter = have.Seq, have.ReplayAfter
			return tx.UpdateScopedWebhook(want)
		}}
}

// retryCounts are the Chat retry counts of a channel's webhooks by SID,
// which Conversations does not show; nil when the source has no Chat.
func (im *Importer) retryCounts(ctx context.Context, service, channel string) (map[string]int64, error) {
	if _, hasChat := im.channels[service]; !hasChat {
		return nil, nil
	}
	counts := map[string]int64{}
	err := List(ctx, im.Source, pathf("/v2/Services/%s/Channels/%s/Webhooks", service, channel), func(page []wireChannelWebhook) error {
		for _, w := range page {
			counts[w.SID] = w.Configuration.RetryCount
		}
		return nil
	})
	return counts, err
}
