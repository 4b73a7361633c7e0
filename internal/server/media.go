package server

import "path/filepath"

// mediaDir is where uploaded media files live: MediaDir, else the media
// directory of the data dir (the working directory's when neither is set,
// as with a database URL and a master key but no data dir).
func (c Config) mediaDir() string {
	if c.MediaDir != "" {
		return c.MediaDir
	}
	return filepath.Join(c.DataDir, "media")
}
