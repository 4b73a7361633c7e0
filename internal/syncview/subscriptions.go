package syncview

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// subscriptionBatch is a POST /v4/Subscriptions body (reference §3.3).
type subscriptionBatch struct {
	Action string `json:"action"`
	// CorrelationID is echoed as the very same number: the client compares
	// with strict equality.
	CorrelationID json.Number           `json:"correlation_id"`
	Requests      []subscriptionRequest `json:"requests"`
}

type subscriptionRequest struct {
	ObjectSID   string `json:"object_sid"`
	ObjectType  string `json:"object_type"`
	LastEventID *int64 `json:"last_event_id"`
}

// subscriptionEvent is one object's outcome in a subscription notification.
type subscriptionEvent struct {
	ObjectSID    string      `json:"object_sid"`
	ObjectType   string      `json:"object_type,omitempty"`
	ReplayStatus string      `json:"replay_status,omitempty"`
	LastEventID  *int64      `json:"last_event_id,omitempty"`
	Error        *errorState `json:"error,omitempty"`
}

type errorState struct {
	Status  int    `json:"status"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type subscriptionNotice struct {
	EventType     string              `json:"event_type"`
	CorrelationID json.Number         `json:"correlation_id"`
	Events        []subscriptionEvent `json:"events"`
}

// subscriptionReply tells the client when to expect the notification
// (it re-pokes after estimated_delivery_in_ms without one) and that
// subscriptions do not expire (ttl_in_s -1).
type subscriptionReply struct {
	EstimatedDeliveryInMS int `json:"estimated_delivery_in_ms"`
	MaxBatchSize          int `json:"max_batch_size"`
	TTLInS                int `json:"ttl_in_s"`
}

const maxBatchSize = 100

// subscriptions answers establish and cancel. Each readable object's
// events after the client's last_event_id are replayed from the log, then
// it is established and its events follow live (Hub); an object
// the caller may not read fails with its Sync error (404 makes the SDK
// treat it as removed). The outcome follows the reply as twilio.sync.event
// notifications, which is where the SDK looks for them.
func (v *View) subscriptions(w http.ResponseWriter, r *http.Request) error {
	c, notify := parley.CallerFrom(r.Context()), parley.ClientNotifierFrom(r.Context())
	if c == nil || notify == nil {
		return &syncError{http.StatusUnauthorized, parley.CodeAuthFailed, "Subscriptions are made over the client connection"}
	}
	var b subscriptionBatch
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&b); err != nil || b.CorrelationID == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "Invalid subscription request")
	}
	if len(b.Requests) > maxBatchSize {
		return parley.Errorf(parley.CodeInvalidParameter, "At most %d subscription requests at once", maxBatchSize)
	}
	var notices []subscriptionNotice
	switch b.Action {
	case "establish":
		notices = v.establish(r, c, b)
	case "cancel":
		n := subscriptionNotice{EventType: "subscription_canceled", CorrelationID: b.CorrelationID}
		stream := parley.ClientStreamFrom(r.Context())
		for _, req := range b.Requests {
			if v.hub != nil && stream != nil {
				v.hub.Cancel(stream, req.ObjectSID)
			}
			n.Events = append(n.Events, subscriptionEvent{ObjectSID: req.ObjectSID})
		}
		notices = append(notices, n)
	default:
		return parley.Errorf(parley.CodeInvalidParameter, "Invalid action %q", b.Action)
	}
	twilioapi.WriteJSON(w, http.StatusOK, subscriptionReply{EstimatedDeliveryInMS: 5000, MaxBatchSize: maxBatchSize, TTLInS: -1})
	for _, n := range notices {
		if len(n.Events) == 0 {
			continue
		}
		if payload, err := json.Marshal(n); err == nil {
			notify.Notify("twilio.sync.event", payload)
		}
	}
	return nil
}

func (v *View) establish(r *http.Request, c *parley.Caller, b subscriptionBatch) []subscriptionNotice {
	ok := subscriptionNotice{EventType: "subscription_established", CorrelationID: b.CorrelationID}
	failed := subscriptionNotice{EventType: "subscription_failed", CorrelationID: b.CorrelationID}
	for _, req := range b.Requests {
		o, known := parse(req.ObjectType, req.ObjectSID)
		var err error
		if !known {
			err = notFound(req.ObjectType, req.ObjectSID)
		} else {
			err = v.authorize(r.Context(), c, o)
		}
		if err != nil {
			failed.Events = append(failed.Events, subscriptionEvent{ObjectSID: req.ObjectSID, ObjectType: req.ObjectType, Error: errorStateOf(err)})
			continue
		}
		last := int64(0)
		if req.LastEventID != nil && *req.LastEventID > 0 {
			last = *req.LastEventID
		}
		status := "completed"
		if stream := parley.ClientStreamFrom(r.Context()); v.hub != nil && stream != nil {
			st, err := v.hub.Subscribe(stream, req.ObjectSID, last)
			if err != nil {
				failed.Events = append(failed.Events, subscriptionEvent{ObjectSID: req.ObjectSID, ObjectType: req.ObjectType, Error: errorStateOf(err)})
				continue
			}
			last = st.last
			if st.behindLog {
				// Documented in docs/client-sdk.md: the client gets what
				// the log still holds.
				slog.Debug("sync: a subscription asked for events older than the log keeps", "object", req.ObjectSID)
			}
			if st.interrupted {
				status = "interrupted"
			}
		}
		ok.Events = append(ok.Events, subscriptionEvent{ObjectSID: req.ObjectSID, ObjectType: req.ObjectType,
			ReplayStatus: status, LastEventID: &last})
	}
	return []subscriptionNotice{ok, failed}
}

func errorStateOf(err error) *errorState {
	var se *syncError
	if errors.As(err, &se) {
		return &errorState{Status: se.status, Code: se.code, Message: se.message}
	}
	return &errorState{Status: http.StatusInternalServerError, Code: parley.CodeInternal, Message: "Internal Server Error"}
}
