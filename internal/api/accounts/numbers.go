package accounts

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// numberJSON is the 2010 IncomingPhoneNumber resource. Parley keeps only
// the number and its name: voice, SMS-URL, address and emergency settings
// have nothing behind them and render as Twilio shows a fresh number
// (null URLs, no address needed, emergency calling inactive).
type numberJSON struct {
	AccountSID             string             `json:"account_sid"`
	AddressSID             *string            `json:"address_sid"`
	AddressRequirements    string             `json:"address_requirements"`
	APIVersion             string             `json:"api_version"`
	Beta                   bool               `json:"beta"`
	Capabilities           capabilitiesJSON   `json:"capabilities"`
	DateCreated            twilioapi.Time2010 `json:"date_created"`
	DateUpdated            twilioapi.Time2010 `json:"date_updated"`
	FriendlyName           string             `json:"friendly_name"`
	IdentitySID            *string            `json:"identity_sid"`
	PhoneNumber            string             `json:"phone_number"`
	Origin                 string             `json:"origin"`
	SID                    string             `json:"sid"`
	SMSApplicationSID      *string            `json:"sms_application_sid"`
	SMSFallbackMethod      string             `json:"sms_fallback_method"`
	SMSFallbackURL         *string            `json:"sms_fallback_url"`
	SMSMethod              string             `json:"sms_method"`
	SMSURL                 *string            `json:"sms_url"`
	StatusCallback         *string            `json:"status_callback"`
	StatusCallbackMethod   string             `json:"status_callback_method"`
	TrunkSID               *string            `json:"trunk_sid"`
	URI                    string             `json:"uri"`
	VoiceReceiveMode       string             `json:"voice_receive_mode"`
	VoiceApplicationSID    *string            `json:"voice_application_sid"`
	VoiceCallerIDLookup    bool               `json:"voice_caller_id_lookup"`
	VoiceFallbackMethod    string             `json:"voice_fallback_method"`
	VoiceFallbackURL       *string            `json:"voice_fallback_url"`
	VoiceMethod            string             `json:"voice_method"`
	VoiceURL               *string            `json:"voice_url"`
	EmergencyStatus        string             `json:"emergency_status"`
	EmergencyAddressSID    *string            `json:"emergency_address_sid"`
	EmergencyAddressStatus string             `json:"emergency_address_status"`
	BundleSID              *string            `json:"bundle_sid"`
	Status                 string             `json:"status"`
}

// capabilitiesJSON says what a number can do; Parley's numbers message.
type capabilitiesJSON struct {
	Voice bool `json:"voice"`
	SMS   bool `json:"sms"`
	MMS   bool `json:"mms"`
	Fax   bool `json:"fax"`
}

func renderNumber(n *parley.PhoneNumber) numberJSON {
	return numberJSON{AccountSID: n.AccountSID, AddressRequirements: "none", APIVersion: "2010-04-01",
		Capabilities: capabilitiesJSON{SMS: true, MMS: true}, DateCreated: twilioapi.NewTime2010(n.DateCreated),
		DateUpdated: twilioapi.NewTime2010(n.DateUpdated), FriendlyName: n.FriendlyName, PhoneNumber: n.PhoneNumber,
		Origin: "twilio", SID: n.SID, SMSFallbackMethod: "POST", SMSMethod: "POST", StatusCallbackMethod: "POST",
		URI: root + "/Accounts/" + n.AccountSID + "/IncomingPhoneNumbers/" + n.SID + ".json", VoiceReceiveMode: "voice",
		VoiceFallbackMethod: "POST", VoiceMethod: "POST", EmergencyStatus: "Inactive",
		EmergencyAddressStatus: "unregistered", Status: "in-use"}
}

func (a *API) createNumber(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	n, err := a.app.CreatePhoneNumber(r.Context(), r.PathValue("AccountSid"),
		p.String("PhoneNumber"), p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return renderNumber(n) })
}

// numbers is core's page of numbers, filtered by PhoneNumber and FriendlyName.
func (a *API) numbers(ctx context.Context, accountSID string, params *twilioapi.Params, pr parley.PageRequest) (parley.Page[*parley.PhoneNumber], error) {
	f := parley.PhoneNumberFilter{PhoneNumber: params.String("PhoneNumber"), FriendlyName: params.String("FriendlyName")}
	return a.app.PhoneNumbers(ctx, accountSID, f, pr)
}

func numberSeq(n *parley.PhoneNumber) int64 { return n.Seq }
