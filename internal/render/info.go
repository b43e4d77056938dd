package render

// TemplateInfo describes a named template: the locales it has and the channels it covers.
type TemplateInfo struct {
	Name     string   `json:"name"`
	Locales  []string `json:"locales"`
	Channels []string `json:"channels"`
}
