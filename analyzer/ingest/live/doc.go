package live

import (
	"bufio"
	"reflect"
)

// doc streams one CLI output document, {"Key": value, "List": [items…]},
// to a file: members and list items are written as they come, so a
// paginated command's pages go to the file one by one and are not held.
type doc struct {
	enc     encoder
	members int
	inList  bool
	items   int
	// pages counts the responses written (for the report).
	pages int
}

func newDoc(w *bufio.Writer, camel bool) *doc {
	d := &doc{enc: encoder{w: w, camel: camel}}
	d.enc.w.WriteByte('{')
	return d
}

func (d *doc) name(key string) {
	if d.members > 0 {
		d.enc.w.WriteByte(',')
	}
	d.members++
	d.enc.newline(1)
	d.enc.str(key)
	d.enc.w.WriteString(": ")
}

// member writes one member with a value.
func (d *doc) member(key string, v any) {
	d.closeList()
	d.name(key)
	d.enc.value(reflect.ValueOf(v), 1)
}

// list starts the list member key; items follow with item.
func (d *doc) list(key string) {
	d.closeList()
	d.name(key)
	d.enc.w.WriteByte('[')
	d.inList, d.items = true, 0
}

// item writes one element of the open list.
func (d *doc) item(v any) {
	if d.items > 0 {
		d.enc.w.WriteByte(',')
	}
	d.items++
	d.enc.newline(2)
	d.enc.value(reflect.ValueOf(v), 2)
}

func (d *doc) closeList() {
	if !d.inList {
		return
	}
	d.inList = false
	if d.items > 0 {
		d.enc.newline(1)
	}
	d.enc.w.WriteByte(']')
}

// end closes the document.
func (d *doc) end() error {
	d.closeList()
	if d.members > 0 {
		d.enc.newline(0)
	}
	d.enc.w.WriteString("}\n")
	return d.enc.w.Flush()
}
