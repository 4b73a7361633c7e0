package accounts

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Every 2010 resource here (keys, numbers and accounts themselves) is
// served the same way: core is called (the caller travels in the request's
// context) with the account in the path and the item's {Sid}.json, and the
// result is rendered in the 2010 shape. These helpers are that one shape;
// each resource's file keeps only its JSON, its renderer and the core calls
// it binds.

// itemFunc is core's fetch of one item. accountSID is "" on the Accounts
// resource itself, whose item SID is the account.
type itemFunc[T any] func(ctx context.Context, accountSID, sid string) (*T, error)

// updateFunc is core's update of one item with the request's parameters.
type updateFunc[T any] func(ctx context.Context, accountSID, sid string, params *twilioapi.Params) (*T, error)

// deleteFunc is core's delete of one item.
type deleteFunc func(ctx context.Context, accountSID, sid string) error

// listFunc is core's page of an account's items, filtered by the request's
// parameters.
type listFunc[T any] func(ctx context.Context, accountSID string, params *twilioapi.Params, pr parley.PageRequest) (parley.Page[*T], error)

// listItems serves GET on a list: a page of items under key.
func listItems[T, J any](key string, list listFunc[T], seq func(*T) int64, render func(*T) J) twilioapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
		if err != nil {
			return err
		}
		page, err := list(r.Context(), r.PathValue("AccountSid"), p, pg.Request)
		if err != nil {
			return err
		}
		twilioapi.WriteList2010(w, r, pg, key, page.Items, page.More, seq, render)
		return nil
	}
}

// fetchItem serves GET on one item.
func fetchItem[T, J any](get itemFunc[T], render func(*T) J) twilioapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sid, err := jsonSID(r)
		if err != nil {
			return err
		}
		v, err := get(r.Context(), r.PathValue("AccountSid"), sid)
		return twilioapi.Reply(w, http.StatusOK, err, func() any { return render(v) })
	}
}

// updateItem serves POST on one item.
func updateItem[T, J any](set updateFunc[T], render func(*T) J) twilioapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sid, err := jsonSID(r)
		if err != nil {
			return err
		}
		p, err := twilioapi.ParseParams(w, r)
		if err != nil {
			return err
		}
		v, err := set(r.Context(), r.PathValue("AccountSid"), sid, p)
		return twilioapi.Reply(w, http.StatusOK, err, func() any { return render(v) })
	}
}

// deleteItem serves DELETE on one item.
func deleteItem(del deleteFunc) twilioapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sid, err := jsonSID(r)
		if err != nil {
			return err
		}
		return twilioapi.NoContent(w, del(r.Context(), r.PathValue("AccountSid"), sid))
	}
}

// renamed is an update that takes FriendlyName alone, as keys and numbers do.
func renamed[T any](rename func(ctx context.Context, accountSID, sid string, name *string) (*T, error)) updateFunc[T] {
	return func(ctx context.Context, accountSID, sid string, params *twilioapi.Params) (*T, error) {
		return rename(ctx, accountSID, sid, params.String("FriendlyName"))
	}
}
