package pdfscan

// xobject paints a form XObject into the page or collects an image XObject.
func (p *painter) xobject(args []any, resources dict) error {
	if len(args) != 1 {
		return nil
	}
	key, _ := args[0].(name)
	s, ok := p.d.resolve(p.d.dictOf(resources["XObject"])[key]).(*stream)
	if !ok {
		return nil
	}
	switch p.d.resolve(s.dict["Subtype"]) {
	case name("Image"):
		return p.image(s, resources)
	case name("Form"):
		return p.form(s, resources)
	}
	return nil
}

// form runs a form XObject's content under its matrix, with its own resources or, when
// it names none, the page's.
func (p *painter) form(s *stream, resources dict) error {
	if p.depth >= maxFormDepth {
		return nil
	}
	content, _, err := p.d.decodeStream(s)
	if err != nil {
		return err
	}
	saved, savedStack, savedPath := p.gs, p.stack, p.path
	p.stack, p.path = nil, nil
	if m, ok := p.d.resolve(s.dict["Matrix"]).(array); ok {
		if n := numbers(m); len(n) == 6 {
			p.gs.ctm = matrix(n).times(p.gs.ctm)
		}
	}
	if r := p.d.dictOf(s.dict["Resources"]); r != nil {
		resources = r
	}
	p.depth++
	err = p.run(content, resources)
	p.depth--
	p.gs, p.stack, p.path = saved, savedStack, savedPath
	return err
}

// image collects an image XObject to be decoded on its own.
func (p *painter) image(s *stream, resources dict) error {
	if p.d.images++; p.d.images > p.d.lim.MaxImages {
		return tooLarge("it has more than %d images", p.d.lim.MaxImages)
	}
	src, err := p.d.imageSource(s, resources)
	if err != nil {
		return err
	}
	if src != nil {
		p.images = append(p.images, *src)
	}
	return nil
}
