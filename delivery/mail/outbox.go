package mail

import (
	"os"
	"path/filepath"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// WriteOutbox writes a built message into dir as booking-ID.eml, atomically: it is written
// to a temporary file in dir, synced and renamed into place, so a reader sees the whole
// message or none. The file name holds the booking id only. It returns the file's path.
func WriteOutbox(dir, bookingID string, message []byte) (string, error) {
	if !validID(bookingID) {
		return "", ledger.Errorf(ledger.EINVALID, "The booking id must be 1 to 64 letters, digits, '-' or '_'.")
	}
	return WriteOutboxFile(dir, "booking-"+bookingID+".eml", message)
}

// WriteOutboxFile writes a message into dir under the file name, atomically, as
// WriteOutbox does; the name must be a plain file name chosen by the caller, not the user.
func WriteOutboxFile(dir, name string, message []byte) (string, error) {
	path := filepath.Join(dir, filepath.Base(name))
	if err := writeAtomic(dir, path, message); err != nil {
		return "", ledger.Errorf(ledger.EINTERNAL, "The e-mail could not be written into the outbox.")
	}
	return path, nil
}

// writeAtomic writes data to a temporary file in dir and renames it to path.
func writeAtomic(dir, path string, data []byte) error {
	f, err := os.CreateTemp(dir, ".outbox-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
