package crypto

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestEncodeHex(t *testing.T) {
	if got, want := EncodeHex([]byte{0x00, 0xAB, 0xcd, 0xEF, 0x10}), "00abcdef10"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := EncodeHex(nil); got != "" {
		t.Fatalf("EncodeHex(nil) = %q, want empty", got)
	}
}

func TestDecodeHex(t *testing.T) {
	key := "4D38A395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d"
	tests := []struct {
		name string
		text string
		size int
		want []byte
	}{
		{"MixedCase", key, KeySize, mustHex(t, strings.ToLower(key))},
		{"Upper", "ABCDEF", 0, []byte{0xab, 0xcd, 0xef}},
		{"AnySize", "00ff", 0, []byte{0, 0xff}},
		{"EmptyAnySize", "", 0, []byte{}},
		{"NegativeSizeIsAny", "01", -1, []byte{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeHex(tt.text, tt.size)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("got %x, want %x", got, tt.want)
			}
		})
	}
}

func TestDecodeHexErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		size int
		want string // fragment of the message
	}{
		{"ErrOddLength", "abc", 0, "odd length 3"},
		{"ErrWrongSize", strings.Repeat("a", 63), KeySize, "want 64 hex characters (32 bytes), got 63"},
		{"ErrTooLong", strings.Repeat("a", 34), IVSize, "want 32 hex characters (16 bytes), got 34"},
		{"ErrEmptySized", "", IVSize, "got 0"},
		{"ErrNonHex", "0g", 0, `'g' at position 1 is not a hex digit`},
		{"ErrSpace", "00 1", 0, `' ' at position 2`},
		{"ErrPrefix", "0x00", 0, `'x' at position 1`},
		{"ErrNonASCII", "00é", 0, "byte 0xc3 at position 2"},
		{"ErrControl", "\x00\x00", 1, "byte 0x00 at position 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeHex(tt.text, tt.size)
			if !errors.Is(err, ErrHex) {
				t.Fatalf("got %x, %v; want ErrHex", got, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("message %q does not contain %q", err, tt.want)
			}
		})
	}
}

func FuzzDecodeHex(f *testing.F) {
	for _, s := range []string{"", "00", "abc", "4D38a3", "zz", "0x10", "00é0"} {
		f.Add(s, 0)
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, text string, size int) {
		got, err := DecodeHex(text, size)
		want, stdErr := hex.DecodeString(text)
		sizeOK := size <= 0 || len(want) == size
		if (err == nil) != (stdErr == nil && sizeOK) {
			t.Fatalf("DecodeHex(%q, %d) error %v; encoding/hex error %v", text, size, err, stdErr)
		}
		if err != nil {
			if !errors.Is(err, ErrHex) {
				t.Fatalf("error %v does not wrap ErrHex", err)
			}
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("got %x, want %x", got, want)
		}
		if EncodeHex(got) != strings.ToLower(text) {
			t.Fatalf("EncodeHex(DecodeHex(%q)) = %q", text, EncodeHex(got))
		}
	})
}
