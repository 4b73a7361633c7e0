package parley

import "time"

// Delivery receipt statuses, in the order a channel usually reports them;
// failed and undelivered are final failures.
const (
	DeliverySent        = "sent"
	DeliveryDelivered   = "delivered"
	DeliveryRead        = "read"
	DeliveryFailed      = "failed"
	DeliveryUndelivered = "undelivered"
)

// DeliveryReceipt is the latest delivery status of one message to one
// non-chat participant (https://www.twilio.com/docs/conversations/delivery-receipts):
// a later status overwrites the earlier one.
type DeliveryReceipt struct {
	Seq               int64
	SID               string
	AccountSID        string
	ServiceSID        string
	ConversationSID   string
	MessageSID        string
	ParticipantSID    string
	ChannelMessageSID *string
	Status            string
	// ErrorCode is the channel's error for failed and undelivered, else 0.
	ErrorCode   int
	DateCreated time.Time
	DateUpdated time.Time
}

// Delivery aggregate levels: whether all, some or none of a message's
// receipts reached a status.
const (
	DeliveryAll  = "all"
	DeliverySome = "some"
	DeliveryNone = "none"
)

// DeliverySummary is a message's delivery aggregate, Twilio's `delivery`
// field: Total receipts (one per non-chat recipient) and, per status,
// whether all, some or none of them reached it.
type DeliverySummary struct {
	Total       int
	Sent        string
	Delivered   string
	Read        string
	Failed      string
	Undelivered string
}

// SummarizeDelivery aggregates the latest statuses of a message's receipts;
// nil when there are none (a chat-only conversation), which renders as null.
// Only the latest status is kept, so statuses count cumulatively: a read
// message was also delivered and sent.
func SummarizeDelivery(statuses []string) *DeliverySummary {
	if len(statuses) == 0 {
		return nil
	}
	var sent, delivered, read, failed, undelivered int
	for _, s := range statuses {
		switch s {
		case DeliveryRead:
			read++
			fallthrough
		case DeliveryDelivered:
			delivered++
			fallthrough
		case DeliverySent:
			sent++
		case DeliveryFailed:
			failed++
		case DeliveryUndelivered:
			undelivered++
		}
	}
	total := len(statuses)
	level := func(n int) string {
		switch n {
		case 0:
			return DeliveryNone
		case total:
			return DeliveryAll
		}
		return DeliverySome
	}
	return &DeliverySummary{Total: total, Sent: level(sent), Delivered: level(delivered), Read: level(read),
		Failed: level(failed), Undelivered: level(undelivered)}
}

// ReceiptTx keeps delivery receipts.
type ReceiptTx interface {
	// UpsertDeliveryReceipt records the latest status of a message for a
	// participant: the first call creates the receipt (r.SID, r.Seq and
	// r.DateCreated are filled from the stored row on later calls, which
	// keep the receipt's SID and creation date and overwrite the rest).
	UpsertDeliveryReceipt(r *DeliveryReceipt) error
	DeliveryReceipt(messageSID, sid string) (*DeliveryReceipt, error)
	// ListDeliveryReceipts pages a message's receipts in creation order.
	ListDeliveryReceipts(messageSID string, p PageRequest) (Page[*DeliveryReceipt], error)
	// DeliveryStatuses returns the receipt statuses of each of the given
	// messages that has receipts (one query for a page of messages), the
	// input of SummarizeDelivery.
	DeliveryStatuses(messageSIDs []string) (map[string][]string, error)
}
