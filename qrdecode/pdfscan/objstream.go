package pdfscan

// readObjectStreams reads the objects compressed in object streams (/Type /ObjStm, PDF
// 1.5). An object defined directly in the file keeps that definition.
func (d *document) readObjectStreams() error {
	var streams []*stream
	for _, v := range d.objs {
		if s, ok := v.(*stream); ok && s.dict["Type"] == name("ObjStm") {
			streams = append(streams, s)
		}
	}
	for _, s := range streams {
		if err := d.readObjectStream(s); err != nil {
			return err
		}
	}
	return nil
}

func (d *document) readObjectStream(s *stream) error {
	data, _, err := d.decodeStream(s)
	if err != nil {
		return err
	}
	n, _ := s.dict["N"].(float64)
	first, _ := s.dict["First"].(float64)
	if n < 0 || first < 0 || first > float64(len(data)) {
		return nil // damaged: its objects are simply missing
	}
	head := &lexer{data: data[:int(first)]}
	for range min(int(n), d.lim.MaxObjects) {
		num, err1 := head.object(0, false)
		off, err2 := head.object(0, false)
		nf, ok1 := num.(float64)
		of, ok2 := off.(float64)
		if err1 != nil || err2 != nil || !ok1 || !ok2 || of < 0 || int(first)+int(of) >= len(data) {
			return nil
		}
		if _, seen := d.objs[int(nf)]; seen {
			continue
		}
		if len(d.objs) >= d.lim.MaxObjects {
			return tooLarge("it has more than %d objects", d.lim.MaxObjects)
		}
		lx := &lexer{data: data, pos: int(first) + int(of)}
		if v, err := lx.object(0, true); err == nil {
			d.objs[int(nf)] = v
		}
	}
	return nil
}
