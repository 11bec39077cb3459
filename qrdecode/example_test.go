package qrdecode_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// DecodeBytes reads the text of the QR code in a PNG, JPEG or GIF picture: here the
// example ticket of Ticketbooth's documentation (zbarimg reads the same text).
func ExampleDecodeBytes() {
	png, err := os.ReadFile("testdata/ticketbooth-docs-example-qr.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	text, err := qrdecode.DecodeBytes(png)
	fmt.Println(text, err)
	// Output:
	// [{"seat":{"number":1,"letter":"A"},"secret":"USfoUzEvP1wf04I","nameKey":"4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d","nameIV":"7d4984f0bda1d5bbb341edf26553e896"}] <nil>
}

// Its errors are its own: an *Error whose Kind errors.Is finds, and whose message is for
// the person who sent the picture.
func ExampleError() {
	_, err := qrdecode.DecodeBytes([]byte("not a picture"))
	var e *qrdecode.Error
	fmt.Println(errors.As(err, &e), errors.Is(err, qrdecode.ErrImageFormat))
	fmt.Println(err)
	// Output:
	// true true
	// unsupported image format: want PNG, JPEG or GIF
}
