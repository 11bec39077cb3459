package mailq

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"net/textproto"
	"testing"
)

// viaDotWriter is what net/textproto's DotWriter writes for message.
func viaDotWriter(message []byte) []byte {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	w := textproto.NewWriter(bw).DotWriter()
	w.Write(message)
	w.Close()
	return out.Bytes()
}

// TestDotStuffedIsDotWriters: for messages of every kind of line ending and leading dot,
// dotStuffed writes exactly what textproto's DotWriter writes.
func TestDotStuffedIsDotWriters(t *testing.T) {
	cases := []string{"", ".", "\r\n", "a\r\n", "a", ".a\r\n", "a\r\n.b\r\n..c\r\n", "a\nb\n", "a\r\r\nb\r\n",
		"a\rb\r\n", "a\r", "a\r\n.", "\n.\n", "Subject: x\r\n\r\nbody\r\n", "x\r\n\r\n.\r\n"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = "ab.\r\n"[r.IntN(5)]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := dotStuffed([]byte(c)), viaDotWriter([]byte(c)); !bytes.Equal(got, want) {
			t.Fatalf("dotStuffed(%q) = %q, DotWriter writes %q", c, got, want)
		}
	}
}

func FuzzDotStuffed(f *testing.F) {
	f.Add([]byte("a\r\n.b\r\n"))
	f.Add([]byte("Subject: x\r\n\r\nbody\r\n"))
	f.Add([]byte("a\nb\r\r\n."))
	f.Fuzz(func(t *testing.T, message []byte) {
		if got, want := dotStuffed(message), viaDotWriter(message); !bytes.Equal(got, want) {
			t.Fatalf("dotStuffed(%q) = %q, DotWriter writes %q", message, got, want)
		}
	})
}
