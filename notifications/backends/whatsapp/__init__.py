"""WhatsApp backends: console (development), locmem (tests), cloud (Meta's WhatsApp Cloud API)."""
