package parley

import "time"

// WebhookDelivery is one webhook call as the inspector
// (GET /parley/v1/WebhookDeliveries) reports it. A post-event delivery's
// retries update the same record (same idempotency token).
type WebhookDelivery struct {
	AccountSID string  `json:"-"`
	Kind       string  `json:"kind"` // pre or post
	Event      string  `json:"event"`
	URL        string  `json:"url"`
	Method     string  `json:"method"`
	Attempts   int     `json:"attempts"`
	LastStatus *int    `json:"last_status"`
	LatencyMs  *int64  `json:"latency_ms"`
	LastError  *string `json:"last_error"`
	Token      string  `json:"idempotency_token"`
	// RequestID is the Twilio-Request-Id of the request that caused the
	// call, "" for one no request caused (a timer's state change).
	RequestID string    `json:"request_id"`
	Date      time.Time `json:"date"`
}
