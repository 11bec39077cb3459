// Package archtest holds the tests that keep the architecture as the README draws it: which
// package may import which, and the README's picture of the packages and their imports, which
// it checks against the code (go test ./internal/archtest -update redraws it).
package archtest
