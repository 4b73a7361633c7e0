// Package simulator is Parley's default channel adapter: a simulated
// network of phones. A delivery lands in the phone's inbox (a store row,
// keyed by the delivery so a retried job is carried once) with the outcome
// set for that phone: delivered unless told otherwise.
package simulator

import (
	"context"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Default errors of simulated failures: 30008 "Unknown error" for failed
// and 30003 "Unreachable destination handset" for undelivered
// (https://www.twilio.com/docs/api/errors/30008,
// https://www.twilio.com/docs/api/errors/30003).
const (
	DefaultFailedCode      = 30008
	DefaultUndeliveredCode = 30003
)

// Adapter is the simulator as a parley.ChannelAdapter.
type Adapter struct{ store parley.Store }

// New returns the simulator over store.
func New(store parley.Store) *Adapter { return &Adapter{store: store} }

// Send records m in the recipient's inbox with the phone's outcome. A key
// sent before answers the first run's record, without a second message.
func (s *Adapter) Send(ctx context.Context, m *parley.OutboundMessage) (*parley.ChannelReport, error) {
	var report *parley.ChannelReport
	err := s.store.Write(ctx, func(tx parley.Tx) (err error) {
		msg := &parley.SimulatedMessage{SID: parley.NewSID(MessagePrefix(m.To)), AccountSID: m.AccountSID,
			From: m.From, To: m.To, Body: m.Body, MediaURLs: m.MediaURLs}
		report, err = carry(tx, msg, m.Key, m.ConversationSID)
		return err
	})
	return report, err
}

// SendGroup carries a group MMS (parley.GroupSender): each recipient's
// inbox gets it, with every recipient listed, under the recipient's own
// delivery key and with the phone's outcome, all in one write.
func (s *Adapter) SendGroup(ctx context.Context, m *parley.GroupMessage) ([]*parley.ChannelReport, error) {
	all := make([]string, len(m.Recipients))
	for i, r := range m.Recipients {
		all[i] = r.Address
	}
	var reports []*parley.ChannelReport
	err := s.store.Write(ctx, func(tx parley.Tx) error {
		reports = reports[:0]
		for _, r := range m.Recipients {
			msg := &parley.SimulatedMessage{SID: parley.NewSID(MessagePrefix(r.Address)), AccountSID: m.AccountSID,
				From: m.From, To: r.Address, Recipients: all, Body: m.Body, MediaURLs: m.MediaURLs}
			report, err := carry(tx, msg, parley.DeliveryKey(m.MessageSID, r.ParticipantSID), m.ConversationSID)
			if err != nil {
				return err
			}
			report.ParticipantSID = r.ParticipantSID
			reports = append(reports, report)
		}
		return nil
	})
	return reports, err
}

// carry records msg, a delivery of conversation's message under key, in
// its recipient's inbox with the phone's outcome, and reports it.
func carry(tx parley.Tx, msg *parley.SimulatedMessage, key, conversation string) (*parley.ChannelReport, error) {
	status, code, err := Outcome(tx.SimulatedPhone(msg.AccountSID, msg.To))
	if err != nil {
		return nil, err
	}
	msg.Direction, msg.Status, msg.ErrorCode = parley.SimulatedToPhone, status, code
	msg.Key, msg.ConversationSID, msg.DateCreated = &key, &conversation, tx.Now()
	if _, err := tx.RecordSimulatedMessage(msg); err != nil {
		return nil, err
	}
	return &parley.ChannelReport{ChannelMessageSID: msg.SID, Status: msg.Status, ErrorCode: msg.ErrorCode}, nil
}

// Outcome is what the network does with a delivery to a phone, given the
// lookup of its settings: delivered when it has none. Only WhatsApp
// reports read, so an SMS phone set to read reports delivered.
func Outcome(p *parley.SimulatedPhone, err error) (status string, code int, _ error) {
	switch {
	case parley.IsNotFound(err):
		return parley.DeliveryDelivered, 0, nil
	case err != nil:
		return "", 0, err
	case p.Outcome == parley.DeliveryRead && !IsWhatsApp(p.Address):
		return parley.DeliveryDelivered, 0, nil
	}
	return p.Outcome, p.ErrorCode, nil
}

// IsWhatsApp reports whether address is a WhatsApp one.
func IsWhatsApp(address string) bool { return strings.HasPrefix(address, parley.WhatsAppPrefix) }

// IsEmail reports whether address is an email one (the simulator's inboxes
// hold mail too).
func IsEmail(address string) bool { return strings.Contains(address, "@") }

// Kind is the channel of an address: parley.BindingWhatsApp,
// parley.BindingEmail or parley.BindingSMS.
func Kind(address string) string {
	switch {
	case IsWhatsApp(address):
		return parley.BindingWhatsApp
	case IsEmail(address):
		return parley.BindingEmail
	}
	return parley.BindingSMS
}

// MessagePrefix is the channel message SID prefix of a message to or from
// address: WA for WhatsApp, SM for SMS, as the receipt's
// channel_message_sid describes them
// (https://www.twilio.com/docs/conversations/api/receipt-resource), and
// EM for email, as the email adapter's.
func MessagePrefix(address string) string {
	switch Kind(address) {
	case parley.BindingWhatsApp:
		return "WA"
	case parley.BindingEmail:
		return "EM"
	}
	return "SM"
}
