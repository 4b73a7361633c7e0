package client

import (
	"encoding/json"
	"io"
	"net/http"

	parley "github.com/parley-dev/parley"
)

// maxBody bounds a client API request body: the largest documented field
// (message attributes, 16 KiB) and body (32 KiB) fit many times over.
const maxBody = 1 << 20

// decode reads the JSON body the SDK sends with its writes (reference
// §2.3: Content-Type application/json, attributes as JSON strings) into v.
// An empty body leaves v as it is.
func decode(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return err
	}
	if len(b) > maxBody {
		return parley.Errorf(parley.CodeInvalidParameter, "Request body larger than %d bytes", maxBody)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return parley.Errorf(parley.CodeInvalidParameter, "Request body is not the JSON object expected: %v", err)
	}
	return nil
}

// nullable is a JSON field that tells "absent" from "null" from a value:
// the SDK clears a read horizon by sending null.
type nullable[T any] struct {
	Set   bool
	Value *T
}

func (n *nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Value = nil
		return nil
	}
	n.Value = new(T)
	return json.Unmarshal(b, n.Value)
}
