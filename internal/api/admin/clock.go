package admin

import (
	"context"
	"net/http"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Clock is the virtual clock as the API moves it.
type Clock interface {
	Now() time.Time
	// MoveTo moves the clock forward to t and returns once everything the
	// move made due (conversation timers) has happened.
	MoveTo(ctx context.Context, t time.Time) (time.Time, error)
}

// clockJSON is the clock resource.
type clockJSON struct {
	Mode string `json:"mode"`
	Now  string `json:"now"`
	URL  string `json:"url"`
}

func clockBody(now time.Time) clockJSON {
	return clockJSON{Mode: "virtual", Now: now.UTC().Format(time.RFC3339Nano), URL: "/parley/v1/Clock"}
}

// virtualClock is the configured virtual clock, or the 409 that explains
// how to get one.
func (a *API) virtualClock() (Clock, error) {
	if a.clock == nil {
		return nil, parley.Errorf(parley.CodeClockNotVirtual,
			"Parley is running on the real clock, which cannot be moved; start it with --clock virtual (PARLEY_CLOCK=virtual)")
	}
	return a.clock, nil
}

// getClock answers the virtual clock's time.
func (a *API) getClock(w http.ResponseWriter, r *http.Request) error {
	c, err := a.virtualClock()
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return clockBody(c.Now()) })
}

// moveClock moves the virtual clock by Advance (an ISO 8601 duration such
// as PT15M) or to Time (RFC 3339), never backwards, and answers once the
// timers that came due have fired. The clock is the whole server's, so only
// a main account moves it: a sub-account's tenant must not move time under
// its siblings.
func (a *API) moveClock(w http.ResponseWriter, r *http.Request) error {
	c, err := a.virtualClock()
	if err != nil {
		return err
	}
	if acct := twilioapi.Account(r); acct == nil || !acct.IsRoot() {
		return parley.Errorf(parley.CodeForbidden,
			"The clock is shared by every account on this server; only a main account may move it")
	}
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	advance, at := p.String("Advance"), p.Time("Time")
	if err := p.Err(); err != nil {
		return err
	}
	var to time.Time
	switch {
	case (advance == nil) == (at == nil):
		return parley.Errorf(parley.CodeInvalidParameter, "Send exactly one of Advance (an ISO 8601 duration such as PT15M) or Time (RFC 3339)")
	case advance != nil:
		d, ok := clock.ParseDuration(*advance)
		if !ok {
			return parley.Errorf(parley.CodeInvalidParameter, "Advance must be a positive ISO 8601 duration such as PT15M or P1DT2H, got %q", *advance)
		}
		to = c.Now().Add(d)
	default:
		to = *at
	}
	now, err := c.MoveTo(r.Context(), to)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return clockBody(now) })
}
