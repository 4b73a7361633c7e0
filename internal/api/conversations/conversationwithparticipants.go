package conversations

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// participantParam is one repeated Participant parameter of
// ConversationWithParticipants: a JSON object whose keys are the Participant
// resource's parameters in snake case, e.g. {"identity":"alice"} or
// {"messaging_binding":{"address":"+15558675310","proxy_address":"+15017122661"}}
// (https://www.twilio.com/docs/conversations/api/conversation-with-participants-resource).
type participantParam struct {
	Identity         *string         `json:"identity"`
	Attributes       json.RawMessage `json:"attributes"`
	RoleSID          *string         `json:"role_sid"`
	DateCreated      *string         `json:"date_created"`
	DateUpdated      *string         `json:"date_updated"`
	MessagingBinding *struct {
		Address          *string `json:"address"`
		ProxyAddress     *string `json:"proxy_address"`
		ProjectedAddress *string `json:"projected_address"`
	} `json:"messaging_binding"`
}

// participantsParam decodes every Participant parameter, in order.
func participantsParam(p *twilioapi.Params) ([]parley.ParticipantFields, error) {
	raw := p.Strings("Participant")
	out := make([]parley.ParticipantFields, len(raw))
	for i, s := range raw {
		f, err := decodeParticipant(s)
		if err != nil {
			return nil, parley.Errorf(parley.CodeInvalidParameter,
				"Participant %d must be a JSON object such as {\"identity\":\"alice\"}: %s", i+1, jsonProblem(err))
		}
		out[i] = f
	}
	return out, nil
}

// jsonProblem describes a decoding error without naming Go types.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("%s must not be a JSON %s", typeErr.Field, typeErr.Value)
	case errors.As(err, &typeErr):
		return fmt.Sprintf("got a JSON %s", typeErr.Value)
	}
	return err.Error()
}

func decodeParticipant(s string) (parley.ParticipantFields, error) {
	var pp participantParam
	var f parley.ParticipantFields
	if err := json.Unmarshal([]byte(s), &pp); err != nil {
		return f, err
	}
	f.Identity, f.RoleSID = pp.Identity, pp.RoleSID
	attrs, err := attributesValue(pp.Attributes)
	if err != nil {
		return f, err
	}
	f.Attributes = attrs
	if f.DateCreated, err = optTime(pp.DateCreated); err != nil {
		return f, fmt.Errorf("date_created is %w", err)
	}
	if f.DateUpdated, err = optTime(pp.DateUpdated); err != nil {
		return f, fmt.Errorf("date_updated is %w", err)
	}
	if b := pp.MessagingBinding; b != nil {
		f.Address, f.ProxyAddress, f.ProjectedAddress = b.Address, b.ProxyAddress, b.ProjectedAddress
		if f.Address == nil && f.ProxyAddress == nil && f.ProjectedAddress == nil {
			// An empty binding still asks for a non-chat participant.
			empty := ""
			f.Address = &empty
		}
	}
	return f, nil
}

// attributesValue accepts attributes as the Participant resource takes them
// (a string holding JSON) or as the JSON value itself.
func attributesValue(raw json.RawMessage) (*string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
	} else {
		s = string(raw)
	}
	return &s, nil
}

func optTime(s *string) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	t, err := twilioapi.ParseTime(*s)
	return &t, err
}

func (a *API) createConversationWithParticipants(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := conversationFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	participants, err := participantsParam(p)
	if err != nil {
		return err
	}
	c, err := a.app.CreateConversationWithParticipants(r.Context(), serviceSID(r), f, participants)
	if err != nil {
		return err
	}
	// The response is the conversation (spec: conversation_with_participants).
	twilioapi.WriteJSON(w, http.StatusCreated, a.renderConversation(r, c))
	return nil
}
