package sqlstore

// NumberPlaceholders lets tests run their own SQL on either engine.
var NumberPlaceholders = numberPlaceholders
