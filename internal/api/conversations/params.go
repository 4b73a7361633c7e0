package conversations

import (
	"net/http"

	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxAccessPageSize is the spec's PageSize maximum for roles, user
// conversations and participant conversations.
const maxAccessPageSize = 50

// accessParams decodes a list request's parameters and its paging, capped at
// maxAccessPageSize.
func accessParams(w http.ResponseWriter, r *http.Request) (*twilioapi.Params, twilioapi.Paging, error) {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return nil, twilioapi.Paging{}, err
	}
	pg, err := twilioapi.ParsePaging(p, maxAccessPageSize)
	return p, pg, err
}

// repeatedParam returns a repeated parameter, or nil when it was not sent, so
// an update can tell "not given" from "cleared".
func repeatedParam(p *twilioapi.Params, name string) *[]string {
	if !p.Has(name) {
		return nil
	}
	v := p.Strings(name)
	return &v
}

// decodeFields decodes a create or update request and reports the first
// malformed typed parameter once fields has read them all.
func decodeFields[F any](w http.ResponseWriter, r *http.Request, fields func(*twilioapi.Params) F) (F, error) {
	var f F
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return f, err
	}
	f = fields(p)
	return f, p.Err()
}

// nonNilStrings renders a nil list as [] rather than null.
func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
