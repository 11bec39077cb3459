package pdfscan

// page is one page to read: its dictionary, the resources it inherits or holds, and its
// visible box in points.
type page struct {
	dict      dict
	resources dict
	box       [4]float64
}

// letter is the box of a page that names none.
var letter = [4]float64{0, 0, 612, 792}

// pages lists the pages in order: the page tree from the catalog, or when the file has
// no usable catalog, every /Type /Page object by object number.
func (d *document) pages() ([]page, error) {
	var out []page
	if root := d.pageTreeRoot(); root != nil {
		w := &pageWalk{d: d, seen: map[int]bool{}}
		if err := w.walk(root, nil, letter, 0); err != nil {
			return nil, err
		}
		out = w.pages
	}
	if len(out) == 0 {
		out = d.loosePages()
	}
	if len(out) > d.lim.MaxPages {
		return nil, tooLarge("it has %d pages, the limit is %d", len(out), d.lim.MaxPages)
	}
	if len(out) == 0 {
		return nil, malformed("it has no pages")
	}
	return out, nil
}

// pageTreeRoot is the /Pages of the catalog the last trailer names, or of any catalog.
func (d *document) pageTreeRoot() any {
	for i := len(d.trailers) - 1; i >= 0; i-- {
		if cat := d.dictOf(d.trailers[i]["Root"]); cat != nil && cat["Pages"] != nil {
			return cat["Pages"]
		}
	}
	for _, v := range d.objs {
		if c, ok := v.(dict); ok && c["Type"] == name("Catalog") && c["Pages"] != nil {
			return c["Pages"]
		}
	}
	return nil
}

// loosePages lists the page objects by object number, for files without a page tree.
func (d *document) loosePages() []page {
	var out []page
	for num := range d.maxObject() + 1 {
		if p, ok := d.objs[num].(dict); ok && p["Type"] == name("Page") {
			if len(out) > d.lim.MaxPages {
				break
			}
			out = append(out, d.newPage(p, nil, letter))
		}
	}
	return out
}

func (d *document) maxObject() int {
	m := 0
	for num := range d.objs {
		m = max(m, num)
	}
	return min(m, 10*d.lim.MaxObjects)
}

// pageWalk walks the page tree once, guarding against loops.
type pageWalk struct {
	d     *document
	seen  map[int]bool
	pages []page
}

func (w *pageWalk) walk(node any, resources dict, box [4]float64, depth int) error {
	if r, ok := node.(ref); ok {
		if w.seen[r.num] {
			return nil
		}
		w.seen[r.num] = true
	}
	n := w.d.dictOf(node)
	if n == nil || depth > maxNesting {
		return nil
	}
	if r := w.d.dictOf(n["Resources"]); r != nil {
		resources = r
	}
	box = w.d.boxOf(n, box)
	kids, isTree := w.d.resolve(n["Kids"]).(array)
	if !isTree || n["Type"] == name("Page") {
		w.pages = append(w.pages, w.d.newPage(n, resources, box))
		if len(w.pages) > w.d.lim.MaxPages {
			return tooLarge("it has more than %d pages", w.d.lim.MaxPages)
		}
		return nil
	}
	for _, k := range kids {
		if err := w.walk(k, resources, box, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (d *document) newPage(p, inherited dict, box [4]float64) page {
	res := d.dictOf(p["Resources"])
	if res == nil {
		res = inherited
	}
	return page{dict: p, resources: res, box: d.boxOf(p, box)}
}

// boxOf is the node's CropBox, else its MediaBox, else box; normalised so that the
// first corner is the lower left, and ignored when absurd.
func (d *document) boxOf(n dict, box [4]float64) [4]float64 {
	for _, key := range []name{"CropBox", "MediaBox"} {
		a, ok := d.resolve(n[key]).(array)
		if !ok || len(a) != 4 {
			continue
		}
		var b [4]float64
		for i := range b {
			if b[i], ok = d.number(a[i]); !ok {
				break
			}
		}
		x0, y0, x1, y1 := min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])
		if ok && x1-x0 >= 1 && y1-y0 >= 1 && x1-x0 <= 14400 && y1-y0 <= 14400 {
			return [4]float64{x0, y0, x1, y1}
		}
	}
	return box
}
