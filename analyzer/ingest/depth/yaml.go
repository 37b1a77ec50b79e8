package depth

// YAML checks that the collections of data nest at most limit deep
// (ingest.DefaultMaxDepth when limit <= 0): block collections by their
// indentation and "- " entries, flow collections by their brackets.
// Quoted scalars, block scalars (| and >) and comments are skipped. JSON is
// YAML, so a JSON document is checked too.
func YAML(file string, data []byte, limit int) error {
	limit = limitOf(limit)
	s := yamlScan{data: data, limit: limit}
	if off, ok := s.run(); !ok {
		return fail(file, data, off, limit)
	}
	return nil
}

type yamlScan struct {
	data   []byte
	limit  int
	blocks []int // indentation of the open block collections
	flow   int   // open flow collections
	// quote is the quote of a scalar open across lines (0: none).
	quote byte
	// literal is the indentation of the line introducing an open block
	// scalar (-1: none).
	literal int
}

func (s *yamlScan) depth() int { return len(s.blocks) + s.flow }

// run scans line by line; it returns the offset that went too deep.
func (s *yamlScan) run() (int, bool) {
	s.literal = -1
	data := s.data
	for start := 0; start < len(data); {
		end := start
		for end < len(data) && data[end] != '\n' {
			end++
		}
		if off, ok := s.line(start, end); !ok {
			return off, false
		}
		start = end + 1
	}
	return 0, true
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' }

// line scans data[start:end], one line without its newline.
func (s *yamlScan) line(start, end int) (int, bool) {
	data := s.data
	i := start
	for i < end && data[i] == ' ' {
		i++
	}
	indent := i - start
	blank := i == end || data[i] == '#' || data[i] == '\r'
	if s.literal >= 0 {
		if blank || indent > s.literal {
			return 0, true
		}
		s.literal = -1
	}
	if s.quote != 0 {
		i = s.inQuote(i, end)
		if s.quote != 0 {
			return 0, true
		}
	} else if s.flow == 0 {
		if blank {
			return 0, true
		}
		if end-i >= 3 && (string(data[i:i+3]) == "---" || string(data[i:i+3]) == "...") && (end-i == 3 || isSpace(data[i+3])) {
			s.blocks = s.blocks[:0]
			i += 3
		} else {
			for len(s.blocks) > 0 && s.blocks[len(s.blocks)-1] >= indent {
				s.blocks = s.blocks[:len(s.blocks)-1]
			}
			if data[i] != '[' && data[i] != '{' {
				// A line starting with a flow collection is no block
				// mapping's entry.
				s.blocks = append(s.blocks, indent)
				if s.depth() > s.limit {
					return i, false
				}
			}
			// "- - - x" opens one sequence per dash.
			for i+1 < end && (data[i] == '-' || data[i] == '?') && isSpace(data[i+1]) || i+1 == end && data[i] == '-' {
				i++
				for i < end && isSpace(data[i]) {
					i++
				}
				s.blocks = append(s.blocks, i-start)
				if s.depth() > s.limit {
					return i, false
				}
			}
		}
	}
	return s.rest(i, end, indent)
}

// inQuote skips the rest of an open quoted scalar from i; it returns the
// offset after its closing quote (end when it stays open).
func (s *yamlScan) inQuote(i, end int) int {
	data := s.data
	for i < end {
		switch {
		case s.quote == '"' && data[i] == '\\':
			i += 2
			continue
		case data[i] == s.quote:
			if s.quote == '\'' && i+1 < end && data[i+1] == '\'' {
				i += 2
				continue
			}
			s.quote = 0
			return i + 1
		}
		i++
	}
	return end
}

// rest scans the remainder of a line from i: flow brackets, quotes, a
// comment and a block scalar header.
func (s *yamlScan) rest(i, end, indent int) (int, bool) {
	data := s.data
	// valueStart: at i a value may begin (line start, after ": ", "- ",
	// or anywhere inside a flow collection).
	valueStart := true
	for i < end {
		c := data[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == '#' && (i == 0 || isSpace(data[i-1])):
			return 0, true
		case (c == '"' || c == '\'') && (valueStart || s.flow > 0):
			s.quote = c
			i = s.inQuote(i+1, end)
			if s.quote != 0 {
				return 0, true
			}
			valueStart = false
			continue
		case (c == '[' || c == '{') && (valueStart || s.flow > 0):
			s.flow++
			if s.depth() > s.limit {
				return i, false
			}
			i++
			valueStart = true
			continue
		case (c == ']' || c == '}') && s.flow > 0:
			s.flow--
		case (c == '|' || c == '>') && valueStart && s.flow == 0:
			j := i + 1
			for j < end && (data[j] == '-' || data[j] == '+' || data[j] >= '1' && data[j] <= '9') {
				j++
			}
			if j == end || isSpace(data[j]) {
				s.literal = indent
				return 0, true
			}
		case (c == ':' || c == '-' || c == ',') && (i+1 == end || isSpace(data[i+1])):
			i++
			valueStart = true
			continue
		case c == ',' && s.flow > 0:
			i++
			valueStart = true
			continue
		case c == '&' || c == '!':
			// An anchor or a tag before the value.
			for i < end && !isSpace(data[i]) {
				i++
			}
			continue
		}
		if s.flow == 0 {
			valueStart = false
		}
		i++
	}
	return 0, true
}
