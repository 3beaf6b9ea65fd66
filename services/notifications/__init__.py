"""The notifications service: residents and staff are told by SMS, WeChat, e-mail and in the portal."""
