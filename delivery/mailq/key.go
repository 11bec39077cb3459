package mailq

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// KeySize is the size of the delivery key in bytes (sqlstore.Options.DeliveryKey).
const KeySize = 32

// LoadDeliveryKey reads the delivery key from path: 64 hexadecimal digits. When the file
// is missing and create is set, it makes a new random key there, readable by its owner
// only (0600). A key file that others may read is refused.
func LoadDeliveryKey(path string, create bool) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		return createKey(path)
	}
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The delivery key file %s cannot be read: %v", path, pathError(err))
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		return nil, ledger.Errorf(ledger.EINVALID, "The delivery key file %s may be read by others: make it readable by its owner only (chmod 600).", path)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != KeySize {
		return nil, ledger.Errorf(ledger.EINVALID, "The delivery key file %s must hold %d hexadecimal digits.", path, 2*KeySize)
	}
	return key, nil
}

// createKey writes a new random key to path, failing if the file appeared meanwhile.
func createKey(path string) ([]byte, error) {
	key := make([]byte, KeySize)
	rand.Read(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadDeliveryKey(path, false)
	}
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The delivery key file %s cannot be made: %v", path, pathError(err))
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return nil, ledger.Errorf(ledger.EINVALID, "The delivery key file %s cannot be written: %v", path, pathError(err))
	}
	return key, nil
}

// pathError is the reason of a file error without the path, which the message names.
func pathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
