package push

import (
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

// The payloads follow what the official client SDK's push parser reads
// (Client.parsePushNotification in @twilio/conversations): APNs' aps.alert
// (title and body), aps.sound, aps.badge, with twi_message_type and the data
// fields beside aps; FCM's data map with twi_message_type, twi_title,
// twi_body and twi_sound. Data values are strings on both, as FCM requires.

// FCMData is the data map of p's FCM message, as JSON.
func FCMData(p *parley.Push) []byte {
	b, _ := json.Marshal(map[string]any{"data": fcmData(p)})
	return b
}

func fcmData(p *parley.Push) map[string]string {
	data := map[string]string{"twi_message_type": p.MessageType, "twi_body": p.Body}
	if p.Title != "" {
		data["twi_title"] = p.Title
	}
	if p.Sound != nil {
		data["twi_sound"] = *p.Sound
	}
	for k, v := range p.Data {
		data[k] = v
	}
	return data
}

// APNsPayload is p's APNs payload.
func APNsPayload(p *parley.Push) []byte {
	alert := map[string]string{"body": p.Body}
	if p.Title != "" {
		alert["title"] = p.Title
	}
	aps := map[string]any{"alert": alert}
	if p.Sound != nil {
		aps["sound"] = *p.Sound
	}
	if p.Badge != nil {
		aps["badge"] = *p.Badge
	}
	payload := map[string]any{"aps": aps, "twi_message_type": p.MessageType}
	for k, v := range p.Data {
		payload[k] = v
	}
	b, _ := json.Marshal(payload)
	return b
}
