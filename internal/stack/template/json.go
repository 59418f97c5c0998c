package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// jsonReader reads a JSON document with encoding/json's tokenizer and
// recovers each token's position from the decoder's input offset.
type jsonReader struct {
	src  []byte
	dec  *json.Decoder
	errs ErrorList
	// The position of byte offset at: tokens come in order, so each
	// position is counted on from the one before.
	at        int
	line, col int
}

// readJSON reads one JSON document into a Node tree. Numbers keep their
// text; a key given twice in one object is an error, as CloudFormation
// rejects it. syntax is true when the input is not well-formed JSON.
func readJSON(src []byte) (n *Node, errs ErrorList, syntax bool) {
	r := &jsonReader{src: src, dec: json.NewDecoder(bytes.NewReader(src)), line: 1, col: 1}
	r.dec.UseNumber()
	n, err := r.value("")
	if err != nil {
		return nil, ErrorList{r.syntaxError(err)}, true
	}
	if _, pos, err := r.next(); !errors.Is(err, io.EOF) {
		return nil, ErrorList{{Pos: pos, Msg: "JSON not well-formed: data after the top-level value"}}, true
	}
	if len(r.errs) > 0 {
		return nil, r.errs, false
	}
	return n, nil, false
}

func (r *jsonReader) syntaxError(err error) *Error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &Error{Pos: r.pos(int(se.Offset)), Msg: "JSON not well-formed: " + se.Error()}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Pos: r.pos(len(r.src)), Msg: "JSON not well-formed: unexpected end of input"}
	}
	return &Error{Msg: "JSON not well-formed: " + err.Error()}
}

// pos converts a byte offset into a line and a column counted in
// characters.
func (r *jsonReader) pos(off int) Pos {
	off = min(max(off, 0), len(r.src))
	if off < r.at {
		r.at, r.line, r.col = 0, 1, 1
	}
	for r.at < off {
		if r.src[r.at] == '\n' {
			r.at++
			r.line, r.col = r.line+1, 1
			continue
		}
		_, size := utf8.DecodeRune(r.src[r.at:])
		r.at += size
		r.col++
	}
	return Pos{Line: r.line, Column: r.col}
}

// next reads a token and the position where it starts: after the
// whitespace and the one separator that precede it.
func (r *jsonReader) next() (json.Token, Pos, error) {
	off := int(r.dec.InputOffset())
	for off < len(r.src) {
		switch r.src[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	tok, err := r.dec.Token()
	return tok, r.pos(off), err
}

func (r *jsonReader) value(path string) (*Node, error) {
	tok, pos, err := r.next()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &Node{Kind: Null, Pos: pos}, nil
	case bool:
		return &Node{Kind: Bool, Pos: pos, Value: map[bool]string{true: "true", false: "false"}[t]}, nil
	case json.Number:
		return &Node{Kind: Number, Pos: pos, Value: string(t)}, nil
	case string:
		return &Node{Kind: String, Pos: pos, Value: t}, nil
	case json.Delim:
		if t == '[' {
			n := &Node{Kind: Sequence, Pos: pos, Items: []*Node{}}
			for r.dec.More() {
				it, err := r.value(IndexPath(path, len(n.Items)))
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, it)
			}
			_, _, err := r.next() // ']'
			return n, err
		}
		n := &Node{Kind: Mapping, Pos: pos, Fields: []Field{}}
		seen := map[string]Pos{}
		for r.dec.More() {
			tok, kpos, err := r.next()
			if err != nil {
				return nil, err
			}
			key, _ := tok.(string) // the decoder only gives strings here
			v, err := r.value(JoinPath(path, key))
			if err != nil {
				return nil, err
			}
			if first, dup := seen[key]; dup {
				r.errs.Add(kpos, JoinPath(path, key), "duplicate key %q (first at line %d)", key, first.Line)
				continue
			}
			seen[key] = kpos
			n.Fields = append(n.Fields, Field{Key: key, KeyPos: kpos, Value: v})
		}
		_, _, err := r.next() // '}'
		return n, err
	}
	return nil, errors.New("unexpected token")
}
