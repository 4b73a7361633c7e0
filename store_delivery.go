package parley

// DeliveryTx is the part of Tx for push bindings and delivery receipts.
type DeliveryTx interface{}
