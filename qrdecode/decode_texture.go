package qrdecode

import (
	"image"
	"sort"
)

// textureBlock is the side in pixels of the blocks textureRegions scores.
const textureBlock = 16

// textureRegions finds where in l a small code may be by its texture: blocks crossed
// by many steep edges in both directions, joined into connected areas. It costs one
// pass over every second row, and finds codes whose finder patterns are too small or too
// blurred for the finder pattern finder. It returns at most two boxes, the largest areas
// first, grown by two blocks.
func textureRegions(l *luma) []image.Rectangle {
	bw, bh := l.w/textureBlock, l.h/textureBlock
	if bw < 3 || bh < 3 {
		return nil
	}
	busy := busyBlocks(l, bw, bh)
	var areas []blockArea
	seen := make([]bool, bw*bh)
	for i, b := range busy {
		if b && !seen[i] {
			if a := floodBlocks(busy, seen, bw, bh, i); a.n >= 6 && a.r.Dx() >= 3 && a.r.Dy() >= 3 {
				areas = append(areas, a)
			}
		}
	}
	sort.SliceStable(areas, func(i, j int) bool { return areas[i].n > areas[j].n })
	var out []image.Rectangle
	for _, a := range areas[:min(len(areas), 2)] {
		r := image.Rect(a.r.Min.X*textureBlock, a.r.Min.Y*textureBlock, a.r.Max.X*textureBlock, a.r.Max.Y*textureBlock)
		out = append(out, r.Inset(-2*textureBlock).Intersect(image.Rect(0, 0, l.w, l.h)))
	}
	return out
}

// busyBlocks marks the blocks where, on every second row, at least 20 pixels step
// steeply from their left to right neighbour and 20 from the one above to the one below.
func busyBlocks(l *luma, bw, bh int) []bool {
	const step, need = 24, 20
	hc, vc := make([]int, bw*bh), make([]int, bw*bh)
	for y := 1; y < bh*textureBlock-1; y += 2 {
		row, up, down := l.pix[y*l.w:], l.pix[(y-1)*l.w:], l.pix[(y+1)*l.w:]
		base := (y / textureBlock) * bw
		for x := 1; x < bw*textureBlock-1; x++ {
			b := base + x/textureBlock
			if d := int(row[x+1]) - int(row[x-1]); d > step || d < -step {
				hc[b]++
			}
			if d := int(down[x]) - int(up[x]); d > step || d < -step {
				vc[b]++
			}
		}
	}
	busy := make([]bool, bw*bh)
	for i := range busy {
		busy[i] = hc[i] >= need && vc[i] >= need
	}
	return busy
}

// blockArea is a connected set of busy blocks: its count and bounding box in blocks.
type blockArea struct {
	n int
	r image.Rectangle
}

// floodBlocks collects the 4-connected busy blocks from start.
func floodBlocks(busy, seen []bool, bw, bh, start int) blockArea {
	a := blockArea{r: image.Rect(start%bw, start/bw, start%bw+1, start/bw+1)}
	stack := []int{start}
	seen[start] = true
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := i%bw, i/bw
		a.n++
		a.r = a.r.Union(image.Rect(x, y, x+1, y+1))
		for _, j := range [4]int{i - 1, i + 1, i - bw, i + bw} {
			if j < 0 || j >= len(busy) || seen[j] || !busy[j] || (j == i-1 && x == 0) || (j == i+1 && x == bw-1) {
				continue
			}
			seen[j] = true
			stack = append(stack, j)
		}
	}
	return a
}
