//! Raw HTTP/1.x messages (stub: being written).
