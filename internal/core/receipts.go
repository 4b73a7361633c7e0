package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// message resolves a message of a conversation addressed by SID or unique name.
func (a *App) message(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, conversationID, messageSID string) (*parley.Message, error) {
	c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
	if err != nil {
		return nil, err
	}
	return tx.Message(c.SID, messageSID)
}

// ListDeliveryReceipts lists a message's delivery receipts, one per non-chat
// participant, oldest first.
func (a *App) ListDeliveryReceipts(ctx context.Context, serviceSID, conversationID, messageSID string, pr parley.PageRequest) (parley.Page[*parley.DeliveryReceipt], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.DeliveryReceipt]{}, err
	}
	var page parley.Page[*parley.DeliveryReceipt]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		m, err := a.message(ctx, tx, acct, serviceSID, conversationID, messageSID)
		if err != nil {
			return err
		}
		page, err = tx.ListDeliveryReceipts(m.SID, pr)
		return err
	})
	return page, err
}

// DeliveryReceipt fetches one delivery receipt of a message.
func (a *App) DeliveryReceipt(ctx context.Context, serviceSID, conversationID, messageSID, sid string) (*parley.DeliveryReceipt, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var r *parley.DeliveryReceipt
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		m, err := a.message(ctx, tx, acct, serviceSID, conversationID, messageSID)
		if err != nil {
			return err
		}
		r, err = tx.DeliveryReceipt(m.SID, sid)
		return err
	})
	return r, err
}
