package season

// typeWords names a Go kind as a JSON type, for a sentence.
func typeWords(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	case "bool":
		return "boolean (true or false)"
	case "slice", "array":
		return "list"
	}
	return "object"
}
