package ecs

import (
	"github.com/elastic/elastic-agent-libs/mapstr"
	structform "github.com/elastic/go-structform"
	"github.com/elastic/go-structform/gotype"
)

// foldObject writes a map of plain Go values (what counter records and
// rare flow records are made of) to v, without reflection.
func foldObject(v structform.ExtVisitor, m map[string]any) error {
	if err := v.OnObjectStart(len(m), structform.AnyType); err != nil {
		return err
	}
	for k, val := range m {
		if err := v.OnKey(k); err != nil {
			return err
		}
		if err := foldValue(v, val); err != nil {
			return err
		}
	}
	return v.OnObjectFinished()
}

// foldValue writes one plain Go value.
func foldValue(v structform.ExtVisitor, val any) error {
	switch x := val.(type) {
	case uint8:
		return v.OnUint8(x)
	case uint16:
		return v.OnUint16(x)
	case uint32:
		return v.OnUint32(x)
	case uint64:
		return v.OnUint64(x)
	case int32:
		return v.OnInt32(x)
	case int64:
		return v.OnInt64(x)
	case int:
		return v.OnInt(x)
	case float32:
		return v.OnFloat32(x)
	case float64:
		return v.OnFloat64(x)
	case bool:
		return v.OnBool(x)
	case string:
		return v.OnString(x)
	case []string:
		return v.OnStringArray(x)
	case []uint32:
		return v.OnUint32Array(x)
	case mapstr.M:
		return foldObject(v, x)
	case []mapstr.M:
		return foldObjects(v, x)
	case *Object:
		return x.Fold(v)
	}
	return gotype.Fold(val, v) // a type the counters do not use today: reflection

}

// foldObjects writes a list of maps.
func foldObjects(v structform.ExtVisitor, l []mapstr.M) error {
	if err := v.OnArrayStart(len(l), structform.AnyType); err != nil {
		return err
	}
	for _, m := range l {
		if err := foldObject(v, m); err != nil {
			return err
		}
	}
	return v.OnArrayFinished()
}
