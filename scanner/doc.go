// Package scanner reads tickets at the gate: image to QR text, QR text to tickets, verify
// and check in.
package scanner
