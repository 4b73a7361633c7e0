package parley

// The *Fields structs beside each resource carry what a create or update
// request supplied: a nil pointer means "not given", so an update changes
// only what was sent.

// PageRequest asks for one page of a keyset-ordered list. After and Before
// are keys (Seq, or Index for messages) taken from a previous page; at most
// one is set. Desc reverses the list's natural order.
type PageRequest struct {
	Size   int
	After  *int64
	Before *int64
	Desc   bool
}
