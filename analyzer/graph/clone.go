package graph

import "reflect"

// CloneNode returns a deep copy of n: a new node of the same type whose
// slices, maps and pointed-to values are copies too, so that changing the
// copy never changes n. A reader that keeps fragments between analyses
// fills copies, never the kept nodes.
func CloneNode(n Node) Node {
	if n == nil {
		return nil
	}
	return deepCopy(reflect.ValueOf(n)).Interface().(Node)
}

// CopyValue returns a deep copy of v (see CloneNode).
func CopyValue(v reflect.Value) reflect.Value { return deepCopy(v) }

// deepCopy copies v with everything it refers to. Unexported fields are
// copied as they are (nodes have none that refer to shared data).
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(deepCopy(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if f := out.Field(i); f.CanSet() && needsCopy(f.Kind()) {
				f.Set(deepCopy(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		if !needsCopy(v.Type().Elem().Kind()) {
			reflect.Copy(out, v)
			return out
		}
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(deepCopy(v.Elem()))
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopy(v.Index(i)))
		}
		return out
	}
	return v
}

// needsCopy reports whether values of kind k may refer to shared data.
func needsCopy(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.Struct, reflect.Slice, reflect.Map, reflect.Interface, reflect.Array:
		return true
	}
	return false
}
