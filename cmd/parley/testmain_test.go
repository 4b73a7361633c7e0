package main

import (
	"os"
	"testing"
)

// asParley makes this test binary run as the parley command, so the bench's
// memory rows, which start os.Executable() as "parley serve", work under
// "go test" too.
const asParley = "PARLEY_TEST_BINARY_IS_PARLEY"

func TestMain(m *testing.M) {
	if os.Getenv(asParley) == "1" {
		main()
		os.Exit(0)
	}
	os.Setenv(asParley, "1") // inherited by the processes the tests start
	os.Exit(m.Run())
}
