package live

import (
	"bufio"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The AWS CLI prints a response as Python's json.dumps(response, indent=4,
// ensure_ascii=False) does: four-space indent, ", " never at line ends,
// ": " between a name and its value, non-ASCII text as is, members absent
// from the response left out. The encoder below prints the SDK's output
// types the same way, by reflection: a nil pointer, slice, map or interface
// and an empty enum string are members the response did not hold; an empty
// non-nil slice is an empty list the response did hold (the SDK's
// deserializers make one for an empty XML element). Timestamps are printed
// in the CLI v2 default (ISO 8601, Python's isoformat: 2026-11-24T21:15:55+00:00).
// Members come in the order of the SDK's Go structs; the ECS API's member
// names are lowerCamel on the wire and in the CLI, so camel lowers the first
// letter of every member name.

var timeType = reflect.TypeFor[time.Time]()

// encoder writes CLI-style JSON to a buffered writer; the writer's error
// is sticky, so callers check it once at the end.
type encoder struct {
	w     *bufio.Writer
	camel bool
}

func (e *encoder) newline(indent int) {
	e.w.WriteByte('\n')
	for range indent {
		e.w.WriteString("    ")
	}
}

// value writes v at nesting level indent (the level of the line it starts on).
func (e *encoder) value(v reflect.Value, indent int) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.w.WriteString("null")
			return
		}
		e.value(v.Elem(), indent)
	case reflect.Struct:
		if v.Type() == timeType {
			e.str(isoformat(v.Interface().(time.Time)))
			return
		}
		e.object(v, indent)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			// Blobs are base64 in the CLI; none of the outputs read holds one.
			e.str(string(v.Bytes()))
			return
		}
		n := v.Len()
		if n == 0 {
			e.w.WriteString("[]")
			return
		}
		e.w.WriteByte('[')
		for i := range n {
			if i > 0 {
				e.w.WriteByte(',')
			}
			e.newline(indent + 1)
			e.value(v.Index(i), indent+1)
		}
		e.newline(indent)
		e.w.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		if len(keys) == 0 {
			e.w.WriteString("{}")
			return
		}
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String()
		}
		sort.Strings(names)
		e.w.WriteByte('{')
		for i, k := range names {
			if i > 0 {
				e.w.WriteByte(',')
			}
			e.newline(indent + 1)
			e.str(k)
			e.w.WriteString(": ")
			e.value(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), indent+1)
		}
		e.newline(indent)
		e.w.WriteByte('}')
	case reflect.String:
		e.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			e.w.WriteString("true")
		} else {
			e.w.WriteString("false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.w.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.w.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		e.w.WriteString(pyFloat(v.Float()))
	default:
		e.w.WriteString("null")
	}
}

// object writes the members of a struct that the response held.
func (e *encoder) object(v reflect.Value, indent int) {
	t := v.Type()
	n := 0
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if absent(fv) {
			continue
		}
		if n == 0 {
			e.w.WriteByte('{')
		} else {
			e.w.WriteByte(',')
		}
		n++
		e.newline(indent + 1)
		name := f.Name
		if e.camel {
			name = lowerFirst(name)
		}
		e.str(name)
		e.w.WriteString(": ")
		e.value(fv, indent+1)
	}
	if n == 0 {
		e.w.WriteString("{}")
		return
	}
	e.newline(indent)
	e.w.WriteByte('}')
}

// absent reports whether a member value stands for a member the response
// did not hold.
func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return v.IsNil()
	case reflect.Interface:
		// Unions and documents: none in the outputs read; left out.
		return true
	case reflect.String:
		return v.Len() == 0
	}
	return false
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// str writes s as a JSON string the way Python's json.dumps with
// ensure_ascii=False does.
func (e *encoder) str(s string) {
	const hex = "0123456789abcdef"
	e.w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				e.w.WriteString(s[start:i])
				e.w.WriteString(`\ufffd`)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		e.w.WriteString(s[start:i])
		switch c {
		case '"':
			e.w.WriteString(`\"`)
		case '\\':
			e.w.WriteString(`\\`)
		case '\n':
			e.w.WriteString(`\n`)
		case '\r':
			e.w.WriteString(`\r`)
		case '\t':
			e.w.WriteString(`\t`)
		case '\b':
			e.w.WriteString(`\b`)
		case '\f':
			e.w.WriteString(`\f`)
		default:
			e.w.WriteString(`\u00`)
			e.w.WriteByte(hex[c>>4])
			e.w.WriteByte(hex[c&0xf])
		}
		i++
		start = i
	}
	e.w.WriteString(s[start:])
	e.w.WriteByte('"')
}

// isoformat prints t in UTC as Python's datetime.isoformat does.
func isoformat(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += "." + strconv.Itoa(1_000_000 + us)[1:]
	}
	return s + "+00:00"
}

// pyFloat prints f as Python's repr does: 50.0, 0.5, 1e-05, 1e+16.
func pyFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "null"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
