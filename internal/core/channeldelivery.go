package core

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	parley "github.com/parley-dev/parley"
)

// ChannelDeliveryJobKind is the durable job that carries one message to
// one non-chat participant through the adapter of its channel.
const ChannelDeliveryJobKind = "channel.deliver"

// deliveryJob is a ChannelDeliveryJobKind job's payload. A group MMS
// delivery (one job per message) names its sender and recipients instead
// of one participant.
type deliveryJob struct {
	AccountSID      string   `json:"account_sid"`
	ConversationSID string   `json:"conversation_sid"`
	MessageSID      string   `json:"message_sid"`
	ParticipantSID  string   `json:"participant_sid,omitempty"`
	From            string   `json:"from,omitempty"`
	Recipients      []string `json:"recipients,omitempty"`
}

// WithChannels sets the adapter of each binding type (parley.BindingSMS,
// parley.BindingWhatsApp) and what to wake when deliveries are enqueued.
func WithChannels(adapters map[string]parley.ChannelAdapter, wake parley.Notifier) Option {
	return func(a *App) { a.channels, a.channelWake = adapters, wake }
}

// enqueueDeliveries enqueues, in the transaction that wrote m, one delivery
// job per non-chat participant of c except m's author. The job's key is the
// delivery's, so a rerun transaction cannot queue a delivery twice. It
// reports whether it queued any.
func enqueueDeliveries(tx parley.Tx, c *parley.Conversation, m *parley.Message) (bool, error) {
	if c.MessagingServiceSID == nil {
		return false, nil // no non-chat participant can be in it: no query on the chat-only path
	}
	parts, err := tx.ChannelParticipants(c.SID)
	if err != nil || len(parts) == 0 {
		return false, err
	}
	if parts[0].MessagingBinding.IsGroupPhone() { // a group has no other kind of phone
		return enqueueGroupDelivery(tx, c, m)
	}
	queued := false
	for _, p := range parts {
		if p.MessagingBinding == nil || p.MessagingBinding.Address == nil || *p.MessagingBinding.Address == m.Author {
			continue
		}
		payload, err := json.Marshal(deliveryJob{AccountSID: m.AccountSID, ConversationSID: c.SID, MessageSID: m.SID, ParticipantSID: p.SID})
		if err != nil {
			return false, err
		}
		j := &parley.Job{Kind: ChannelDeliveryJobKind, Key: "deliver/" + parley.DeliveryKey(m.SID, p.SID), Payload: payload, RunAt: tx.Now()}
		if err := tx.EnqueueJob(j); err != nil {
			return false, err
		}
		queued = true
	}
	return queued, nil
}

// wakeChannels tells the job worker that deliveries were committed.
func (a *App) wakeChannels(queued bool) {
	if queued && a.channelWake != nil {
		a.channelWake.Notify()
	}
}

// RunChannelDelivery is the handler of ChannelDeliveryJobKind: it sends the
// message through its channel's adapter and records the receipt. A message
// or participant deleted meanwhile has nothing left to deliver.
func (a *App) RunChannelDelivery(ctx context.Context, j *parley.Job) error {
	var d deliveryJob
	if err := json.Unmarshal(j.Payload, &d); err != nil {
		return fmt.Errorf("channel delivery payload: %w", err)
	}
	if len(d.Recipients) > 0 {
		return a.runGroupDelivery(ctx, d)
	}
	out, refused, err := a.outbound(ctx, d)
	if parley.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	report, err := a.send(ctx, out, refused)
	if err != nil {
		return err
	}
	report.AccountSID, report.ConversationSID = d.AccountSID, d.ConversationSID
	report.MessageSID, report.ParticipantSID, report.Channel = d.MessageSID, d.ParticipantSID, out.Channel
	return a.store.Write(ctx, func(tx parley.Tx) error { return a.applySendReport(ctx, tx, report) })
}

// applySendReport records a channel's answer to a send. A channel that
// took the message has sent it; the simulator knows the outcome at once
// and reports it after.
func (a *App) applySendReport(ctx context.Context, tx parley.Tx, report *parley.ChannelReport) error {
	statuses := []string{report.Status}
	if report.Status != parley.DeliverySent && report.Status != parley.DeliveryFailed {
		statuses = []string{parley.DeliverySent, report.Status}
	}
	for _, s := range statuses {
		r := *report
		r.Status = s
		if err := a.applyDeliveryStatus(ctx, tx, &r); err != nil {
			return err
		}
	}
	return nil
}

// send hands out to its channel's adapter, unless the channel refuses it
// (refused is Twilio's error code): then the delivery fails with that code
// at once.
func (a *App) send(ctx context.Context, out *parley.OutboundMessage, refused int) (*parley.ChannelReport, error) {
	if refused != 0 {
		return &parley.ChannelReport{Status: parley.DeliveryFailed, ErrorCode: refused}, nil
	}
	adapter := a.channels[out.Channel]
	if adapter == nil {
		return nil, fmt.Errorf("no channel adapter for %s", out.Channel)
	}
	return adapter.Send(ctx, out)
}

// outbound reads what a delivery job sends, and the error code of the
// channel's refusal (0 when it takes the message).
func (a *App) outbound(ctx context.Context, d deliveryJob) (out *parley.OutboundMessage, refused int, err error) {
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		m, err := tx.Message(d.ConversationSID, d.MessageSID)
		if err != nil {
			return err
		}
		p, err := tx.Participant(d.ConversationSID, d.ParticipantSID)
		if err != nil {
			return err
		}
		b := p.MessagingBinding
		if b == nil || b.Address == nil || b.ProxyAddress == nil {
			return parley.NotFound("Participant", d.ParticipantSID)
		}
		out = &parley.OutboundMessage{Key: parley.DeliveryKey(m.SID, p.SID), AccountSID: m.AccountSID,
			ConversationSID: m.ConversationSID, MessageSID: m.SID, ParticipantSID: p.SID, Channel: b.Type,
			From: *b.ProxyAddress, To: *b.Address}
		refused = channelRefusal(b.Type, m)
		if m.ContentSID != nil {
			out.ContentSID = *m.ContentSID
			if m.ContentVariables != nil {
				out.ContentVariables = *m.ContentVariables
			}
			return nil
		}
		if m.Body != nil {
			out.Body = *m.Body
		}
		out.MediaURLs, out.MediaTypes = a.channelMediaLinks(m, tx.Now())
		if b.Type == parley.BindingEmail {
			return withEmailHeaders(tx, m.ServiceSID, out)
		}
		return nil
	})
	return out, refused, err
}

// DeliveryStatus records a channel's status callback (parley.ChannelReceiver).
func (a *App) DeliveryStatus(ctx context.Context, r *parley.ChannelReport) error {
	return a.store.Write(ctx, func(tx parley.Tx) error { return a.applyDeliveryStatus(ctx, tx, r) })
}

// statusRank orders delivery statuses: a report may only raise a receipt's
// rank, so late, repeated or reordered callbacks change nothing. read
// follows delivered; failed and undelivered are final.
var statusRank = map[string]int{parley.DeliverySent: 1, parley.DeliveryDelivered: 2,
	parley.DeliveryRead: 3, parley.DeliveryFailed: 3, parley.DeliveryUndelivered: 3}

// applyDeliveryStatus moves a delivery's receipt to r's status, when that
// is a step forward, and fires onDeliveryUpdated.
func (a *App) applyDeliveryStatus(ctx context.Context, tx parley.Tx, r *parley.ChannelReport) error {
	if statusRank[r.Status] == 0 {
		return parley.Errorf(parley.CodeInvalidParameter, "unknown delivery status %q", r.Status)
	}
	m, err := tx.Message(r.ConversationSID, r.MessageSID)
	if err != nil {
		return err
	}
	if m.AccountSID != r.AccountSID {
		return parley.NotFound("Message", r.MessageSID)
	}
	old, err := tx.DeliveryReceiptOf(m.SID, r.ParticipantSID)
	switch {
	case err == nil && statusRank[r.Status] <= statusRank[old.Status]:
		return nil
	case err != nil && !parley.IsNotFound(err):
		return err
	}
	now := tx.Now()
	receipt := &parley.DeliveryReceipt{SID: parley.NewSID(parley.PrefixDeliveryReceipt), AccountSID: m.AccountSID,
		ServiceSID: m.ServiceSID, ConversationSID: m.ConversationSID, MessageSID: m.SID, ParticipantSID: r.ParticipantSID,
		ChannelMessageSID: nonEmpty(&r.ChannelMessageSID), Status: r.Status, DateCreated: now, DateUpdated: now}
	if r.Status == parley.DeliveryFailed || r.Status == parley.DeliveryUndelivered {
		receipt.ErrorCode = r.ErrorCode
	}
	if err := tx.UpsertDeliveryReceipt(receipt); err != nil {
		return err
	}
	c, err := tx.Conversation(m.ServiceSID, m.ConversationSID)
	if err != nil {
		return err
	}
	return a.postChannelEvent(tx, m.AccountSID, sourceOf(r),
		&parley.Event{Type: parley.EventDeliveryUpdated, ServiceSID: m.ServiceSID, Conversation: c, Message: m, Receipt: receipt})
}

// postChannelEvent emits an event of something a channel did: the Sync
// projector sees it like any other write's (so SDK clients get inbound
// messages live), and channels always fire webhooks, with the channel as
// Source (https://www.twilio.com/docs/conversations/conversations-webhooks).
func (a *App) postChannelEvent(tx parley.Tx, accountSID, source string, ev *parley.Event) error {
	ev.AccountSID, ev.Source = accountSID, source
	return a.consume(tx, ev, a.hooks != nil)
}

// sourceOf is the webhook Source of a report: its channel's, else by its
// SID's prefix: WA… is WhatsApp, anything else SMS (Twilio's SIDs of
// WhatsApp messages start SM or MM, so its reports name their channel).
func sourceOf(r *parley.ChannelReport) string {
	if r.Channel == "" && strings.HasPrefix(r.ChannelMessageSID, "WA") {
		return "WHATSAPP"
	}
	return sourceOfChannel(r.Channel)
}

// DeliverySummaries are the delivery aggregates of the given messages that
// have receipts (one query for a page of messages).
func (a *App) DeliverySummaries(ctx context.Context, messageSIDs []string) (map[string]*parley.DeliverySummary, error) {
	out := map[string]*parley.DeliverySummary{}
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		statuses, err := tx.DeliveryStatuses(messageSIDs)
		for sid, s := range statuses {
			out[sid] = parley.SummarizeDelivery(s)
		}
		return err
	})
	return out, err
}
