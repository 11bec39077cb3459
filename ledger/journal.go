package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
)

// Transaction kinds recorded in the journal.
const (
	TxContractCreated = "contract_created"
	TxRulesSet        = "rules_set"
	TxSaleBegun       = "sale_begun"
	TxSaleEnded       = "sale_ended"
	TxContractOwner   = "contract_transferred"
)

// TxBody is the exact content of a journal transaction. Its canonical JSON encoding is
// what the transaction hash covers, so any later change to a stored body shows.
type TxBody struct {
	Kind     string          `json:"kind"`
	Contract string          `json:"contract,omitempty"`
	Height   int64           `json:"height"`
	Time     int64           `json:"time"` // unix nanoseconds
	Actor    string          `json:"actor"`
	Nonce    string          `json:"nonce"`
	Effect   json.RawMessage `json:"effect"`
}

// Encode returns the body's canonical bytes and its transaction hash (hex SHA-256).
func (b TxBody) Encode() ([]byte, string, error) {
	data, err := json.Marshal(b)
	if err != nil {
		return nil, "", Errorf(EINTERNAL, "encoding transaction: %v", err)
	}
	sum := sha256.Sum256(data)
	return data, hex.EncodeToString(sum[:]), nil
}

// HashBody returns the transaction hash of stored body bytes.
func HashBody(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// MerkleRoot returns the Merkle root of transaction hashes (hex), pairing left to right
// and carrying an odd last node up unchanged; the root of none is 32 zero bytes.
func MerkleRoot(hashes []string) (string, error) {
	level := make([][]byte, len(hashes))
	for i, h := range hashes {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			return "", Errorf(EINVALID, "transaction hash %q is not 64 hex characters", h)
		}
		level[i] = b
	}
	if len(level) == 0 {
		return hex.EncodeToString(make([]byte, sha256.Size)), nil
	}
	for len(level) > 1 {
		next := level[:0:0]
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
				continue
			}
			sum := sha256.Sum256(append(append([]byte{}, level[i]...), level[i+1]...))
			next = append(next, sum[:])
		}
		level = next
	}
	return hex.EncodeToString(level[0]), nil
}

// BlockHash chains a sealed block to its predecessor: SHA-256 over the height, the number
// of transactions, the Merkle root and the previous block's hash.
func BlockHash(height int64, count int64, root, prev string) string {
	buf := make([]byte, 16, 16+len(root)+len(prev))
	binary.BigEndian.PutUint64(buf, uint64(height))
	binary.BigEndian.PutUint64(buf[8:], uint64(count))
	buf = append(append(buf, root...), prev...)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// String is the anchor form, HEIGHT:HASH.
func (b BlockRef) String() string { return strconv.FormatInt(b.Height, 10) + ":" + b.Hash }

// ParseBlockRef reads an anchor in the form HEIGHT:HASH (as BlockRef.String writes it):
// EINVALID with the reason when it is not one.
func ParseBlockRef(s string) (BlockRef, error) {
	h, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	height, err := strconv.ParseInt(h, 10, 64)
	if !ok || err != nil || height < 0 {
		return BlockRef{}, Errorf(EINVALID, "Invalid block anchor %q: HEIGHT:HASH expected, as ledger verify prints it", clip(s, 80))
	}
	hash = strings.ToLower(hash)
	if len(hash) != 2*sha256.Size {
		return BlockRef{}, Errorf(EINVALID, "Invalid block anchor %q: the hash must be 64 hex characters", clip(s, 80))
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return BlockRef{}, Errorf(EINVALID, "Invalid block anchor %q: the hash must be 64 hex characters", clip(s, 80))
	}
	return BlockRef{Height: height, Hash: hash}, nil
}

// ValidateTransactionHash checks that hash is 64 hex characters, as an EINVALID error.
func ValidateTransactionHash(hash string) error {
	if len(hash) != 2*sha256.Size {
		return Errorf(EINVALID, "Invalid transaction hash %s: 64 hex characters expected", clip(hash, 80))
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return Errorf(EINVALID, "Invalid transaction hash %s: 64 hex characters expected", clip(hash, 80))
	}
	return nil
}
