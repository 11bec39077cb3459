package qrdecode

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// gozxing's finder pattern finder stops scanning as soon as it has three candidates
// confirmed on two rows each with module sizes within 5% of each other. On a sharp code
// a patch of data modules now and then passes every cross-check of a finder pattern
// (about one code in twenty of the tickets we print): when the scan reaches that patch
// before the real third finder, it stops there, the real finder is never seen and no
// choice among the candidates can decode. allCenters scans the whole matrix instead.

// centerRowStep is the distance in rows between the rows allCenters scans: two keeps a
// centre of three modules of two pixels on at least two rows.
const centerRowStep = 2

// stoppedEarly reports whether f's scan may have ended before the last row: only when
// it holds three confirmed candidates of one module size.
func stoppedEarly(f *detector.FinderPatternFinder) bool {
	return f != nil && f.HaveMultiplyConfirmedCenters()
}

// allCenters returns the finder pattern candidates of every centerRowStep-th row of m,
// checked by gozxing's own cross-checks.
func allCenters(m *gozxing.BitMatrix) []*detector.FinderPattern {
	f := detector.NewFinderPatternFinder(m, nil)
	row := gozxing.NewBitArray(m.GetWidth())
	var runs []int
	for y := centerRowStep - 1; y < m.GetHeight(); y += centerRowStep {
		row = m.GetRow(y, row)
		runs = darkRuns(row, runs[:0])
		scanRuns(f, runs, y)
	}
	return f.GetPossibleCenters()
}

// darkRuns appends the boundaries of row's runs, starting with the first dark pixel:
// runs[0] is where the first dark run starts, and each next entry where a run of the
// other colour starts (the last where the row ends, when it ends on dark).
func darkRuns(row *gozxing.BitArray, runs []int) []int {
	n := row.GetSize()
	x := row.GetNextSet(0)
	for x < n {
		runs = append(runs, x)
		x = row.GetNextUnset(x)
		runs = append(runs, x)
		if x >= n {
			break
		}
		x = row.GetNextSet(x)
	}
	return runs
}

// scanRuns hands every dark-light-dark-light-dark window of a row's runs whose widths
// look like 1:1:3:1:1 to f, which cross-checks it and records it as a candidate.
func scanRuns(f *detector.FinderPatternFinder, runs []int, y int) {
	state := make([]int, 5)
	// Dark runs start at even entries: a window is runs[k] .. runs[k+5].
	for k := 0; k+5 < len(runs); k += 2 {
		for s := range state {
			state[s] = runs[k+s+1] - runs[k+s]
		}
		if !detector.FinderPatternFinder_foundPatternCross(state) {
			continue
		}
		if f.HandlePossibleCenter(state, y, runs[k+5]) {
			k += 4 // the next window starts after this pattern
		}
	}
}
