package parley

// ConfigTx is the part of Tx for webhook configurations, notification
// settings, push credentials and address configurations.
type ConfigTx interface{}
