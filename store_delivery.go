package parley

// DeliveryTx is the part of Tx for push bindings and delivery receipts.
type DeliveryTx interface {
	CreateBinding(b *Binding) error
	Binding(serviceSID, sid string) (*Binding, error)
	// ListBindings pages a service's bindings in creation order.
	ListBindings(serviceSID string, f BindingFilter, p PageRequest) (Page[*Binding], error)
	DeleteBinding(serviceSID, sid string) error

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
