package twilsock

import (
	"bytes"
	"strings"
	"testing"
)

// initFrame is an init frame as SDK 3.0.1 sends it (reference §1.4).
const initFrame = "TWILSOCK V3.0 183\r\n" +
	`{"id":"TM1","method":"init","token":"a.b.c","continuation_token":null,"registrations":[{"product":"ip_messaging","type":"ers","message_types":["twilio.sync.event"]}],"payload_size":0}` +
	"\r\n"

func TestDecode(t *testing.T) {
	f, err := Decode([]byte(initFrame))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Header.Method, "init"; got != want {
		t.Errorf("method = %q, want %q", got, want)
	}
	if got, want := f.Header.Token, "a.b.c"; got != want {
		t.Errorf("token = %q, want %q", got, want)
	}
	if f.Header.ContinuationToken != nil {
		t.Errorf("continuation_token = %v, want nil", *f.Header.ContinuationToken)
	}
	if got := f.Header.Registrations; len(got) != 1 || got[0].MessageTypes[0] != "twilio.sync.event" {
		t.Errorf("registrations = %+v", got)
	}
	if len(f.Payload) != 0 {
		t.Errorf("payload = %q, want empty", f.Payload)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	payload := []byte(`{"friendly_name":"démo"}`)
	b, err := Encode(Header{Method: "reply", ID: "TM9", Status: &Status{Code: 200, Status: "OK"},
		HTTPStatus: &Status{Code: 201, Status: "Created"}, PayloadType: "application/json"}, payload)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("TWILSOCK V3.0 ")) {
		t.Fatalf("frame = %q", b)
	}
	f, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Header.PayloadSize, len(payload); got != want {
		t.Errorf("payload_size = %d, want %d (bytes, not characters)", got, want)
	}
	if !bytes.Equal(f.Payload, payload) || f.Header.HTTPStatus.Code != 201 || f.Header.ID != "TM9" {
		t.Errorf("decoded %+v %q", f.Header, f.Payload)
	}
	empty, _ := Encode(Header{Method: "close", ID: "x"}, nil)
	if !bytes.HasSuffix(empty, []byte("}\r\n")) {
		t.Errorf("empty payload frame %q lacks the CRLF after the header", empty)
	}
}

func TestDecodeRejects(t *testing.T) {
	for name, frame := range map[string]string{
		"text":            "hello",
		"other version":   strings.Replace(initFrame, "V3.0", "V2.0", 1),
		"no length":       "TWILSOCK V3.0 \r\n{}\r\n",
		"negative length": "TWILSOCK V3.0 -2\r\n{}\r\n",
		"plus length":     "TWILSOCK V3.0 +2\r\n{}\r\n",
		"long length":     "TWILSOCK V3.0 99\r\n{}\r\n",
		"no CRLF":         `TWILSOCK V3.0 2` + "\r\n{}",
		"bad JSON":        "TWILSOCK V3.0 2\r\n{]\r\n",
		"no method":       "TWILSOCK V3.0 16\r\n{\"payload_size\":0}\r\n",
		"short payload":   "TWILSOCK V3.0 31\r\n{\"method\":\"x\",\"payload_size\":5}\r\nab",
		"long payload":    "TWILSOCK V3.0 31\r\n{\"method\":\"x\",\"payload_size\":1}\r\nab",
		"header array":    "TWILSOCK V3.0 2\r\n[]\r\n",
	} {
		if _, err := Decode([]byte(frame)); err == nil {
			t.Errorf("%s: Decode(%q) succeeded", name, frame)
		}
	}
}

// FuzzDecode checks that Decode never panics and that whatever it accepts
// re-encodes to a frame that decodes again to the same bytes. The seed
// corpus in testdata/fuzz/FuzzDecode runs with every go test.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(initFrame))
	f.Add([]byte("TWILSOCK V3.0 31\r\n{\"method\":\"x\",\"payload_size\":2}\r\nab"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := Decode(b)
		if err != nil {
			return
		}
		once, err := Encode(fr.Header, fr.Payload)
		if err != nil {
			t.Fatalf("Encode of a decoded frame: %v", err)
		}
		again, err := Decode(once)
		if err != nil {
			t.Fatalf("Decode(Encode(%q)): %v", b, err)
		}
		twice, err := Encode(again.Header, again.Payload)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("round trip changed the frame:\n%q\n%q", once, twice)
		}
	})
}
