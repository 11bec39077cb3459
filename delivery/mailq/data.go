package mailq

import (
	"bytes"
	"net/textproto"
)

// This file hands a message over: in one BDAT chunk (RFC 3030's CHUNKING, which most
// servers offer: the message goes as it is, its length said first, and the server reads
// it without scanning it line by line), or in SMTP's DATA: the message dot-stuffed and
// ended by a line holding one dot, written to the connection at once. go-mail's DATA
// writer (net/textproto's DotWriter) does the same byte by byte through a 4 KB buffer: a
// 52 KB confirmation mail was tens of thousands of calls and 13 writes to the socket.

// sendChunk sends the message as the last and only BDAT chunk and reads the server's
// acceptance.
func sendChunk(text *textproto.Conn, message []byte) error {
	id, err := text.Cmd("BDAT %d LAST", len(message))
	if err != nil {
		return err
	}
	text.StartResponse(id)
	defer text.EndResponse(id)
	if _, err := text.W.Write(message); err != nil {
		return err
	}
	if err := text.W.Flush(); err != nil {
		return err
	}
	_, _, err = text.ReadResponse(250)
	return err
}

// startData sends DATA and reads the server's go-ahead.
func startData(text *textproto.Conn) error {
	id, err := text.Cmd("DATA")
	if err != nil {
		return err
	}
	text.StartResponse(id)
	defer text.EndResponse(id)
	_, _, err = text.ReadResponse(354)
	return err
}

// sendData writes the message after startData and reads the server's acceptance.
func sendData(text *textproto.Conn, message []byte) error {
	var err error
	if plainLines(message) { // as it is, without copying it: the bulk goes past the buffer
		_, err = text.W.Write(message)
		if err == nil {
			_, err = text.W.WriteString(".\r\n")
		}
	} else {
		_, err = text.W.Write(stuffLines(message))
	}
	if err != nil {
		return err
	}
	if err := text.W.Flush(); err != nil {
		return err
	}
	_, _, err = text.ReadResponse(250)
	return err
}

// dotStuffed returns message as textproto's DotWriter writes it, terminator included (what
// sendData writes, in pieces):
// each line that starts with a dot gets another, a line feed without a carriage return
// before it gets one, and the end is CRLF, a dot, CRLF. A message of CRLF lines of which
// none starts with a dot (as mail.Build makes them) is copied as it is.
func dotStuffed(message []byte) []byte {
	if plainLines(message) {
		return append(append(make([]byte, 0, len(message)+3), message...), ".\r\n"...)
	}
	return stuffLines(message)
}

// plainLines reports whether message is CRLF-terminated lines none of which starts with a
// dot, and holds no other carriage return: then dot-stuffing changes nothing.
func plainLines(message []byte) bool {
	if len(message) < 2 || message[0] == '.' || !bytes.HasSuffix(message, []byte("\r\n")) {
		return false
	}
	if bytes.Count(message, []byte("\r")) != bytes.Count(message, []byte("\r\n")) {
		return false
	}
	for rest := message; ; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return true
		}
		if i == 0 || rest[i-1] != '\r' || (i+1 < len(rest) && rest[i+1] == '.') {
			return false
		}
		rest = rest[i+1:]
	}
}

// The states of stuffLines, as textproto's DotWriter has them.
const (
	stuffBegin = iota // the beginning of the message
	stuffBeginLine
	stuffCR // after a carriage return
	stuffData
)

// stuffLines is DotWriter's Write and Close, byte for byte, for any message.
func stuffLines(message []byte) []byte {
	out := make([]byte, 0, len(message)+len(message)/32+5)
	state := stuffBegin
	for _, c := range message {
		switch state {
		case stuffBegin, stuffBeginLine:
			state = stuffData
			if c == '.' {
				out = append(out, '.')
			}
			fallthrough
		case stuffData:
			if c == '\r' {
				state = stuffCR
			}
			if c == '\n' {
				out = append(out, '\r')
				state = stuffBeginLine
			}
		case stuffCR:
			state = stuffData
			if c == '\n' {
				state = stuffBeginLine
			}
		}
		out = append(out, c)
	}
	switch state {
	case stuffBeginLine:
		return append(out, ".\r\n"...)
	case stuffCR:
		return append(out, "\n.\r\n"...)
	}
	return append(out, "\r\n.\r\n"...)
}
