package scanner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"sync"
	"testing"
	"time"
)

// corpusFloor is the share of the corpus Decode must read. Measured: see the final report
// of TestDecodeCorpus; the floor sits a little under the measurement so that a change
// which loses a few images fails.
const corpusFloor = 0.95

// TestDecodeCorpus decodes the generated corpus, asserts the decode rate and, where
// zbarimg and ZXingReader are installed, decodes the same files with them and logs the
// three rates per category.
func TestDecodeCorpus(t *testing.T) {
	images := decodeCorpus(t)
	ours := rates{}
	for _, im := range images {
		text, err := DecodeBytes(im.data)
		ok := err == nil && text == im.text
		if err == nil && !ok {
			t.Errorf("%s: decoded the wrong text %.40q", im.name, text)
		}
		ours.add(im.category, ok)
	}
	names, all := []string{"scanner"}, []rates{ours}
	if !testing.Short() {
		dir := writeCorpus(t, images)
		for _, tool := range externalDecoders {
			if r, ok := runExternal(t, tool, dir, images); ok {
				names, all = append(names, tool.name), append(all, r)
			}
		}
	}
	t.Logf("decode rates on %d images:\n%s", len(images), table(names, all))
	best := 0.0
	for i, r := range all[1:] {
		if r.rate() > best {
			best = r.rate()
			t.Logf("%s: %.1f%%", names[i+1], 100*r.rate())
		}
	}
	if len(all) > 1 {
		t.Logf("scanner %.1f%% against the best external decoder %.1f%%", 100*ours.rate(), 100*best)
	}
	if got := ours.rate(); got < corpusFloor {
		t.Errorf("decode rate %.3f, want at least %.3f", got, corpusFloor)
	}
}

// externalDecoder is a command-line QR decoder: the Debian package providing it and
// the arguments that make it print only the decoded text of the file appended to them.
type externalDecoder struct {
	name, pkg string
	args      []string
}

var externalDecoders = []externalDecoder{
	{"zbarimg", "zbar-tools", []string{"-q", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable"}},
	{"ZXingReader", "zxing-cpp-tools", []string{"-bytes", "-format", "QRCode"}},
}

// writeCorpus writes the images into a temporary directory as files.
func writeCorpus(t *testing.T, images []corpusImage) string {
	dir := t.TempDir()
	for _, im := range images {
		if err := os.WriteFile(filepath.Join(dir, im.name+"."+im.ext), im.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runExternal decodes every corpus file with the tool, two processes at a time. It
// reports false (skipping, or failing under CI) when the tool is not installed.
func runExternal(t *testing.T, tool externalDecoder, dir string, images []corpusImage) (rates, bool) {
	if _, err := exec.LookPath(tool.name); err != nil {
		msg := tool.name + " not installed (Debian package " + tool.pkg + "): comparison skipped"
		if os.Getenv("CI") != "" {
			t.Errorf("%s, and CI requires it", msg)
		} else {
			t.Log(msg)
		}
		return nil, false
	}
	ok := make([]bool, len(images))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i, im := range images {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out, err := runTool(tool, filepath.Join(dir, im.name+"."+im.ext))
			ok[i] = err == nil && string(out) == im.text
		}()
	}
	wg.Wait()
	r := rates{}
	for i, im := range images {
		r.add(im.category, ok[i])
	}
	return r, true
}

// runTool runs one external decoder on one file with a time limit and returns its output
// less the final newline; a tool that found nothing exits non-zero.
func runTool(tool externalDecoder, file string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool.name, append(tool.args, file)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(out.Bytes(), []byte("\n"))
	if len(b) == 0 {
		return nil, errors.New("no output")
	}
	return b, nil
}
