// Package simulator serves the phone simulator under /parley/v1/Simulator:
// what the simulated network carried, each phone's inbox, messages sent
// from phones into Parley, and the outcome the network gives deliveries to
// a phone. Same account authentication as the rest of /parley/v1; every
// account sees only its own phones.
package simulator

import (
	"context"
	"net/http"
	"strconv"

	parley "github.com/parley-dev/parley"
	channel "github.com/parley-dev/parley/internal/channel/simulator"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxPageSize bounds a page of simulated messages.
const maxPageSize = 1000

// maxBodyBytes is the most a simulated phone may send: Twilio's limit of a
// message body (https://www.twilio.com/docs/api/errors/21617).
const maxBodyBytes = 1600

// Domain is what the simulator API needs of the domain (core.App).
type Domain interface {
	parley.ChannelReceiver
	ListSimulatedMessages(ctx context.Context, f parley.SimulatorFilter, pr parley.PageRequest) (parley.Page[*parley.SimulatedMessage], error)
	SimulatedPhone(ctx context.Context, address string) (*parley.SimulatedPhone, error)
	SetSimulatedPhone(ctx context.Context, p *parley.SimulatedPhone) error
	RecordSimulatedMessage(ctx context.Context, m *parley.SimulatedMessage) error
}

// API serves /parley/v1/Simulator.
type API struct {
	domain    Domain
	publicURL string
}

// New returns the simulator API over the domain.
func New(d Domain, publicURL string) *API { return &API{domain: d, publicURL: publicURL} }

// Register adds the simulator's routes to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt.Handle("GET", "/parley/v1/Simulator/Messages", a.listMessages)
	rt.Handle("POST", "/parley/v1/Simulator/Messages", a.sendFromPhone)
	rt.Handle("GET", "/parley/v1/Simulator/Phones/{Address}/Messages", a.inbox)
	rt.Handle("GET", "/parley/v1/Simulator/Phones/{Address}", a.fetchPhone)
	rt.Handle("POST", "/parley/v1/Simulator/Phones/{Address}", a.setPhone)
}

type messageJSON struct {
	SID             string         `json:"sid"`
	AccountSID      string         `json:"account_sid"`
	Direction       string         `json:"direction"`
	From            string         `json:"from"`
	To              string         `json:"to"`
	Recipients      []string       `json:"recipients"`
	Body            string         `json:"body"`
	MediaURLs       []string       `json:"media_urls"`
	Status          string         `json:"status"`
	ErrorCode       *int           `json:"error_code"`
	ConversationSID *string        `json:"conversation_sid"`
	Reason          *string        `json:"reason"`
	DateCreated     twilioapi.Time `json:"date_created"`
}

func renderMessage(m *parley.SimulatedMessage) messageJSON {
	out := messageJSON{SID: m.SID, AccountSID: m.AccountSID, Direction: m.Direction, From: m.From, To: m.To,
		Recipients: append([]string{}, m.Recipients...), Body: m.Body,
		MediaURLs: append([]string{}, m.MediaURLs...), Status: m.Status, ConversationSID: m.ConversationSID, Reason: m.Reason,
		DateCreated: twilioapi.NewTime(m.DateCreated)}
	if m.ErrorCode != 0 {
		out.ErrorCode = &m.ErrorCode
	}
	return out
}

// listMessages lists what the network carried, oldest first; Address
// (from or to), From, To and Direction narrow it.
func (a *API) listMessages(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	f := parley.SimulatorFilter{}
	for _, v := range []struct {
		name string
		to   *string
	}{{"Address", &f.Address}, {"From", &f.From}, {"To", &f.To}, {"Direction", &f.Direction}} {
		if s := p.String(v.name); s != nil {
			*v.to = *s
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if f.Direction != "" && f.Direction != parley.SimulatedToPhone && f.Direction != parley.SimulatedFromPhone {
		return parley.ParamError(parley.CodeInvalidParameter, "Direction", parley.ProblemNone,
			"Direction must be %s or %s", parley.SimulatedToPhone, parley.SimulatedFromPhone)
	}
	return a.writeList(w, r, pg, f)
}

// inbox lists what one address received, oldest first.
func (a *API) inbox(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	return a.writeList(w, r, pg, parley.SimulatorFilter{To: r.PathValue("Address"), Direction: parley.SimulatedToPhone})
}

func (a *API) writeList(w http.ResponseWriter, r *http.Request, pg twilioapi.Paging, f parley.SimulatorFilter) error {
	page, err := a.domain.ListSimulatedMessages(r.Context(), f, pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "messages", page.Items, page.More,
		func(m *parley.SimulatedMessage) int64 { return m.Seq }, renderMessage)
	return nil
}

// sendFromPhone is a phone sending From its address To one of the
// account's: the message goes into Parley as a channel's inbound message
// would, and the answer says where it went. To repeated is a group MMS to
// all of them: it goes into the group conversation whose members are
// exactly From and the To addresses.
func (a *API) sendFromPhone(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	from, tos, body := p.String("From"), p.Strings("To"), p.String("Body")
	media := p.Strings("MediaUrl")
	if err := p.Err(); err != nil {
		return err
	}
	var to *string
	if len(tos) > 0 {
		to = &tos[0]
	}
	if err := checkInbound(from, to, body); err != nil {
		return err
	}
	if err := checkGroup(*from, tos); err != nil {
		return err
	}
	acct := twilioapi.Account(r)
	in := &parley.InboundMessage{AccountSID: acct.SID, From: *from, To: *to, Body: *body, MediaURLs: media,
		ChannelMessageSID: parley.NewSID(channel.MessagePrefix(*from))}
	if len(tos) > 1 {
		in.Recipients = tos
	}
	res, err := a.domain.Receive(r.Context(), in)
	if err != nil {
		return err
	}
	m, err := a.recordInbound(r.Context(), in, res)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return renderMessage(m) })
}

// checkInbound refuses a phone message without a phone, an address or a
// body, or with a body longer than a message may be.
func checkInbound(from, to, body *string) error {
	for _, v := range []struct {
		name  string
		value *string
	}{{"From", from}, {"To", to}, {"Body", body}} {
		if v.value == nil || *v.value == "" {
			return parley.ParamError(parley.CodeInvalidParameter, v.name, parley.ProblemNone, "Missing required parameter %s", v.name)
		}
	}
	if len(*body) > maxBodyBytes {
		return parley.ParamError(parley.CodeInvalidParameter, "Body", parley.ProblemNone, "Body must not exceed %d bytes", maxBodyBytes)
	}
	if channel.Kind(*from) != channel.Kind(*to) {
		return parley.ParamError(parley.CodeInvalidParameter, "To", parley.ProblemNone, "From and To must be addresses of one channel")
	}
	return nil
}

// checkGroup refuses a group MMS (several To addresses) with an empty or
// WhatsApp address among them: group MMS is SMS only.
func checkGroup(from string, tos []string) error {
	if len(tos) < 2 {
		return nil
	}
	for _, to := range tos {
		if to == "" || channel.IsWhatsApp(to) || channel.IsWhatsApp(from) {
			return parley.ParamError(parley.CodeInvalidParameter, "To", parley.ProblemNone,
				"A group MMS (To repeated) goes between phone numbers only")
		}
	}
	return nil
}

// recordInbound keeps a phone's message in the network's log with where it went.
func (a *API) recordInbound(ctx context.Context, in *parley.InboundMessage, res *parley.InboundResult) (*parley.SimulatedMessage, error) {
	m := &parley.SimulatedMessage{SID: in.ChannelMessageSID, AccountSID: in.AccountSID, Direction: parley.SimulatedFromPhone,
		From: in.From, To: in.To, Recipients: in.Recipients, Body: in.Body, MediaURLs: in.MediaURLs, Status: "received",
		ConversationSID: res.ConversationSID}
	if res.ConversationSID == nil {
		m.Reason = &res.Reason
	}
	return m, a.domain.RecordSimulatedMessage(ctx, m)
}

type phoneJSON struct {
	Address   string `json:"address"`
	Outcome   string `json:"outcome"`
	ErrorCode *int   `json:"error_code"`
}

func renderPhone(address, outcome string, code int) phoneJSON {
	out := phoneJSON{Address: address, Outcome: outcome}
	if code != 0 {
		out.ErrorCode = &code
	}
	return out
}

// fetchPhone answers what the network does with deliveries to an address.
func (a *API) fetchPhone(w http.ResponseWriter, r *http.Request) error {
	address := r.PathValue("Address")
	status, code, err := channel.Outcome(a.domain.SimulatedPhone(r.Context(), address))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderPhone(address, status, code) })
}

// setPhone sets the outcome of later deliveries to an address: delivered
// (the default), read (WhatsApp), failed or undelivered with ErrorCode
// (30008 and 30003 by default).
func (a *API) setPhone(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	outcome, codeParam := p.String("Outcome"), p.String("ErrorCode")
	if err := p.Err(); err != nil {
		return err
	}
	phone := &parley.SimulatedPhone{AccountSID: twilioapi.Account(r).SID, Address: r.PathValue("Address"), Outcome: parley.DeliveryDelivered}
	if outcome != nil {
		phone.Outcome = *outcome
	}
	if phone.ErrorCode, err = errorCode(phone.Outcome, codeParam); err != nil {
		return err
	}
	err = a.domain.SetSimulatedPhone(r.Context(), phone)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderPhone(phone.Address, phone.Outcome, phone.ErrorCode) })
}

// errorCode checks an outcome and its error code: failures carry a 3xxxx
// Messaging error (https://www.twilio.com/docs/api/errors), others none.
func errorCode(outcome string, param *string) (int, error) {
	defaults := map[string]int{parley.DeliveryDelivered: 0, parley.DeliveryRead: 0,
		parley.DeliveryFailed: channel.DefaultFailedCode, parley.DeliveryUndelivered: channel.DefaultUndeliveredCode}
	code, ok := defaults[outcome]
	if !ok {
		return 0, parley.ParamError(parley.CodeInvalidParameter, "Outcome", parley.ProblemNone,
			"Outcome must be delivered, read, failed or undelivered")
	}
	if param == nil || *param == "" {
		return code, nil
	}
	n, err := strconv.Atoi(*param)
	if err != nil || code == 0 || n < 30000 || n > 39999 {
		return 0, parley.ParamError(parley.CodeInvalidParameter, "ErrorCode", parley.ProblemNone,
			"ErrorCode is a Messaging error code (30000-39999) of a failed or undelivered outcome")
	}
	return n, nil
}
