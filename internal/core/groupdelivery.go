package core

import (
	"context"
	"encoding/json"
	"fmt"

	parley "github.com/parley-dev/parley"
)

// enqueueGroupDelivery enqueues, in the transaction that wrote m, the one
// job that carries m to the phones of group MMS conversation c as one
// group message, keyed by the message so a rerun transaction cannot queue
// it twice. The author must be a member (50513,
// https://www.twilio.com/docs/api/errors/50513); a phone is not sent what
// it wrote. The message goes from the author's projected address, else the
// group's first one, else the first +1 number of the conversation's
// Messaging Service.
func enqueueGroupDelivery(tx parley.Tx, c *parley.Conversation, m *parley.Message) (bool, error) {
	members, err := tx.GroupMembers(c.SID)
	if err != nil {
		return false, err
	}
	author := groupAuthor(members, m.Author)
	if author == nil {
		return false, parley.ParamError(parley.CodeAuthorNotInGroup, "Author", parley.ProblemNone,
			"Author %q is not a member of group MMS conversation %s", m.Author, c.SID)
	}
	d := deliveryJob{AccountSID: m.AccountSID, ConversationSID: c.SID, MessageSID: m.SID}
	for _, p := range members {
		switch b := p.MessagingBinding; {
		case b.IsGroupPhone() && p.SID != author.SID:
			d.Recipients = append(d.Recipients, p.SID)
		case b.ProjectedAddress != nil && d.From == "":
			d.From = *b.ProjectedAddress
		}
	}
	if b := author.MessagingBinding; b.ProjectedAddress != nil {
		d.From = *b.ProjectedAddress
	}
	if d.From == "" {
		if d.From, err = serviceNumber(tx, *c.MessagingServiceSID); err != nil {
			return false, err
		}
	}
	if len(d.Recipients) == 0 || d.From == "" {
		return false, nil
	}
	payload, err := json.Marshal(d)
	if err != nil {
		return false, err
	}
	j := &parley.Job{Kind: ChannelDeliveryJobKind, Key: "deliver/" + m.SID + "/group", Payload: payload, RunAt: tx.Now()}
	return true, tx.EnqueueJob(j)
}

// serviceNumber is the first US or Canadian number in a Messaging
// Service's sender pool ("" when it has none).
func serviceNumber(tx parley.Tx, messagingServiceSID string) (string, error) {
	page, err := tx.ListSenders(messagingServiceSID, parley.PageRequest{Size: 50})
	for _, s := range page.Items {
		if s.Number != nil && isNANP(s.Number.PhoneNumber) {
			return s.Number.PhoneNumber, err
		}
	}
	return "", err
}

// runGroupDelivery sends a group MMS delivery job's message through the
// SMS adapter, when it can carry group MMS, and records each recipient's
// receipt. An adapter that cannot (Twilio's Messages API takes one
// recipient per message) fails them all with parley.GroupUnsupportedCode.
func (a *App) runGroupDelivery(ctx context.Context, d deliveryJob) error {
	gm, err := a.groupOutbound(ctx, d)
	if parley.IsNotFound(err) || (err == nil && len(gm.Recipients) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	adapter := a.channels[parley.BindingSMS]
	if adapter == nil {
		return fmt.Errorf("no channel adapter for %s", parley.BindingSMS)
	}
	var reports []*parley.ChannelReport
	if sender, ok := adapter.(parley.GroupSender); ok {
		if reports, err = sender.SendGroup(ctx, gm); err != nil {
			return err
		}
	} else {
		for _, r := range gm.Recipients {
			reports = append(reports, &parley.ChannelReport{ParticipantSID: r.ParticipantSID,
				Status: parley.DeliveryFailed, ErrorCode: parley.GroupUnsupportedCode})
		}
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		for _, report := range reports {
			r := *report
			r.AccountSID, r.ConversationSID, r.MessageSID, r.Channel = d.AccountSID, d.ConversationSID, d.MessageSID, parley.BindingSMS
			if err := a.applySendReport(ctx, tx, &r); err != nil {
				return err
			}
		}
		return nil
	})
}

// groupOutbound reads what a group delivery job sends: the message, to
// those of its recipients still in the conversation.
func (a *App) groupOutbound(ctx context.Context, d deliveryJob) (*parley.GroupMessage, error) {
	var out *parley.GroupMessage
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		m, err := tx.Message(d.ConversationSID, d.MessageSID)
		if err != nil {
			return err
		}
		out = &parley.GroupMessage{Key: "group/" + m.SID, AccountSID: m.AccountSID, ConversationSID: m.ConversationSID,
			MessageSID: m.SID, From: d.From}
		if m.Body != nil {
			out.Body = *m.Body
		}
		for _, sid := range d.Recipients {
			p, err := tx.Participant(d.ConversationSID, sid)
			if parley.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if p.MessagingBinding.IsGroupPhone() {
				out.Recipients = append(out.Recipients, parley.GroupRecipient{ParticipantSID: p.SID, Address: *p.MessagingBinding.Address})
			}
		}
		return nil
	})
	return out, err
}
