package kibanacheck

import "strings"

// KQLFields returns the field names a KQL query compares (the names before
// ":", "<", "<=", ">" or ">="). Values, quoted strings and nested queries
// ({...}) are skipped; names with a wildcard are left out, since they match
// fields rather than name one.
func KQLFields(q string) []string {
	var out []string
	for i := 0; i < len(q); {
		switch c := q[i]; {
		case c == '"':
			i = skipQuoted(q, i)
		case isNameByte(c):
			name, next := scanName(q, i)
			op := operatorAt(q, next)
			if op == 0 {
				i = next
				continue
			}
			if !strings.Contains(name, "*") {
				out = append(out, name)
			}
			i = skipValue(q, next+op)
		default:
			i++
		}
	}
	return out
}

// isNameByte reports whether c may appear in a field name.
func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c == '@' || c == '*' || c == '-' ||
		c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// scanName returns the name starting at i and the index after it.
func scanName(q string, i int) (string, int) {
	j := i
	for j < len(q) && isNameByte(q[j]) {
		j++
	}
	return q[i:j], j
}

// operatorAt returns the length of the comparison operator after optional
// spaces at i (counting the spaces), or 0 when there is none.
func operatorAt(q string, i int) int {
	j := skipSpaces(q, i)
	for _, op := range []string{"<=", ">=", ":", "<", ">"} {
		if strings.HasPrefix(q[j:], op) {
			return j - i + len(op)
		}
	}
	return 0
}

// skipValue skips the value after an operator: a quoted string, a
// parenthesised list, a nested query or a bare word.
func skipValue(q string, i int) int {
	i = skipSpaces(q, i)
	if i >= len(q) {
		return i
	}
	switch q[i] {
	case '"':
		return skipQuoted(q, i)
	case '(':
		return skipGroup(q, i, '(', ')')
	case '{':
		return skipGroup(q, i, '{', '}')
	}
	for i < len(q) && q[i] != ' ' && q[i] != ')' {
		i++
	}
	return i
}

// skipSpaces returns the index of the first non-space byte at or after i.
func skipSpaces(q string, i int) int {
	for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n') {
		i++
	}
	return i
}

// skipQuoted returns the index after the quoted string that starts at i.
func skipQuoted(q string, i int) int {
	for i++; i < len(q); i++ {
		switch q[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipGroup returns the index after the bracketed group that starts at i,
// skipping quoted strings inside it.
func skipGroup(q string, i int, open, closing byte) int {
	depth := 0
	for i < len(q) {
		switch q[i] {
		case '"':
			i = skipQuoted(q, i)
			continue
		case open:
			depth++
		case closing:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}
