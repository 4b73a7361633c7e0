package demo

import "testing"

// SDKLockVersion is sdkLockVersion for the browser test, which lives in
// package demo_test because it starts a whole server (which imports demo).
func SDKLockVersion(t *testing.T) string { return sdkLockVersion(t) }
