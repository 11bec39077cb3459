package crypto

import (
	"bytes"
	"crypto/aes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// nistVectors is the layout of fixtures/crypto/nist-sp800-38a-cbc-aes256.json.
type nistVectors struct {
	Key    string `json:"key"`
	IV     string `json:"iv"`
	Blocks []struct {
		Plaintext  string `json:"plaintext"`
		Ciphertext string `json:"ciphertext"`
	} `json:"blocks"`
}

// loadNIST reads the NIST SP 800-38A F.2.5/F.2.6 vectors and returns the key, IV and the
// concatenated plaintext and ciphertext blocks.
func loadNIST(t *testing.T) (key, iv, plaintext, ciphertext []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "crypto", "nist-sp800-38a-cbc-aes256.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v nistVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Blocks) != 4 {
		t.Fatalf("got %d NIST blocks, want 4", len(v.Blocks))
	}
	key, iv = mustHex(t, v.Key), mustHex(t, v.IV)
	for _, b := range v.Blocks {
		plaintext = append(plaintext, mustHex(t, b.Plaintext)...)
		ciphertext = append(ciphertext, mustHex(t, b.Ciphertext)...)
	}
	return key, iv, plaintext, ciphertext
}

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestNISTCBC checks the raw CBC step (no padding) against NIST SP 800-38A F.2.5
// (encrypt) and F.2.6 (decrypt) through the unexported helpers, and checks that Encrypt's
// output begins with the NIST ciphertext: PKCS#7 only appends a block to aligned input,
// and CBC block i depends only on blocks up to i.
func TestNISTCBC(t *testing.T) {
	key, iv, plaintext, ciphertext := loadNIST(t)
	block, err := newCipher(key, iv)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Encrypt", func(t *testing.T) {
		buf := bytes.Clone(plaintext)
		cbcEncrypt(block, iv, buf)
		if !bytes.Equal(buf, ciphertext) {
			t.Fatalf("got %x\nwant %x", buf, ciphertext)
		}
	})
	t.Run("Decrypt", func(t *testing.T) {
		buf := make([]byte, len(ciphertext))
		cbcDecrypt(block, iv, buf, ciphertext)
		if !bytes.Equal(buf, plaintext) {
			t.Fatalf("got %x\nwant %x", buf, plaintext)
		}
	})
	t.Run("EncryptPrefix", func(t *testing.T) {
		got, err := Encrypt(key, iv, plaintext)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(plaintext)+aes.BlockSize {
			t.Fatalf("got %d bytes, want %d (a whole padding block)", len(got), len(plaintext)+aes.BlockSize)
		}
		if !bytes.Equal(got[:len(ciphertext)], ciphertext) {
			t.Fatalf("got %x\nwant prefix %x", got, ciphertext)
		}
		back, err := Decrypt(key, iv, got)
		if err != nil || !bytes.Equal(back, plaintext) {
			t.Fatalf("Decrypt = %x, %v; want %x", back, err, plaintext)
		}
	})
}

// TestEncryptKnownAnswer compares Encrypt with values from an independent implementation
// (Python's cryptography package, AES-256-CBC with PKCS7(128) padding), using the key and
// IV of the Ticketbooth rc2 example QR.
func TestEncryptKnownAnswer(t *testing.T) {
	key := mustHex(t, "894be55a951fee6c269d91ab77fa2fa7e48c56dd71d1e39c43b5a31ec16f5afe")
	iv := mustHex(t, "54b3a9a6743a775b923c90f3fb86d1c6")
	tests := []struct{ name, plaintext, want string }{
		{"Secret", "1vP-b8JwlL0ae4B", "d3b5d5cf53fa3d1275e7cba56067c5bb"},
		{"Empty", "", "a82d0ac1f1b47b05860537d082beaa16"},
		{"OneBlock", "0123456789abcdef", "9ba8b3ba637ce45f2c7688769b6c9a6f2fa782a992a12d48872f9650b30a8708"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encrypt(key, iv, []byte(tt.plaintext))
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(got) != tt.want {
				t.Fatalf("got %x, want %s", got, tt.want)
			}
			back, err := Decrypt(key, iv, got)
			if err != nil || string(back) != tt.plaintext {
				t.Fatalf("Decrypt = %q, %v; want %q", back, err, tt.plaintext)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	key, iv := mustKey(t), mustIV(t)
	for n := 0; n <= 3*aes.BlockSize+1; n++ {
		plaintext := bytes.Repeat([]byte{byte(n)}, n)
		ct, err := Encrypt(key, iv, plaintext)
		if err != nil {
			t.Fatal(err)
		}
		if want := (n/aes.BlockSize + 1) * aes.BlockSize; len(ct) != want {
			t.Fatalf("len %d: ciphertext %d bytes, want %d", n, len(ct), want)
		}
		got, err := Decrypt(key, iv, ct)
		if err != nil {
			t.Fatalf("len %d: %v", n, err)
		}
		if !bytes.Equal(got, plaintext) {
			t.Fatalf("len %d: got %x, want %x", n, got, plaintext)
		}
	}
}

func TestEncryptDoesNotModifyInput(t *testing.T) {
	key, iv := mustKey(t), mustIV(t)
	plaintext := []byte("0123456789abcdef0123")
	keep := bytes.Clone(plaintext)
	ct, err := Encrypt(key, iv, plaintext[:16])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plaintext, keep) {
		t.Fatalf("Encrypt changed its input (or the bytes after it): %q", plaintext)
	}
	keepCT := bytes.Clone(ct)
	if _, err := Decrypt(key, iv, ct); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ct, keepCT) {
		t.Fatal("Decrypt changed its input")
	}
}

func TestEncryptErrors(t *testing.T) {
	key, iv := mustKey(t), mustIV(t)
	tests := []struct {
		name    string
		key, iv []byte
		want    error
	}{
		{"ErrKeyShort", key[:31], iv, ErrKeySize},
		{"ErrKeyLong", append(bytes.Clone(key), 0), iv, ErrKeySize},
		{"ErrKeyAES128", key[:16], iv, ErrKeySize},
		{"ErrKeyNil", nil, iv, ErrKeySize},
		{"ErrIVShort", key, iv[:15], ErrIVSize},
		{"ErrIVNil", key, nil, ErrIVSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Encrypt(tt.key, tt.iv, []byte("x")); !errors.Is(err, tt.want) {
				t.Fatalf("Encrypt: got %v, want %v", err, tt.want)
			}
			if _, err := Decrypt(tt.key, tt.iv, make([]byte, 16)); !errors.Is(err, tt.want) {
				t.Fatalf("Decrypt: got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDecryptErrors(t *testing.T) {
	key, iv := mustKey(t), mustIV(t)
	good, err := Encrypt(key, iv, []byte("1vP-b8JwlL0ae4B"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		ciphertext []byte
		want       error
	}{
		{"ErrEmpty", nil, ErrCiphertext},
		{"ErrShort", good[:15], ErrCiphertext},
		{"ErrRagged", append(bytes.Clone(good), 1), ErrCiphertext},
		{"ErrPaddingZero", encryptRaw(t, key, iv, append([]byte("0123456789abcde"), 0)), ErrPadding},
		{"ErrPaddingTooLong", encryptRaw(t, key, iv, append([]byte("0123456789abcde"), 17)), ErrPadding},
		{"ErrPaddingFirstByte", encryptRaw(t, key, iv, []byte("0123456789ab\x05\x04\x04\x04")), ErrPadding},
		{"ErrPaddingMiddleByte", encryptRaw(t, key, iv, []byte("0123456789ab\x04\x04\x03\x04")), ErrPadding},
		{"ErrPaddingFullBlock", encryptRaw(t, key, iv, append(bytes.Repeat([]byte{16}, 15), 15)), ErrPadding},
		{"ErrPaddingBadFullBlock", encryptRaw(t, key, iv, append([]byte{15}, bytes.Repeat([]byte{16}, 15)...)), ErrPadding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decrypt(key, iv, tt.ciphertext)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %q, %v; want %v", got, err, tt.want)
			}
		})
	}
	t.Run("OKPaddingFullBlock", func(t *testing.T) {
		got, err := Decrypt(key, iv, encryptRaw(t, key, iv, bytes.Repeat([]byte{16}, 16)))
		if err != nil || len(got) != 0 {
			t.Fatalf("got %q, %v; want empty plaintext", got, err)
		}
	})
	t.Run("ErrWrongKey", func(t *testing.T) {
		// A wrong key gives valid padding by chance about once in 256 tries; try several.
		fails := 0
		for range 8 {
			if _, err := Decrypt(mustKey(t), iv, good); errors.Is(err, ErrPadding) {
				fails++
			}
		}
		if fails == 0 {
			t.Fatal("eight wrong keys all decrypted with valid padding")
		}
	})
}

// encryptRaw encrypts whole blocks with CBC and no padding, to craft bad padding.
func encryptRaw(t *testing.T, key, iv, blocks []byte) []byte {
	t.Helper()
	block, err := newCipher(key, iv)
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.Clone(blocks)
	cbcEncrypt(block, iv, buf)
	return buf
}

func mustKey(tb testing.TB) []byte {
	tb.Helper()
	k, err := NewKey()
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func mustIV(tb testing.TB) []byte {
	tb.Helper()
	iv, err := NewIV()
	if err != nil {
		tb.Fatal(err)
	}
	return iv
}

func FuzzDecrypt(f *testing.F) {
	key := bytes.Repeat([]byte{7}, KeySize)
	iv := bytes.Repeat([]byte{9}, IVSize)
	ct, err := Encrypt(key, iv, []byte("1vP-b8JwlL0ae4B"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(key, iv, ct)
	f.Add(key, iv, ct[:8])
	f.Add(key[:16], iv, ct)
	f.Add(key, iv[:8], ct)
	f.Add([]byte{}, []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, key, iv, ciphertext []byte) {
		plaintext, err := Decrypt(key, iv, ciphertext)
		if err != nil {
			return
		}
		again, err := Encrypt(key, iv, plaintext)
		if err != nil {
			t.Fatalf("Decrypt accepted key/IV that Encrypt refuses: %v", err)
		}
		if !bytes.Equal(again, ciphertext) {
			t.Fatalf("re-encryption differs:\n got %x\nwant %x", again, ciphertext)
		}
	})
}

func BenchmarkEncrypt(b *testing.B) {
	key, iv, secret := mustKey(b), mustIV(b), []byte("1vP-b8JwlL0ae4B")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encrypt(key, iv, secret); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	key, iv := mustKey(b), mustIV(b)
	ct, err := Encrypt(key, iv, []byte("1vP-b8JwlL0ae4B"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decrypt(key, iv, ct); err != nil {
			b.Fatal(err)
		}
	}
}
