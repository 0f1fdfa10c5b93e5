"""The invitations API: its data, its errors, the httpx client and the bundled sandbox server."""
