package pdfscan

// unpredict undoes a Flate stream's predictor (DecodeParms /Predictor): 2 for TIFF's
// horizontal differencing of 8-bit samples, 10 to 15 for PNG's per-row filters.
func (d *document) unpredict(data []byte, params dict) ([]byte, error) {
	pred, _ := d.number(params["Predictor"])
	if pred < 2 {
		return data, nil
	}
	colors, bpc, columns := 1.0, 8.0, 1.0
	if v, ok := d.number(params["Colors"]); ok {
		colors = v
	}
	if v, ok := d.number(params["BitsPerComponent"]); ok {
		bpc = v
	}
	if v, ok := d.number(params["Columns"]); ok {
		columns = v
	}
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || columns > 1<<20 {
		return nil, malformed("a stream's predictor parameters are out of range")
	}
	bpp := max(1, int(colors*bpc+7)/8)
	rowLen := (int(colors*bpc*columns) + 7) / 8
	if pred == 2 {
		return tiffPredictor(data, rowLen, bpp), nil
	}
	return pngPredictor(data, rowLen, bpp), nil
}

// tiffPredictor adds each byte to the one a pixel before it (exact for 8-bit samples).
func tiffPredictor(data []byte, rowLen, bpp int) []byte {
	for row := 0; row+rowLen <= len(data); row += rowLen {
		for i := row + bpp; i < row+rowLen; i++ {
			data[i] += data[i-bpp]
		}
	}
	return data
}

// pngPredictor undoes PNG row filters: each row is a filter byte and rowLen bytes.
func pngPredictor(data []byte, rowLen, bpp int) []byte {
	out := make([]byte, 0, len(data))
	prev := make([]byte, rowLen)
	for len(data) > rowLen {
		filter, row := data[0], data[1:rowLen+1]
		data = data[rowLen+1:]
		cur := make([]byte, rowLen)
		for i := range row {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = cur[i-bpp], prev[i-bpp]
			}
			cur[i] = row[i] + pngPrediction(filter, left, prev[i], upLeft)
		}
		out = append(out, cur...)
		prev = cur
	}
	return out
}

func pngPrediction(filter, left, up, upLeft byte) byte {
	switch filter {
	case 1:
		return left
	case 2:
		return up
	case 3:
		return byte((int(left) + int(up)) / 2)
	case 4:
		return paeth(left, up, upLeft)
	}
	return 0
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
