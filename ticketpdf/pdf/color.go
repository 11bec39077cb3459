package pdf

// Color is an RGB colour, each component 0 to 255.
type Color struct{ R, G, B int }
