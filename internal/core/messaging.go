package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// maxMessagingNameLength is the Messaging Service FriendlyName limit ("up
// to 64 characters", https://www.twilio.com/docs/messaging/api/service-resource).
const maxMessagingNameLength = 64

// applyMessagingFields validates f and writes what it sets into m.
func applyMessagingFields(m *parley.MessagingService, f parley.MessagingServiceFields) error {
	if f.FriendlyName != nil {
		if *f.FriendlyName == "" {
			return parley.Errorf(parley.CodeInvalidParameter, "FriendlyName is required")
		}
		if err := maxLength("FriendlyName", f.FriendlyName, maxMessagingNameLength); err != nil {
			return err
		}
		m.FriendlyName = *f.FriendlyName
	}
	var err error
	for _, u := range []struct {
		name string
		v    *string
		dst  **string
	}{{"InboundRequestUrl", f.InboundRequestURL, &m.InboundRequestURL}, {"FallbackUrl", f.FallbackURL, &m.FallbackURL},
		{"StatusCallback", f.StatusCallback, &m.StatusCallback}} {
		if u.v != nil {
			if *u.dst, err = webhookURL(u.name, u.v); err != nil {
				return err
			}
		}
	}
	for _, e := range []struct {
		name string
		v    *string
		dst  *string
	}{{"InboundMethod", f.InboundMethod, &m.InboundMethod}, {"FallbackMethod", f.FallbackMethod, &m.FallbackMethod}} {
		if e.v != nil {
			if *e.dst, err = configEnum(e.name, *e.v, "GET", "POST"); err != nil {
				return err
			}
		}
	}
	if f.Usecase != nil && *f.Usecase != "" {
		m.Usecase = *f.Usecase
	}
	return nil
}

// CreateMessagingService makes a Messaging Service with an empty pool.
func (a *App) CreateMessagingService(ctx context.Context, f parley.MessagingServiceFields) (*parley.MessagingService, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if f.FriendlyName == nil {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "FriendlyName is required")
	}
	m := &parley.MessagingService{SID: parley.NewSID(parley.PrefixMessaging), AccountSID: acct.SID,
		InboundMethod: "POST", FallbackMethod: "POST", Usecase: "undeclared"}
	if err := applyMessagingFields(m, f); err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		m.DateCreated, m.DateUpdated = tx.Now(), tx.Now()
		return tx.CreateMessagingService(m)
	})
	return m, err
}

// MessagingService fetches one of the account's Messaging Services.
func (a *App) MessagingService(ctx context.Context, sid string) (*parley.MessagingService, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var m *parley.MessagingService
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		m, err = tx.MessagingService(acct.SID, sid)
		return err
	})
	return m, err
}

// MessagingServices lists the account's Messaging Services.
func (a *App) MessagingServices(ctx context.Context, pr parley.PageRequest) (parley.Page[*parley.MessagingService], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.MessagingService]{}, err
	}
	var page parley.Page[*parley.MessagingService]
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		page, err = tx.ListMessagingServices(acct.SID, pr)
		return err
	})
	return page, err
}

// UpdateMessagingService changes what f sets.
func (a *App) UpdateMessagingService(ctx context.Context, sid string, f parley.MessagingServiceFields) (*parley.MessagingService, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var m *parley.MessagingService
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if m, err = tx.MessagingService(acct.SID, sid); err != nil {
			return err
		}
		if err := applyMessagingFields(m, f); err != nil {
			return err
		}
		m.DateUpdated = tx.Now()
		return tx.UpdateMessagingService(m)
	})
	return m, err
}

// DeleteMessagingService deletes a service and empties its pool; its
// numbers stay with the account. Conversations that name it keep the SID,
// as Twilio's do.
func (a *App) DeleteMessagingService(ctx context.Context, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error { return tx.DeleteMessagingService(acct.SID, sid) })
}

// AddSender puts one of the account's numbers in a service's pool. A
// number serves one service at a time (21710 when it is already in this
// one, 21712 in another); an unknown number SID is 21421
// (https://www.twilio.com/docs/api/errors/21421).
func (a *App) AddSender(ctx context.Context, serviceSID, numberSID string) (*parley.Sender, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	s := &parley.Sender{ServiceSID: serviceSID}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		if _, err := tx.MessagingService(acct.SID, serviceSID); err != nil {
			return err
		}
		n, err := tx.PhoneNumber(acct.SID, numberSID)
		if parley.IsNotFound(err) {
			return parley.Errorf(parley.CodePhoneNumberInvalid, "Phone Number SID %s is invalid", numberSID)
		} else if err != nil {
			return err
		}
		switch holder, err := tx.SenderService(numberSID); {
		case err == nil && holder == serviceSID:
			return parley.Errorf(parley.CodeSenderInService, "Phone Number %s is already in the Messaging Service", n.PhoneNumber)
		case err == nil:
			return parley.Errorf(parley.CodeSenderInOtherService, "Phone Number %s is associated with another Messaging Service", n.PhoneNumber)
		case !parley.IsNotFound(err):
			return err
		}
		s.Number, s.DateCreated = n, tx.Now()
		return tx.AddSender(s)
	})
	return s, err
}

// Sender fetches a number in a service's pool.
func (a *App) Sender(ctx context.Context, serviceSID, numberSID string) (*parley.Sender, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var s *parley.Sender
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		if _, err := tx.MessagingService(acct.SID, serviceSID); err != nil {
			return err
		}
		var err error
		s, err = tx.Sender(serviceSID, numberSID)
		return err
	})
	return s, err
}

// Senders lists a service's pool in the order numbers joined it.
func (a *App) Senders(ctx context.Context, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.Sender], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Sender]{}, err
	}
	var page parley.Page[*parley.Sender]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		if _, err := tx.MessagingService(acct.SID, serviceSID); err != nil {
			return err
		}
		var err error
		page, err = tx.ListSenders(serviceSID, pr)
		return err
	})
	return page, err
}

// RemoveSender takes a number out of a service's pool; the account keeps it.
func (a *App) RemoveSender(ctx context.Context, serviceSID, numberSID string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		if _, err := tx.MessagingService(acct.SID, serviceSID); err != nil {
			return err
		}
		return tx.RemoveSender(serviceSID, numberSID)
	})
}

// checkMessagingService refuses a MessagingServiceSid the account does not
// have (https://www.twilio.com/docs/api/errors/50341); nil passes.
func checkMessagingService(tx parley.Tx, accountSID string, sid *string) error {
	if sid == nil {
		return nil
	}
	_, err := tx.MessagingService(accountSID, *sid)
	if parley.IsNotFound(err) {
		return parley.Errorf(parley.CodeInvalidMessagingService, "Invalid messaging service SID %s", *sid)
	}
	return err
}
