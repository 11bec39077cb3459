package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/qrdecode/pdfscan"
)

func decodeCommand() *cli.Command {
	return &cli.Command{
		Name:  "decode",
		Usage: "print the QR text of every code in pictures and PDFs, or why none was found (troubleshooting at the door)",
		UsageText: "ticketbooth decode [--json] FILE...\n" +
			"   FILE is a picture (PNG, JPEG, GIF) or a PDF. Each code prints as FILE: TEXT, one a line; where the\n" +
			"   codes were (pages of a PDF) and how long it took go to standard error. --json prints one object a\n" +
			"   line: {file, page, text} for each code (page 0 for a picture), {file, error} for a file without one.\n" +
			"   Exit status: 0 every file held a code, 3 some did not, 2 a file that is neither a picture nor a PDF.",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print one JSON object a line for scripts"}},
		Action: decodeFiles,
	}
}

// decodedLine is decode's --json output for one code or one file without a code.
type decodedLine struct {
	File  string `json:"file"`
	Page  *int   `json:"page,omitempty"`
	Text  string `json:"text,omitempty"`
	Error string `json:"error,omitempty"`
}

func decodeFiles(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("give one or more pictures or PDFs")
	}
	if err := flagsFirst(c); err != nil {
		return err
	}
	failed := 0
	for _, path := range c.Args().Slice() {
		data, err := os.ReadFile(path)
		if err != nil {
			return usagef("cannot read %s: %v", path, err)
		}
		start := time.Now()
		codes, err := fileCodes(c, path, data)
		if err != nil {
			if isUsage(err) {
				return err
			}
			failed++
			printDecodeError(c, path, err)
			continue
		}
		printCodes(c, path, codes, time.Since(start))
	}
	if failed > 0 {
		return cli.Exit("", exitNotAdmitted)
	}
	return nil
}

// fileCodes reads every code of a picture or a PDF, pictures within the larger limits of
// files (a big scan or photo); a file that is neither is a usage error naming it.
func fileCodes(c *cli.Context, path string, data []byte) ([]pdfscan.Code, error) {
	codes, err := gateread.File(c.Context, data, pdfscan.Limits{Pictures: qrdecode.FileLimits})
	if errors.Is(err, pdfscan.ErrNotPDF) {
		return nil, usagef("%s is neither a picture (PNG, JPEG or GIF) nor a PDF", path)
	}
	return codes, err
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func printCodes(c *cli.Context, path string, codes []pdfscan.Code, took time.Duration) {
	var pages []string
	for _, code := range codes {
		if c.Bool("json") {
			printJSONLine(c, decodedLine{File: path, Page: &code.Page, Text: code.Text})
		} else {
			fmt.Fprintf(c.App.Writer, "%s: %s\n", path, code.Text)
		}
		if code.Page > 0 {
			pages = append(pages, fmt.Sprint(code.Page))
		}
	}
	where := ""
	if len(pages) > 0 {
		where = ", on page " + strings.Join(pages, ", ")
	}
	fmt.Fprintf(c.App.ErrWriter, "%s: %d code(s)%s, decoded in %s\n", path, len(codes), where, took.Round(time.Millisecond))
}

func printDecodeError(c *cli.Context, path string, err error) {
	if c.Bool("json") {
		printJSONLine(c, decodedLine{File: path, Error: errorText(err)})
		return
	}
	fmt.Fprintf(c.App.Writer, "%s: no QR code: %s\n", path, errorText(err))
}

func printJSONLine(c *cli.Context, v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintln(c.App.Writer, string(b))
}

// codeSource names where a code came from for scan's output: the file, with its page in
// a PDF or its place among several codes of a picture.
func codeSource(path string, code pdfscan.Code, n int) string {
	switch {
	case code.Page > 0:
		return fmt.Sprintf("%s page %d", path, code.Page)
	case n > 1:
		return fmt.Sprintf("%s (one of %d codes)", path, n)
	}
	return path
}

// isQRText reports whether scan takes a file as QR text: a .txt or .json file, or one
// whose content is UTF-8 text that starts as a ticket's JSON does. Never a picture or a
// PDF.
func isQRText(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".json":
		return true
	}
	t := bytes.TrimSpace(data)
	return len(t) > 0 && (t[0] == '[' || t[0] == '{') && utf8.Valid(t) && bytes.IndexByte(t, 0) < 0
}
