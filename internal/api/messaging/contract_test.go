package messaging_test

import (
	"os"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestMain fails the package when a served Messaging operation has no test
// that got a spec-valid success from it.
func TestMain(m *testing.M) {
	os.Exit(apitest.RunWithContract(m, "twilio_messaging_v1_services"))
}
