package ledger_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// leaf returns a transaction hash made from a label, and its bytes.
func leaf(label string) (string, []byte) {
	sum := sha256.Sum256([]byte(label))
	return hex.EncodeToString(sum[:]), sum[:]
}

func pair(l, r []byte) []byte {
	sum := sha256.Sum256(append(append([]byte{}, l...), r...))
	return sum[:]
}

func TestMerkleRoot(t *testing.T) {
	ha, a := leaf("a")
	hb, b := leaf("b")
	hc, c := leaf("c")
	hd, d := leaf("d")
	he, e := leaf("e")
	tests := []struct {
		name   string
		hashes []string
		want   []byte
	}{
		{"None", nil, make([]byte, 32)},
		{"One", []string{ha}, a},
		{"Two", []string{ha, hb}, pair(a, b)},
		{"TwoSwapped", []string{hb, ha}, pair(b, a)},
		{"Three", []string{ha, hb, hc}, pair(pair(a, b), c)},
		{"Four", []string{ha, hb, hc, hd}, pair(pair(a, b), pair(c, d))},
		{"Five", []string{ha, hb, hc, hd, he}, pair(pair(pair(a, b), pair(c, d)), e)},
		{"UpperHex", []string{strings.ToUpper(ha), hb}, pair(a, b)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ledger.MerkleRoot(tt.hashes)
			if err != nil {
				t.Fatalf("MerkleRoot: %v", err)
			}
			if want := hex.EncodeToString(tt.want); got != want {
				t.Errorf("MerkleRoot = %s, want %s", got, want)
			}
		})
	}
}

func TestMerkleRootDoesNotChangeInput(t *testing.T) {
	ha, _ := leaf("a")
	hb, _ := leaf("b")
	hc, _ := leaf("c")
	in := []string{ha, hb, hc}
	first, _ := ledger.MerkleRoot(in)
	second, _ := ledger.MerkleRoot(in)
	if first != second || in[0] != ha || in[2] != hc {
		t.Errorf("MerkleRoot is not repeatable or changed its input")
	}
}

func TestMerkleRootRejects(t *testing.T) {
	ha, _ := leaf("a")
	for name, hashes := range map[string][]string{
		"NotHex":     {ha, strings.Repeat("z", 64)},
		"Short":      {ha[:62]},
		"Long":       {ha + "00"},
		"Empty":      {""},
		"OddHex":     {ha[:63]},
		"OnlyOneBad": {ha, ha, ha, "x"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ledger.MerkleRoot(hashes)
			wantCode(t, err, ledger.EINVALID)
		})
	}
}

func TestBlockHash(t *testing.T) {
	root, _ := leaf("root")
	prev, _ := leaf("prev")
	buf := []byte{0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 3}
	sum := sha256.Sum256(append(append(buf, root...), prev...))
	if got, want := ledger.BlockHash(7, 3, root, prev), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("BlockHash = %s, want %s", got, want)
	}
	base := ledger.BlockHash(7, 3, root, prev)
	for name, other := range map[string]string{
		"Height": ledger.BlockHash(8, 3, root, prev),
		"Count":  ledger.BlockHash(7, 4, root, prev),
		"Root":   ledger.BlockHash(7, 3, prev, prev),
		"Prev":   ledger.BlockHash(7, 3, root, ""),
	} {
		if other == base {
			t.Errorf("changing the %s does not change the block hash", name)
		}
	}
}

func TestTxBodyEncode(t *testing.T) {
	body := ledger.TxBody{Kind: ledger.TxRulesSet, Contract: ledger.ZeroAddress, Height: 12, Time: 1714564800000000000,
		Actor: "key:3", Nonce: "0011223344556677", Effect: json.RawMessage(`{"fee":5}`)}
	data, hash, err := body.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	sum := sha256.Sum256(data)
	if hash != hex.EncodeToString(sum[:]) || ledger.HashBody(data) != hash {
		t.Errorf("hash %s does not cover the encoded body", hash)
	}
	var back ledger.TxBody
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("encoded body is not JSON: %v", err)
	}
	if back.Kind != body.Kind || back.Contract != body.Contract || back.Height != body.Height || back.Time != body.Time ||
		back.Actor != body.Actor || back.Nonce != body.Nonce || string(back.Effect) != string(body.Effect) {
		t.Errorf("decoded body %+v, want %+v", back, body)
	}
	again, hash2, _ := body.Encode()
	if string(again) != string(data) || hash2 != hash {
		t.Errorf("Encode is not canonical: two encodings differ")
	}
	body.Effect = json.RawMessage(`{"fee":6}`)
	if _, hash3, _ := body.Encode(); hash3 == hash {
		t.Errorf("changing the effect does not change the hash")
	}
	body.Effect = json.RawMessage(`{not json`)
	if _, _, err := body.Encode(); ledger.ErrorCode(err) != ledger.EINTERNAL {
		t.Errorf("Encode of a body with broken effect = %v, want EINTERNAL", err)
	}
}

func TestParseBlockRef(t *testing.T) {
	hash := strings.Repeat("0f", 32)
	good, err := ledger.ParseBlockRef(" 12:" + strings.ToUpper(hash) + "\n")
	if err != nil || good != (ledger.BlockRef{Height: 12, Hash: hash}) || good.String() != "12:"+hash {
		t.Errorf("ParseBlockRef = %+v, %v", good, err)
	}
	for _, bad := range []string{"", "12", ":" + hash, "-1:" + hash, "x:" + hash, "12:" + hash[:62], "12:" + hash + "00", "12:" + strings.Repeat("zz", 32)} {
		if _, err := ledger.ParseBlockRef(bad); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("ParseBlockRef(%q) = %v, want EINVALID", bad, err)
		}
	}
}
