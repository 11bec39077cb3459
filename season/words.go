package season

// typeWords names a Go kind as a JSON type with its article, for a sentence: "a number".
func typeWords(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "bool":
		return "a boolean (true or false)"
	case "slice", "array":
		return "a list"
	}
	return "an object"
}
