package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// ScanWorkerPath is the scanner page's service worker; its scope is ScanPath.
const ScanWorkerPath = ScanPath + "/sw.js"

// Where the scanner page names its files: links and scripts in the HTML, imports in JS.
var (
	pageAssetRef = regexp.MustCompile(`(?:href|src)="` + AssetsPath + `([\w.-]+)"`)
	moduleImport = regexp.MustCompile(`(?:from|import)\s*\(?\s*'\./([\w.-]+)'`)
)

// scanWorker returns the service worker's script: VERSION (a digest of the page's files)
// and ASSETS (their paths) before the worker's own text, so a new build replaces the
// cache of the devices and a file added to the page is kept offline without more ado.
func scanWorker(assets map[string]*asset) []byte {
	names := pageFiles(assets, "scan.html")
	sum := sha256.New()
	paths := make([]string, len(names))
	for i, n := range names {
		sum.Write([]byte(n + "\x00" + assets[n].etag + "\x00"))
		paths[i] = AssetsPath + n
	}
	sum.Write(assets["scan-sw.js"].data)
	list, _ := json.Marshal(paths)
	head := "const VERSION = '" + hex.EncodeToString(sum.Sum(nil)[:8]) + "';\nconst ASSETS = " + string(list) + ";\n\n"
	return append([]byte(head), assets["scan-sw.js"].data...)
}

// pageFiles returns the assets a page uses, sorted: those its HTML links and those their
// scripts import, followed to the end.
func pageFiles(assets map[string]*asset, page string) []string {
	seen := map[string]bool{}
	var todo []string
	add := func(refs [][]string) {
		for _, m := range refs {
			if a, ok := assets[m[1]]; ok && !seen[a.name] {
				seen[a.name] = true
				todo = append(todo, a.name)
			}
		}
	}
	add(pageAssetRef.FindAllStringSubmatch(string(assets[page].data), -1))
	for len(todo) > 0 {
		name := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if strings.HasSuffix(name, ".js") {
			add(moduleImport.FindAllStringSubmatch(string(assets[name].data), -1))
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// serveScanWorker serves the service worker, allowed to control ScanPath itself (by
// default a worker's scope ends at its own folder, /scan/).
func serveScanWorker(assets map[string]*asset) http.HandlerFunc {
	data := scanWorker(assets)
	sum := sha256.Sum256(data)
	a := &asset{name: "sw.js", data: data, typ: contentType("sw.js"), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Service-Worker-Allowed", ScanPath)
		serveAsset(w, r, a)
	}
}
