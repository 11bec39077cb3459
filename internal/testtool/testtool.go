// Package testtool finds the installed programs that tests use to check our output
// independently (zbarimg, pdftoppm, ZXingReader, openssl, chromium).
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of the installed command name. Without it the test skips, naming
// the Debian package to install, except when the CI environment variable is set: CI never
// skips, so there it fails.
func Need(tb testing.TB, name, debianPackage string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is not installed (CI must not skip): apt-get install %s", name, debianPackage)
	}
	tb.Skipf("%s is not installed: apt-get install %s", name, debianPackage)
	return ""
}
