package core

import (
	"context"
	"regexp"
	"strings"

	parley "github.com/parley-dev/parley"
)

// maxNumberNameLength is the IncomingPhoneNumber FriendlyName limit ("up to
// 64 characters", https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource).
const maxNumberNameLength = 64

// numberFilter is the list filter's alphabet: part of a number, '*' for a digit.
var numberFilter = regexp.MustCompile(`^\+?[0-9*]+$`)

// ownedAccount is an account the principal may provision numbers and
// services in: its own or one of its sub-accounts. Unlike managed, a
// Standard API key may (only the Accounts and Keys resources need a Main
// key, https://www.twilio.com/docs/iam/api-keys/keys-in-console).
func ownedAccount(tx parley.Tx, p *parley.Principal, sid string) (*parley.Account, error) {
	acct, err := tx.Account(sid)
	if err != nil {
		return nil, err
	}
	if acct.SID != p.Account.SID && acct.OwnerAccountSID != p.Account.SID {
		return nil, parley.NotFound("Account", sid)
	}
	return acct, nil
}

// defaultNumberName is Twilio's default friendly name, "a formatted version
// of the new phone number": (415) 555-0100 for North American numbers, the
// E.164 form for others.
func defaultNumberName(number string) string {
	if len(number) == 12 && strings.HasPrefix(number, "+1") {
		return "(" + number[2:5] + ") " + number[5:8] + "-" + number[8:]
	}
	return number
}

// CreatePhoneNumber provisions a number for an account, instantly: Parley
// buys nothing, so any E.164 number no other account owns is available.
func (a *App) CreatePhoneNumber(ctx context.Context, accountSID string, number, name *string) (*parley.PhoneNumber, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if number == nil || *number == "" {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "PhoneNumber is required (AreaCode is not supported)")
	}
	if !isE164(*number) {
		return nil, parley.Errorf(parley.CodePhoneNumberInvalid, "PhoneNumber %s is invalid: it must be in E.164 format", *number)
	}
	if err := maxLength("FriendlyName", name, maxNumberNameLength); err != nil {
		return nil, err
	}
	n := &parley.PhoneNumber{SID: parley.NewSID(parley.PrefixPhoneNumber), PhoneNumber: *number, FriendlyName: defaultNumberName(*number)}
	if name = nonEmpty(name); name != nil {
		n.FriendlyName = *name
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := ownedAccount(tx, p, accountSID)
		if err != nil {
			return err
		}
		n.AccountSID, n.DateCreated, n.DateUpdated = acct.SID, tx.Now(), tx.Now()
		return tx.CreatePhoneNumber(n)
	})
	return n, err
}

// PhoneNumber fetches one of an account's numbers.
func (a *App) PhoneNumber(ctx context.Context, accountSID, sid string) (*parley.PhoneNumber, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var n *parley.PhoneNumber
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		acct, err := ownedAccount(tx, p, accountSID)
		if err != nil {
			return err
		}
		n, err = tx.PhoneNumber(acct.SID, sid)
		return err
	})
	return n, err
}

// PhoneNumbers lists an account's numbers.
func (a *App) PhoneNumbers(ctx context.Context, accountSID string, f parley.PhoneNumberFilter, pr parley.PageRequest) (parley.Page[*parley.PhoneNumber], error) {
	p, err := principal(ctx)
	if err != nil {
		return parley.Page[*parley.PhoneNumber]{}, err
	}
	var page parley.Page[*parley.PhoneNumber]
	if f.PhoneNumber != nil && !numberFilter.MatchString(*f.PhoneNumber) {
		return page, parley.Errorf(parley.CodeInvalidParameter, "PhoneNumber filter may hold only digits, '+' and '*'")
	}
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		acct, err := ownedAccount(tx, p, accountSID)
		if err != nil {
			return err
		}
		page, err = tx.ListPhoneNumbers(acct.SID, f, pr)
		return err
	})
	return page, err
}

// UpdatePhoneNumber renames a number; an empty name restores the default.
func (a *App) UpdatePhoneNumber(ctx context.Context, accountSID, sid string, name *string) (*parley.PhoneNumber, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := maxLength("FriendlyName", name, maxNumberNameLength); err != nil {
		return nil, err
	}
	var n *parley.PhoneNumber
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := ownedAccount(tx, p, accountSID)
		if err != nil {
			return err
		}
		if n, err = tx.PhoneNumber(acct.SID, sid); err != nil {
			return err
		}
		if name != nil {
			n.FriendlyName, n.DateUpdated = defaultNumberName(n.PhoneNumber), tx.Now()
			if *name != "" {
				n.FriendlyName = *name
			}
		}
		return tx.UpdatePhoneNumber(n)
	})
	return n, err
}

// DeletePhoneNumber releases a number; another account may then take it.
func (a *App) DeletePhoneNumber(ctx context.Context, accountSID, sid string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		acct, err := ownedAccount(tx, p, accountSID)
		if err != nil {
			return err
		}
		return tx.DeletePhoneNumber(acct.SID, sid)
	})
}
